"""The director's pages of the access request: recording it once however
often sent, bad dates explained in Dutch, the hand-over with its checks and
its version, the list with a fixed number of queries."""

import datetime
import re
import uuid

import pytest
import time_machine
from django.urls import reverse

from inzage.models import Inzageverzoek
from tests.datums import lokaal
from tests.inzage.hulp import verzoek
from zorg.audit.models import Actie, AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


def _nieuw(client, leerling, **data):
    waarden = {
        "aanvrager": "ouder",
        "aanvrager_naam": "Sofie Peeters",
        "ontvangen_op": "2026-12-04",
        "sleutel": str(uuid.uuid4()),
    }
    waarden.update(data)
    return client.post(reverse("inzage:nieuw", args=[leerling.pk]), waarden)


@pytest.fixture
def directie(wereld_in_2026_2027, wereld, client_voor):
    with time_machine.travel(lokaal(2026, 12, 7, 9), tick=False):
        yield client_voor(wereld.users["directie"])


def test_sending_the_new_request_form_twice_records_one_request(wereld, directie):
    sleutel = str(uuid.uuid4())
    eerste = _nieuw(directie, wereld.leerling_a, sleutel=sleutel)
    tweede = _nieuw(directie, wereld.leerling_a, sleutel=sleutel)
    (v,) = Inzageverzoek.objects.all()
    assert eerste.status_code == tweede.status_code == 302
    assert eerste.url == tweede.url == reverse("inzage:detail", args=[v.pk])
    assert v.termijn == D(2027, 1, 4)
    assert v.aangemaakt_door == wereld.users["directie"]
    assert (
        AuditEvent.objects.filter(
            actie=Actie.AANMAKEN, onderwerp="inzageverzoek", leerling_id=wereld.leerling_a.pk
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("data", "bericht"),
    [
        ({"ontvangen_op": "2026-12-08"}, "Een verzoek kan niet in de toekomst ontvangen zijn."),
        ({"ontvangen_op": "2026-02-30"}, "Vul een geldige datum in."),
        ({"ontvangen_op": ""}, "Vul een datum in."),
        ({"aanvrager_naam": "  "}, "Vul de naam van de aanvrager in."),
        ({"aanvrager": "buurman"}, "Kies wie het verzoek deed."),
    ],
)
def test_a_bad_request_is_explained_in_dutch_and_nothing_is_saved(wereld, directie, data, bericht):
    antwoord = _nieuw(directie, wereld.leerling_a, **data)
    assert antwoord.status_code == 200
    assert bericht in antwoord.content.decode()
    assert not Inzageverzoek.objects.exists()


def _overhandigd(client, v, **data):
    waarden = {"overhandigd_op": "2026-12-07", "versie": v.versie}
    waarden.update(data)
    return client.post(reverse("inzage:overhandigd", args=[v.pk]), waarden)


def test_handing_over_records_the_day_and_who(wereld, directie):
    v = verzoek(wereld, ontvangen_op=D(2026, 12, 1))
    antwoord = _overhandigd(directie, v)
    assert antwoord.status_code == 302
    v.refresh_from_db()
    assert v.status == Inzageverzoek.Status.OVERHANDIGD
    assert v.overhandigd_op == D(2026, 12, 7)
    assert v.overhandigd_door == wereld.users["directie"]
    assert v.versie == 2
    assert AuditEvent.objects.filter(
        actie=Actie.WIJZIGEN, onderwerp="inzageverzoek", object_id=str(v.pk)
    ).exists()
    # Handed over: the form is gone.
    assert directie.get(reverse("inzage:overhandigd", args=[v.pk])).status_code == 404


@pytest.mark.parametrize(
    ("datum", "bericht"),
    [
        (
            "2026-11-30",
            "De export kan niet overhandigd zijn vóór het verzoek (ontvangen op 01/12/2026).",
        ),
        ("2026-12-08", "Een overhandiging kan niet in de toekomst liggen."),
        ("7/12", "Vul een geldige datum in."),
    ],
)
def test_a_bad_hand_over_date_is_explained_in_dutch(wereld, directie, datum, bericht):
    v = verzoek(wereld, ontvangen_op=D(2026, 12, 1))
    antwoord = _overhandigd(directie, v, overhandigd_op=datum)
    assert antwoord.status_code == 200
    assert bericht in antwoord.content.decode()
    v.refresh_from_db()
    assert v.status == Inzageverzoek.Status.OPEN


def test_a_hand_over_begun_on_an_older_version_reports_the_conflict(wereld, directie):
    v = verzoek(wereld, ontvangen_op=D(2026, 12, 1))
    Inzageverzoek.objects.filter(pk=v.pk).update(versie=2)
    antwoord = _overhandigd(directie, v, versie=1)
    assert antwoord.status_code == 409
    assert "Iemand anders wijzigde dit verzoek intussen." in antwoord.content.decode()
    v.refresh_from_db()
    assert v.overhandigd_op is None


def test_the_student_page_shows_the_director_the_requests_and_no_one_else(
    wereld, directie, client_voor
):
    v = verzoek(wereld, ontvangen_op=D(2026, 12, 1))
    url = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    pagina = directie.get(url).content.decode()
    assert reverse("inzage:detail", args=[v.pk]) in pagina
    assert reverse("inzage:nieuw", args=[wereld.leerling_a.pk]) in pagina
    zorg = client_voor(wereld.users["zorgcoordinator"]).get(url).content.decode()
    assert reverse("inzage:nieuw", args=[wereld.leerling_a.pk]) not in zorg
    assert 'id="inzage"' not in zorg


@pytest.mark.parametrize("aantal", [5, 40])
def test_the_list_takes_a_fixed_number_of_queries(
    wereld, directie, django_assert_max_num_queries, aantal
):
    # Guards against an N+1 on each request's student or school, and one
    # audit INSERT per student shown.
    for _n in range(aantal):
        verzoek(wereld, ontvangen_op=D(2026, 12, 1))
    with django_assert_max_num_queries(9):
        antwoord = directie.get(reverse("inzage:lijst"))
    assert len(re.findall(r'href="/inzage/\d+/"', antwoord.content.decode())) == aantal


def test_a_student_who_left_the_school_can_still_ask(wereld, directie):
    wereld.leerling_a.inschrijvingen.update(einde=D(2026, 11, 30), reden_einde="verhuisd")
    antwoord = _nieuw(directie, wereld.leerling_a)
    assert antwoord.status_code == 302
    assert Inzageverzoek.objects.get().leerling == wereld.leerling_a


def test_reading_a_request_is_in_the_audit_trail(wereld, directie):
    v = verzoek(wereld, ontvangen_op=D(2026, 12, 1))
    assert directie.get(reverse("inzage:detail", args=[v.pk])).status_code == 200
    assert AuditEvent.objects.filter(
        actie=Actie.LEZEN,
        onderwerp="inzageverzoek",
        object_id=str(v.pk),
        leerling_id=wereld.leerling_a.pk,
    ).exists()
