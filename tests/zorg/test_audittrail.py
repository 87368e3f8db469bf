"""Issue 15: the school's whole audit trail for its director and functional
administrator, filtered by person and period (whole local days, both ends
included), on screen and as CSV; reading and exporting it are in the trail
too."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories as f
from zorg.audit.models import Actie, AuditEvent

BRUSSEL = ZoneInfo("Europe/Brussels")


def _event(gebruiker, school, tijdstip, **velden):
    return AuditEvent.objects.create(
        gebruiker=gebruiker,
        school=school,
        tijdstip=tijdstip,
        actie=velden.pop("actie", Actie.LEZEN),
        onderwerp=velden.pop("onderwerp", "leerling"),
        **velden,
    )


def _lokaal(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BRUSSEL)


@pytest.fixture
def spoor(wereld):
    w = wereld
    w.e_leerkracht = _event(w.leerkracht, w.school, _lokaal(2026, 3, 28, 23, 59), omschrijving="a")
    w.e_zorg = _event(w.zorgcoordinator, w.school, _lokaal(2026, 3, 29, 0, 0), omschrijving="b")
    # Summer time starts in the night to 29 March: 30 March 00:00 is 22:00 UTC.
    w.e_laat = _event(w.zorgcoordinator, w.school, _lokaal(2026, 3, 30, 0, 0), omschrijving="c")
    w.e_ander = _event(w.buitenstaander, w.school2, _lokaal(2026, 3, 29, 12, 0), omschrijving="x")
    return w


def _trail(client, **params):
    response = client.get(reverse("audit:trail"), params)
    assert response.status_code == 200
    return response, {e.pk for e in response.context["pagina"]}


def test_the_director_sees_the_trail_of_her_school_only(spoor, client_voor):
    _response, getoond = _trail(client_voor(spoor.directie))
    assert {spoor.e_leerkracht.pk, spoor.e_zorg.pk, spoor.e_laat.pk} <= getoond
    assert spoor.e_ander.pk not in getoond


def test_the_trail_filters_by_person_by_name_or_email(spoor, client_voor):
    client = client_voor(spoor.directie)
    _response, getoond = _trail(client, persoon=spoor.leerkracht.email.upper())
    assert getoond == {spoor.e_leerkracht.pk}
    _response, getoond = _trail(client, persoon=spoor.zorgcoordinator.last_name)
    assert {spoor.e_zorg.pk, spoor.e_laat.pk} <= getoond
    assert spoor.e_leerkracht.pk not in getoond


def test_the_period_is_whole_local_days_both_ends_included_across_dst(spoor, client_voor):
    client = client_voor(spoor.directie)
    _response, getoond = _trail(client, van="2026-03-29", tot="2026-03-29")
    assert getoond == {spoor.e_zorg.pk}
    _response, getoond = _trail(client, van="2026-03-28", tot="2026-03-29")
    assert getoond == {spoor.e_leerkracht.pk, spoor.e_zorg.pk}
    _response, getoond = _trail(client, van="2026-03-30")
    assert spoor.e_laat.pk in getoond
    assert not getoond & {spoor.e_leerkracht.pk, spoor.e_zorg.pk}


@pytest.mark.parametrize(
    ("params", "melding"),
    [
        ({"van": "2026-03-30", "tot": "2026-03-01"}, "De begindatum valt na de einddatum."),
        ({"van": "30/02/2026"}, "Vul een geldige datum in."),
        ({"tot": "1900-01-01"}, "Kies een datum tussen 2000 en 2100."),
        ({"persoon": "a" * 500}, "Zoek met hoogstens 100 tekens."),
    ],
)
def test_a_bad_filter_gets_a_dutch_message_and_shows_nothing(spoor, client_voor, params, melding):
    response, getoond = _trail(client_voor(spoor.directie), **params)
    assert melding in response.content.decode()
    assert getoond == set()


def test_a_nul_byte_in_the_person_filter_is_no_500(spoor, client_voor):
    _response, getoond = _trail(client_voor(spoor.directie), persoon="Jan\x00sens")
    assert isinstance(getoond, set)


def test_the_csv_export_has_the_filtered_rows_neutralised_and_is_itself_audited(spoor, client_voor):
    w = spoor
    _event(w.leerkracht, w.school, _lokaal(2026, 3, 29, 9, 0), omschrijving="=HYPERLINK(1)")
    client = client_voor(w.directie)
    response = client.get(reverse("audit:trail_export"), {"van": "2026-03-29", "tot": "2026-03-29"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rijen = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rijen[0][:2] == ["Tijdstip", "Gebruiker"]
    omschrijvingen = {r[8] for r in rijen[1:]}
    assert omschrijvingen == {"b", "'=HYPERLINK(1)"}
    [export] = AuditEvent.objects.filter(
        gebruiker=w.directie, actie=Actie.EXPORTEREN, onderwerp="audittrail"
    )
    assert export.school_id == w.school.pk
    assert export.omschrijving == "van 2026-03-29, tot 2026-03-29"


def test_an_export_with_a_bad_filter_goes_back_to_the_page_that_says_why(spoor, client_voor):
    response = client_voor(spoor.directie).get(
        reverse("audit:trail_export"), {"van": "2026-03-30", "tot": "2026-03-01"}, follow=True
    )
    assert response.status_code == 200
    assert "De begindatum valt na de einddatum." in response.content.decode()


def test_reading_the_trail_is_in_the_trail(spoor, client_voor):
    client_voor(spoor.beheerder).get(reverse("audit:trail"), {"persoon": "jan"})
    [event] = AuditEvent.objects.filter(gebruiker=spoor.beheerder, onderwerp="audittrail")
    assert event.actie == Actie.LEZEN
    assert event.omschrijving == "persoon: jan"
    assert event.school_id == spoor.school.pk


def test_the_menu_links_the_trail_for_the_director_not_for_a_teacher(wereld, client_voor):
    url = reverse("audit:trail")
    assert url in client_voor(wereld.directie).get(reverse("start")).content.decode()
    assert url not in client_voor(wereld.leerkracht).get(reverse("start")).content.decode()


@time_machine.travel(_lokaal(2026, 3, 30, 10, 0), tick=False)
def test_the_trail_page_costs_the_same_queries_whatever_its_length(
    wereld, client_voor, django_assert_max_num_queries
):
    """Guards against a query per row for the user of each event
    (select_related("gebruiker"))."""
    client = client_voor(wereld.directie)
    client.get(reverse("audit:trail"))  # warm up the session
    for _ in range(40):
        _event(f.UserFactory(), wereld.school, _lokaal(2026, 3, 29, 9, 0))
    with django_assert_max_num_queries(12):
        client.get(reverse("audit:trail"))
