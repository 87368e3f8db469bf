"""Absences: saving a class's day, correcting and removing one absence, and
the threshold of problematic half days (notifications, timeline, audit,
once per school year). The world lives on Friday 4 December 2026."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError

from leerlingen.models import (
    Afwezigheid,
    AfwezigheidCode,
    Afwezigheidsdrempel,
    Dagdeel,
    TijdlijnItem,
    Zichtbaarheid,
)
from leerlingen.services.afwezigheden import (
    afwezigheden_klasdag_registreren,
    afwezigheid_verwijderen,
    afwezigheid_wijzigen,
    klasdag_afwezigheden,
)
from tests import factories as f
from zorg.audit.models import AuditEvent
from zorg.meldingen.models import Melding
from zorg.versies import VerouderdeVersie

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

VM, NM = Dagdeel.VOORMIDDAG, Dagdeel.NAMIDDAG
ONGEWETTIGD = AfwezigheidCode.ONGEWETTIGD
# School days of the week before Friday 4 December 2026, newest first.
SCHOOLDAGEN = [datetime.date(2026, 12, d) for d in (4, 3, 2, 1)] + [
    datetime.date(2026, 11, 30),
    datetime.date(2026, 11, 27),
]


def opslaan(w, datum, keuzes, gezien=None, door=None, klas=None, sleutel=None):
    return afwezigheden_klasdag_registreren(
        klas=klas or w.klas_a,
        datum=datum,
        door=door or w.secretariaat,
        keuzes=keuzes,
        gezien=gezien or {},
        sleutel=sleutel or uuid.uuid4(),
    )


def afwezig(w, leerling, dagen, code=ONGEWETTIGD):
    """Both half days of each of `dagen` absent with `code`, as the class
    page saves them."""
    for datum in dagen:
        gezien = {cel: a.versie for cel, a in klasdag_afwezigheden(w.klas_a, datum).items()}
        opslaan(w, datum, {(leerling.pk, VM): code, (leerling.pk, NM): code}, gezien)


def test_saving_a_class_day_records_each_half_day_with_its_code(wereld):
    w = wereld
    uitkomst, nieuw = opslaan(
        w,
        SCHOOLDAGEN[0],
        {(w.leerling_a.pk, VM): AfwezigheidCode.ATTEST, (w.leerling_a.pk, NM): ""},
    )
    assert nieuw and uitkomst.nieuw == 1
    a = Afwezigheid.objects.get()
    assert (a.leerling, a.datum, a.dagdeel, a.code) == (
        w.leerling_a,
        SCHOOLDAGEN[0],
        VM,
        AfwezigheidCode.ATTEST,
    )
    assert a.geregistreerd_door == w.secretariaat
    assert a.schooljaar_begin == datetime.date(2026, 9, 1)
    audit = AuditEvent.objects.get(onderwerp="afwezigheden")
    assert audit.leerling_id == w.leerling_a.pk
    assert "attest" not in audit.omschrijving


def test_changing_and_clearing_a_half_day_updates_and_removes_it(wereld):
    w = wereld
    dag = SCHOOLDAGEN[1]
    opslaan(w, dag, {(w.leerling_a.pk, VM): ONGEWETTIGD, (w.leerling_a.pk, NM): ONGEWETTIGD})
    gezien = {cel: a.versie for cel, a in klasdag_afwezigheden(w.klas_a, dag).items()}
    uitkomst, _ = opslaan(
        w,
        dag,
        {(w.leerling_a.pk, VM): AfwezigheidCode.OUDERS, (w.leerling_a.pk, NM): ""},
        gezien,
    )
    assert (uitkomst.nieuw, uitkomst.gewijzigd, uitkomst.verwijderd) == (0, 1, 1)
    a = Afwezigheid.objects.get()
    assert (a.dagdeel, a.code, a.versie) == (VM, AfwezigheidCode.OUDERS, 2)


def test_a_half_day_someone_else_saved_meanwhile_is_refused_and_nothing_is_written(wereld):
    w = wereld
    dag = SCHOOLDAGEN[0]
    # Two secretaries open the same day; the first saves leerling_a absent.
    opslaan(w, dag, {(w.leerling_a.pk, VM): ONGEWETTIGD})
    with pytest.raises(ValidationError) as fout:
        opslaan(w, dag, {(w.leerling_a.pk, VM): AfwezigheidCode.ATTEST}, gezien={})
    assert "Iemand anders wijzigde intussen" in fout.value.messages[0]
    assert "Lotte Peeters" in fout.value.messages[0]
    assert Afwezigheid.objects.get().code == ONGEWETTIGD


def test_the_same_form_sent_twice_is_saved_once(wereld):
    w = wereld
    sleutel = uuid.uuid4()
    keuzes = {(w.leerling_a.pk, VM): ONGEWETTIGD}
    _eerste, nieuw = opslaan(w, SCHOOLDAGEN[0], keuzes, sleutel=sleutel)
    _tweede, opnieuw = opslaan(w, SCHOOLDAGEN[0], keuzes, sleutel=sleutel)
    assert nieuw and not opnieuw
    assert Afwezigheid.objects.count() == 1


def test_a_student_of_another_class_is_refused(wereld):
    w = wereld
    with pytest.raises(ValidationError, match="enkel leerlingen uit klas 3A"):
        opslaan(w, SCHOOLDAGEN[0], {(w.leerling_b.pk, VM): ONGEWETTIGD})
    assert not Afwezigheid.objects.exists()


@pytest.mark.parametrize(
    ("dag", "bericht"),
    [
        (datetime.date(2026, 11, 28), "weekend"),
        (datetime.date(2026, 11, 11), "wapenstilstand"),
        (datetime.date(2026, 11, 4), "herfstvakantie"),
        (datetime.date(2026, 12, 7), "toekomst"),
    ],
    ids=["zaterdag", "11 november", "herfstvakantie", "maandag erna"],
)
def test_a_day_without_school_or_in_the_future_is_refused_in_dutch(wereld, dag, bericht):
    w = wereld
    with pytest.raises(ValidationError) as fout:
        opslaan(w, dag, {(w.leerling_a.pk, VM): ONGEWETTIGD})
    assert bericht in fout.value.message_dict["datum"][0]
    assert not Afwezigheid.objects.exists()


# --- one absence -------------------------------------------------------------------


def test_a_changed_code_raises_the_version_and_is_audited(wereld):
    w = wereld
    opslaan(w, SCHOOLDAGEN[0], {(w.leerling_a.pk, VM): ONGEWETTIGD})
    a = Afwezigheid.objects.get()
    afwezigheid_wijzigen(
        afwezigheid=a,
        door=w.secretariaat,
        code=AfwezigheidCode.ATTEST,
        notitie="attest binnengebracht",
        versie=1,
    )
    a.refresh_from_db()
    assert (a.code, a.notitie, a.versie) == (AfwezigheidCode.ATTEST, "attest binnengebracht", 2)
    event = AuditEvent.objects.get(onderwerp="afwezigheid")
    assert set(event.velden) == {"code", "notitie"}


def test_a_change_from_an_old_version_is_refused_in_dutch(wereld):
    w = wereld
    opslaan(w, SCHOOLDAGEN[0], {(w.leerling_a.pk, VM): ONGEWETTIGD})
    a = Afwezigheid.objects.get()
    afwezigheid_wijzigen(
        afwezigheid=a, door=w.secretariaat, code=AfwezigheidCode.OUDERS, notitie="", versie=1
    )
    with pytest.raises(VerouderdeVersie) as fout:
        afwezigheid_wijzigen(
            afwezigheid=a, door=w.secretariaat, code=AfwezigheidCode.ATTEST, notitie="", versie=1
        )
    assert "gewettigd door de ouders" in fout.value.bericht
    a.refresh_from_db()
    assert a.code == AfwezigheidCode.OUDERS


def test_a_mistake_is_removed_and_the_removal_audited(wereld):
    w = wereld
    opslaan(w, SCHOOLDAGEN[0], {(w.leerling_a.pk, VM): ONGEWETTIGD})
    a = Afwezigheid.objects.get()
    afwezigheid_verwijderen(afwezigheid=a, door=w.secretariaat, versie=1)
    assert not Afwezigheid.objects.exists()
    assert AuditEvent.objects.filter(onderwerp="afwezigheid", actie="verwijderen").count() == 1


# --- the threshold ----------------------------------------------------------------------


def test_reaching_the_threshold_tells_the_care_coordinator_and_the_clb_once(
    wereld, django_capture_on_commit_callbacks
):
    w = wereld
    w.school.afwezigheid_drempel = 4
    w.school.save()
    # One day: 2 problematic half days, below the threshold.
    afwezig(w, w.leerling_a, SCHOOLDAGEN[:1])
    assert not Afwezigheidsdrempel.objects.exists()
    # Covered absences do not count.
    afwezig(w, w.leerling_a, SCHOOLDAGEN[1:2], code=AfwezigheidCode.ATTEST)
    assert not Afwezigheidsdrempel.objects.exists()
    with django_capture_on_commit_callbacks(execute=False):
        afwezig(w, w.leerling_a, SCHOOLDAGEN[2:3], code=AfwezigheidCode.PROBLEMATISCH)
    drempel = Afwezigheidsdrempel.objects.get()
    assert (drempel.leerling, drempel.aantal, drempel.drempel) == (w.leerling_a, 4, 4)
    assert drempel.schooljaar == datetime.date(2026, 9, 1)
    # The care coordinator hears it by name.
    melding = Melding.objects.get(ontvanger=w.zorgcoordinator)
    assert "Lotte Peeters" in melding.titel
    assert melding.soort == "afwezigheidsdrempel"
    # The school's CLB worker, who does not reach her, hears it without name.
    clb = Melding.objects.get(ontvanger=w.users["clb"])
    assert "Lotte" not in clb.titel + clb.tekst
    assert "Sint-Testcollege" in clb.titel
    # Nobody else: not the secretariat who saved it, not the other CLB.
    assert set(Melding.objects.values_list("ontvanger", flat=True)) == {
        w.zorgcoordinator.pk,
        w.users["clb"].pk,
    }
    item = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.AFWEZIGHEID)
    assert item.leerling == w.leerling_a
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert AuditEvent.objects.filter(onderwerp="afwezigheidsdrempel").count() == 1
    # Further above it: no second notification, entry or row this school year.
    afwezig(w, w.leerling_a, SCHOOLDAGEN[3:5])
    assert Afwezigheidsdrempel.objects.count() == 1
    assert Melding.objects.count() == 2
    assert TijdlijnItem.objects.filter(soort=TijdlijnItem.Soort.AFWEZIGHEID).count() == 1


def test_a_clb_worker_who_reaches_the_student_hears_it_by_name(wereld):
    w = wereld
    from leerlingen.models import Aanmelding

    Aanmelding.objects.create(
        leerling=w.leerling_a,
        datum=SCHOOLDAGEN[3],
        hulpvraag="Veel afwezig.",
        bron=Aanmelding.Bron.values[0],
        aangemaakt_door=w.zorgcoordinator,
    )
    w.school.afwezigheid_drempel = 2
    w.school.save()
    afwezig(w, w.leerling_a, SCHOOLDAGEN[:1])
    assert "Lotte Peeters" in Melding.objects.get(ontvanger=w.users["clb"]).titel


def test_absences_of_last_school_year_do_not_count(wereld):
    w = wereld
    w.school.afwezigheid_drempel = 2
    w.school.save()
    # 30 June 2026 was a school day of the previous school year.
    Afwezigheid.objects.create(
        leerling=w.leerling_a,
        datum=datetime.date(2026, 6, 30),
        dagdeel=VM,
        code=ONGEWETTIGD,
        geregistreerd_door=w.secretariaat,
    )
    opslaan(w, SCHOOLDAGEN[0], {(w.leerling_a.pk, VM): ONGEWETTIGD})
    assert not Afwezigheidsdrempel.objects.exists()
    opslaan(w, SCHOOLDAGEN[1], {(w.leerling_a.pk, VM): ONGEWETTIGD})
    assert Afwezigheidsdrempel.objects.get().aantal == 2


def test_a_corrected_code_that_reaches_the_threshold_counts_too(wereld):
    w = wereld
    w.school.afwezigheid_drempel = 2
    w.school.save()
    afwezig(w, w.leerling_a, SCHOOLDAGEN[:1], code=AfwezigheidCode.OUDERS)
    assert not Afwezigheidsdrempel.objects.exists()
    for a in Afwezigheid.objects.all():
        afwezigheid_wijzigen(
            afwezigheid=a, door=w.secretariaat, code=ONGEWETTIGD, notitie="", versie=a.versie
        )
    assert Afwezigheidsdrempel.objects.get().aantal == 2


# --- cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("aantal", [5, 30])
def test_saving_a_class_day_costs_the_same_for_5_or_30_students(
    wereld, django_assert_max_num_queries, aantal
):
    # Guards against a query per student or per half day (a get_or_create
    # per cell, the enrolment checked per student, the threshold per student).
    w = wereld
    w.school.afwezigheid_drempel = 60
    w.school.save()
    klas = f.KlasFactory(schooljaar=w.schooljaar, naam="5C")
    leerlingen = [f.leerling_in(klas) for _ in range(aantal)]
    keuzes = {(ll.pk, VM): ONGEWETTIGD for ll in leerlingen} | {
        (ll.pk, NM): AfwezigheidCode.ATTEST for ll in leerlingen
    }
    with django_assert_max_num_queries(20):
        opslaan(w, SCHOOLDAGEN[0], keuzes, klas=klas)
    assert Afwezigheid.objects.count() == 2 * aantal
