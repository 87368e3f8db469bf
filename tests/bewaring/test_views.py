"""The retention pages: the rules, the dry run of the next 30 days with its
holds, under a frozen clock in August 2027 (the first destruction day of
students who left in June 2026 is 1 September 2027)."""

import datetime
import uuid

import pytest
import time_machine
from django.urls import reverse

from bewaring.models import Opschorting
from leerlingen.models import Inschrijving, Klas
from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_observaties import ObservatieFactory
from zorg.audit.models import Actie, AuditEvent

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

AUGUSTUS = lokaal(2027, 8, 15)


@pytest.fixture
def augustus():
    with time_machine.travel(AUGUSTUS, tick=False):
        yield


def vertrokken(w, einde=datetime.date(2026, 6, 30), **naam):
    """A student whose last enrolment, in 6B of 2025-26, ended on `einde`."""
    klas, _ = Klas.objects.get_or_create(
        schooljaar=w.vorig_schooljaar, naam="6B", defaults={"leerjaar": 6}
    )
    leerling = f.leerling_in(klas, **naam)
    Inschrijving.objects.filter(leerling=leerling).update(einde=einde)
    return leerling


def _url(w):
    return reverse("bewaring:vooruitblik", args=[w.school.pk])


def test_the_dry_run_lists_who_goes_within_30_days_with_class_date_and_counts(wereld, client_voor):
    weg = vertrokken(wereld, voornaam="Jonas", achternaam="Weg")
    ObservatieFactory(leerling=weg)
    ObservatieFactory(leerling=weg)
    vertrokken(wereld, einde=datetime.date(2026, 9, 20), voornaam="Noor", achternaam="Later")

    with time_machine.travel(AUGUSTUS, tick=False):
        pagina = client_voor(wereld.zorgcoordinator).get(_url(wereld))

    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Jonas Weg" in html and "6B" in html and "01/09/2027" in html
    assert "2 observaties" in html
    assert "Noor Later" not in html  # her record goes on 1 September 2028
    assert "Lotte Peeters" not in html  # still at school
    # The read is in the trail, once per student shown.
    gelezen = AuditEvent.objects.filter(onderwerp="bewaring", actie=Actie.LEZEN)
    assert list(gelezen.values_list("leerling_id", flat=True)) == [weg.pk]


def test_a_held_record_shows_its_hold_and_the_day_after_it(wereld, client_voor):
    betwist = vertrokken(wereld, voornaam="Ruben", achternaam="Claes")
    Opschorting.objects.create(
        leerling=betwist, reden="Beroep", tot=datetime.date(2027, 9, 3), door=wereld.directie
    )
    with time_machine.travel(AUGUSTUS, tick=False):
        html = client_voor(wereld.directie).get(_url(wereld)).content.decode()
    assert "Opgeschort tot en met 03/09/2027" in html
    assert "04/09/2027" in html
    assert "Opschorting beëindigen" in html


@pytest.mark.parametrize("aantal", [5, 30])
def test_the_dry_run_costs_the_same_queries_for_5_or_30_students(
    wereld, client_voor, django_assert_max_num_queries, aantal
):
    for i in range(aantal):
        leerling = vertrokken(wereld, einde=datetime.date(2026, 6, 1) + datetime.timedelta(days=i))
        ObservatieFactory(leerling=leerling)
        if i % 3 == 0:
            Opschorting.objects.create(
                leerling=leerling,
                reden="Klacht",
                tot=datetime.date(2027, 9, 3),
                door=wereld.directie,
            )
    with time_machine.travel(AUGUSTUS, tick=False):
        client = client_voor(wereld.zorgcoordinator)
        # Guards the N+1 of a query per student for its counts, its class
        # left or its hold: all are subqueries of the one list query.
        with django_assert_max_num_queries(14):
            pagina = client.get(_url(wereld))
    assert pagina.content.decode().count("observaties</li>") == aantal


def test_the_rules_page_shows_the_school_its_terms(wereld, client_voor):
    wereld.school.bewaring_schooljaren = 2
    wereld.school.save(update_fields=["bewaring_schooljaren"])
    html = (
        client_voor(wereld.directie)
        .get(reverse("bewaring:regels", args=[wereld.school.pk]))
        .content.decode()
    )
    assert "2 schooljaren na het schooljaar van vertrek" in html
    assert "5 jaar, daarna gepseudonimiseerd" in html
    assert "tot de leerling 25 is" in html


