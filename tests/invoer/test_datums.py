"""The import's dates under a frozen clock: the first day of a new
student's enrolment and the last of one that ends, in summer (the new
school year already current), on New Year's day and on a leap day."""

import datetime

import pytest
import time_machine

from leerlingen.models import Inschrijving, Leerling
from tests import factories as f
from tests.datums import lokaal
from zorg.accounts.models import Schooljaar
from zorg.invoer.models import Importopdracht
from zorg.invoer.services import import_bevestigen, importopdracht_aanmaken, koppeling_bewaren

from .conftest import KOP, csv_bestand

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


def _invoeren(wereld, rijen, capture, *, volledig=False, beeindigen=False):
    opdracht = importopdracht_aanmaken(
        school=wereld.school,
        door=wereld.users["beheerder"],
        soort="leerlingen",
        volledig=volledig,
        bestand=csv_bestand([KOP, *rijen]),
    )
    with capture(execute=True):
        koppeling_bewaren(opdracht=opdracht, koppeling=opdracht.koppeling)
    opdracht.refresh_from_db()
    assert opdracht.totalen["fout"] == 0, opdracht.regels
    with capture(execute=True):
        import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=beeindigen)
    opdracht.refresh_from_db()
    assert opdracht.status == Importopdracht.Status.KLAAR, opdracht.reden
    return opdracht


def _nieuw_jaar(wereld, begin: datetime.date):
    Schooljaar.objects.filter(school=wereld.school).update(is_huidig=False)
    jaar = f.SchooljaarFactory(school=wereld.school, begin=begin, is_huidig=True)
    return f.KlasFactory(schooljaar=jaar, naam="4A")


def test_in_summer_a_new_student_of_the_new_year_starts_on_its_first_day(
    wereld, django_capture_on_commit_callbacks
):
    with time_machine.travel(lokaal(2027, 7, 15)):
        klas = _nieuw_jaar(wereld, datetime.date(2027, 9, 1))
        _invoeren(wereld, ["9201;Emma;Claes;14/03/2013;4A;;;;"], django_capture_on_commit_callbacks)
        emma = Leerling.objects.get(school=wereld.school, leerlingnummer="9201")
        inschrijving = Inschrijving.objects.get(leerling=emma)
        assert (inschrijving.klas, inschrijving.begin) == (klas, datetime.date(2027, 9, 1))
        # Enrolled now, in summer, so the care team prepares the new year.
        assert Inschrijving.objects.actief().filter(leerling=emma).exists()


def test_on_new_years_day_a_class_change_ends_the_old_enrolment_on_new_years_eve(
    wereld, django_capture_on_commit_callbacks
):
    a = wereld.leerling_a
    rij = f"{a.leerlingnummer};{a.voornaam};{a.achternaam};{a.geboortedatum:%d/%m/%Y};3B;;;;"
    with time_machine.travel(lokaal(2027, 1, 1)):
        _invoeren(wereld, [rij], django_capture_on_commit_callbacks)
        oud, nieuw = Inschrijving.objects.filter(leerling=a).order_by("begin")
        assert (oud.klas, oud.einde) == (wereld.klas_a, datetime.date(2026, 12, 31))
        assert (nieuw.klas, nieuw.begin, nieuw.einde) == (
            wereld.klas_b,
            datetime.date(2027, 1, 1),
            None,
        )
        assert Inschrijving.objects.actief().get(leerling=a) == nieuw


def test_on_a_leap_day_dates_and_a_departure_are_right(wereld, django_capture_on_commit_callbacks):
    with time_machine.travel(lokaal(2028, 2, 29)):
        klas = _nieuw_jaar(wereld, datetime.date(2027, 9, 1))
        blijver = f.leerling_in(klas, voornaam="Noor", achternaam="Aerts")
        vertrekker = f.leerling_in(klas, voornaam="Lars", achternaam="Wouters")
        rijen = [
            f"{blijver.leerlingnummer};Noor;Aerts;{blijver.geboortedatum:%d/%m/%Y};4A;;;;",
            "9301;Emma;Claes;29/02/2016;4A;;;;",
        ]
        opdracht = _invoeren(
            wereld, rijen, django_capture_on_commit_callbacks, volledig=True, beeindigen=True
        )
        assert [v["sleutel"] for v in opdracht.vertrokken] == [vertrekker.leerlingnummer]
        einde = Inschrijving.objects.get(leerling=vertrekker).einde
        assert einde == datetime.date(2028, 2, 28)
        emma = Leerling.objects.get(school=wereld.school, leerlingnummer="9301")
        assert emma.geboortedatum == datetime.date(2016, 2, 29)
        assert Inschrijving.objects.get(leerling=emma).begin == datetime.date(2028, 2, 29)


def test_in_summer_a_class_change_before_the_year_begins_moves_the_enrolment(
    wereld, django_capture_on_commit_callbacks
):
    """The enrolment of the new year has not begun: no history to keep, so
    no second enrolment that would overlap it on 1 September."""
    with time_machine.travel(lokaal(2027, 8, 20)):
        klas = _nieuw_jaar(wereld, datetime.date(2027, 9, 1))
        andere = f.KlasFactory(schooljaar=klas.schooljaar, naam="4B")
        noor = f.leerling_in(klas, voornaam="Noor", achternaam="Aerts")
        rij = f"{noor.leerlingnummer};Noor;Aerts;{noor.geboortedatum:%d/%m/%Y};4B;;;;"
        _invoeren(wereld, [rij], django_capture_on_commit_callbacks)
        (inschrijving,) = Inschrijving.objects.filter(leerling=noor)
        assert (inschrijving.klas, inschrijving.begin, inschrijving.einde) == (
            andere,
            datetime.date(2027, 9, 1),
            None,
        )