def _opschorten_url(w, leerling):
    return reverse("bewaring:opschorten", args=[w.school.pk, leerling.pk])


def test_a_hold_is_put_once_for_a_double_submit_and_audited(wereld, client_voor, augustus):
    betwist = vertrokken(wereld)
    client = client_voor(wereld.zorgcoordinator)
    gegevens = {"reden": "Beroep tegen het attest", "tot": "2027-12-31", "sleutel": uuid.uuid4()}

    eerste = client.post(_opschorten_url(wereld, betwist), gegevens)
    tweede = client.post(_opschorten_url(wereld, betwist), gegevens)

    assert eerste.status_code == tweede.status_code == 302
    opschorting = Opschorting.objects.get()
    assert (opschorting.leerling, opschorting.tot) == (betwist, datetime.date(2027, 12, 31))
    assert opschorting.door == wereld.zorgcoordinator
    event = AuditEvent.objects.get(onderwerp="opschorting", actie=Actie.AANMAKEN)
    assert event.leerling_id == betwist.pk
    assert "Beroep" not in event.omschrijving


@pytest.mark.parametrize(
    ("gegevens", "fout"),
    [
        ({"reden": "", "tot": "2027-12-31"}, "Geef de reden van de opschorting"),
        ({"reden": "Klacht", "tot": ""}, "Vul de einddatum van de opschorting in."),
        ({"reden": "Klacht", "tot": "morgen"}, "Vul een geldige datum in."),
        ({"reden": "Klacht", "tot": "2027-08-14"}, "De einddatum ligt in het verleden."),
        ({"reden": "Klacht", "tot": "2033-01-01"}, "Een opschorting loopt hoogstens 5 jaar."),
        ({"reden": "   ", "tot": "2027-12-31"}, "Geef de reden van de opschorting"),
    ],
)
def test_a_hold_with_bad_input_is_refused_in_dutch(wereld, client_voor, augustus, gegevens, fout):
    betwist = vertrokken(wereld)
    pagina = client_voor(wereld.directie).post(
        _opschorten_url(wereld, betwist), {**gegevens, "sleutel": uuid.uuid4()}
    )
    assert pagina.status_code == 200
    assert fout in pagina.content.decode()
    assert not Opschorting.objects.exists()


def test_ending_a_hold_someone_else_changed_is_refused(wereld, client_voor, augustus):
    betwist = vertrokken(wereld)
    opschorting = Opschorting.objects.create(
        leerling=betwist, reden="Klacht", tot=datetime.date(2027, 12, 31), door=wereld.directie
    )
    url = reverse("bewaring:opschorting_beeindigen", args=[opschorting.pk])
    Opschorting.objects.filter(pk=opschorting.pk).update(versie=2)

    pagina = client_voor(wereld.zorgcoordinator).post(url, {"versie": 1}, follow=True)
    assert "Iemand anders wijzigde deze opschorting intussen" in pagina.content.decode()
    opschorting.refresh_from_db()
    assert opschorting.beeindigd_op is None

    client_voor(wereld.zorgcoordinator).post(url, {"versie": 2})
    opschorting.refresh_from_db()
    assert opschorting.beeindigd_op is not None
    assert opschorting.beeindigd_door == wereld.zorgcoordinator
    assert AuditEvent.objects.filter(onderwerp="opschorting", actie=Actie.WIJZIGEN).count() == 1


def test_a_student_of_another_school_cannot_be_held(wereld, client_voor, augustus):
    pagina = client_voor(wereld.zorgcoordinator).post(
        _opschorten_url(wereld, wereld.leerling_x),
        {"reden": "Klacht", "tot": "2027-12-31", "sleutel": uuid.uuid4()},
    )
    assert pagina.status_code == 404
    assert not Opschorting.objects.exists()


@pytest.mark.parametrize(
    ("rol", "ziet"),
    [("zorgcoordinator", True), ("directie", True), ("secretariaat", False), ("beheerder", False)],
)
def test_the_start_page_leads_the_care_team_to_the_dry_run(wereld, client_voor, rol, ziet):
    html = client_voor(wereld.users[rol]).get(reverse("start")).content.decode()
    assert (reverse("bewaring:vooruitblik", args=[wereld.school.pk]) in html) is ziet
