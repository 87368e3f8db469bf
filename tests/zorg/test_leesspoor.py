"""Issue 15, finding 6: every page that shows students by name leaves a row
in the trail of each student shown (the search results, a class list, the
start page's cards), all in one INSERT per request, never one per row; and
"who saw student X" is then the student's own indexed trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_vlagalarm import signaal, vlag
from zorg.audit.models import Actie, AuditEvent


def _inserts(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]


def _gelezen(gebruiker, onderwerp) -> dict[int, AuditEvent]:
    events = AuditEvent.objects.filter(gebruiker=gebruiker, actie=Actie.LEZEN, onderwerp=onderwerp)
    return {e.leerling_id: e for e in events}


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, ctx


def test_search_results_are_in_the_trail_of_each_student_shown_in_one_insert(wereld, client_voor):
    w = wereld
    peeters = [f.leerling_in(w.klas_a, achternaam="Vanderzwalm") for _ in range(25)]
    f.leerling_in(w.klas_a, achternaam="Janssens")
    client = client_voor(w.zorgcoordinator)
    client.get(reverse("leerlingen:leerling_lijst"), {"q": "Vanderzwalm"})  # warm up the session
    voor = set(AuditEvent.objects.values_list("pk", flat=True))

    _response, ctx = _get(client, reverse("leerlingen:leerling_lijst"), q="Vanderzwalm")

    assert len(_inserts(ctx)) == 1
    nieuw = AuditEvent.objects.exclude(pk__in=voor).filter(onderwerp="leerlingenlijst")
    assert {e.leerling_id for e in nieuw} == {ll.pk for ll in peeters}
    assert all(e.omschrijving.startswith("zoeken: Vanderzwalm") for e in nieuw)
    assert all(e.gebruiker == w.zorgcoordinator and e.actie == Actie.LEZEN for e in nieuw)


def test_the_htmx_search_box_is_audited_as_the_page_is(wereld, client_voor):
    w = wereld
    ll = f.leerling_in(w.klas_a, achternaam="Vermeulen")
    response = client_voor(w.leerkracht).get(
        reverse("leerlingen:leerling_lijst"),
        {"q": "Vermeulen"},
        headers={"HX-Request": "true", "HX-Target": "zoekresultaten"},
    )
    assert response.status_code == 200
    assert ll.pk in _gelezen(w.leerkracht, "leerlingenlijst")


def test_a_search_that_finds_nobody_writes_nothing(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    client.get(reverse("start"))
    _response, ctx = _get(client, reverse("leerlingen:leerling_lijst"), q="Niemand-zo-genoemd")
    assert _inserts(ctx) == []


def test_the_student_list_only_logs_the_page_shown(wereld, client_voor, settings):
    settings.ZORG_PAGINA_GROOTTE = 5
    w = wereld
    for _ in range(12):
        f.leerling_in(w.klas_a)
    client_voor(w.zorgcoordinator).get(reverse("leerlingen:leerling_lijst"), {"pagina": 2})
    events = AuditEvent.objects.filter(onderwerp="leerlingenlijst")
    assert events.count() == 5
    assert {e.omschrijving for e in events} == {"lijst, pagina 2"}


def test_a_class_list_is_in_the_trail_of_each_student_in_it_in_one_insert(wereld, client_voor):
    w = wereld
    extra = [f.leerling_in(w.klas_a) for _ in range(20)]
    client = client_voor(w.leerkracht)
    client.get(reverse("start"))
    _response, ctx = _get(client, reverse("leerlingen:klas_detail", args=[w.klas_a.pk]))
    assert len(_inserts(ctx)) == 1
    gelezen = _gelezen(w.leerkracht, "klaslijst")
    assert {w.leerling_a.pk, *(ll.pk for ll in extra)} <= set(gelezen)
    assert gelezen[w.leerling_a.pk].object_id == str(w.klas_a.pk)
    assert gelezen[w.leerling_a.pk].school_id == w.school.pk


@pytest.fixture
def rode_dag(wereld):
    w = wereld
    rood = [f.leerling_in(w.klas_a) for _ in range(3)]
    vlag(*rood, klas=w.klas_a, gemeld_door=w.leerkracht)
    signaal(w.leerling_a)
    cel = kf.overleg(w, dagen=2)
    kf.actiepunt(cel, rood[0], w.zorgcoordinator, dagen=3)
    w.rood = rood
    return w


def test_the_start_page_logs_every_student_its_cards_name_in_one_insert(rode_dag, client_voor):
    w = rode_dag
    client = client_voor(w.zorgcoordinator)
    _response, ctx = _get(client, reverse("start"))
    assert len(_inserts(ctx)) == 1
    gelezen = _gelezen(w.zorgcoordinator, "startpagina")
    assert set(gelezen) == {w.leerling_a.pk, *(ll.pk for ll in w.rood)}
    # Each row says which cards named the student.
    assert gelezen[w.leerling_a.pk].omschrijving == "signalen"
    assert gelezen[w.rood[0].pk].omschrijving == "rode_vlaggen, mijn_actiepunten"
    assert gelezen[w.rood[1].pk].omschrijving == "rode_vlaggen"


def test_a_start_page_that_names_nobody_writes_nothing(wereld, client_voor):
    client = client_voor(wereld.secretariaat)
    client.get(reverse("start"))
    _response, ctx = _get(client, reverse("start"))
    assert _inserts(ctx) == []


def test_the_start_page_costs_one_insert_however_many_students_it_names(rode_dag, client_voor):
    w = rode_dag
    client = client_voor(w.zorgcoordinator)
    client.get(reverse("start"))
    _response, weinig = _get(client, reverse("start"))
    for _ in range(8):
        vlag(f.leerling_in(w.klas_a), klas=w.klas_a, gemeld_door=w.leerkracht)
        signaal(f.leerling_in(w.klas_a))
    _response, veel = _get(client, reverse("start"))
    assert len(_inserts(veel)) == 1
    assert len(veel.captured_queries) == len(weinig.captured_queries)


def test_a_list_read_shows_in_the_students_own_trail(wereld, client_voor):
    """Who saw student X is the indexed query of X's trail page."""
    w = wereld
    client_voor(w.leerkracht).get(reverse("leerlingen:klas_detail", args=[w.klas_a.pk]))
    client_voor(w.leerkracht).get(
        reverse("leerlingen:leerling_lijst"), {"q": w.leerling_a.achternaam}
    )
    html = (
        client_voor(w.directie)
        .get(reverse("leerlingen:leerling_audit", args=[w.leerling_a.pk]))
        .content.decode()
    )
    assert "klaslijst" in html
    assert f"leerlingenlijst: zoeken: {w.leerling_a.achternaam}" in html


def test_the_agenda_search_is_in_the_trail_of_each_student_it_finds_in_one_insert(
    wereld, client_voor
):
    w = wereld
    gevonden = [f.leerling_in(w.klas_a, achternaam="Zoekmans") for _ in range(6)]
    cel = kf.overleg(w, dagen=2)
    client = client_voor(w.zorgcoordinator)
    client.get(reverse("start"))
    url = reverse("klassenraad:agenda_toevoegen", args=[cel.pk])
    _response, ctx = _get(client, url, q="Zoekmans")
    assert len(_inserts(ctx)) == 1
    gelezen = _gelezen(w.zorgcoordinator, "agenda_zoeken")
    assert set(gelezen) == {ll.pk for ll in gevonden}
    assert gelezen[gevonden[0].pk].omschrijving == "zoeken: Zoekmans"
    # A search that finds nobody, or no search yet, writes nothing.
    voor = AuditEvent.objects.filter(onderwerp="agenda_zoeken").count()
    _get(client, url, q="Xylofoon")
    _get(client, url)
    assert AuditEvent.objects.filter(onderwerp="agenda_zoeken").count() == voor


def test_the_flag_form_lists_the_class_in_the_trail_of_each_student_in_one_insert(
    wereld, client_voor
):
    w = wereld
    extra = [f.leerling_in(w.klas_a) for _ in range(10)]
    client = client_voor(w.leerkracht)
    client.get(reverse("start"))
    _response, ctx = _get(client, reverse("leerlingen:vlag_nieuw", args=[w.klas_a.pk]))
    assert len(_inserts(ctx)) == 1
    gelezen = _gelezen(w.leerkracht, "vlagformulier")
    assert {w.leerling_a.pk, *(ll.pk for ll in extra)} <= set(gelezen)
    assert gelezen[w.leerling_a.pk].object_id == str(w.klas_a.pk)


def _melding(ontvanger, leerling=None, titel="Herinnering"):
    from zorg.meldingen.services import Bericht, meldingen_aanmaken

    [melding] = meldingen_aanmaken(
        [
            Bericht(
                ontvanger_id=ontvanger.pk,
                titel=titel,
                school_id=None if leerling is None else leerling.school_id,
                leerling_id=None if leerling is None else leerling.pk,
            )
        ],
        email=False,
    )
    return melding


def test_the_notification_list_records_the_students_their_titles_name_in_one_insert(
    wereld, client_voor
):
    w = wereld
    genoemd = [f.leerling_in(w.klas_a) for _ in range(3)]
    for ll in genoemd:
        _melding(w.zorgcoordinator, ll, f"Evaluatie van een maatregel voor {ll.volledige_naam}")
    _melding(w.zorgcoordinator)  # a red flag's: the class, no name
    _melding(w.leerkracht, w.leerling_a)  # someone else's notification
    client = client_voor(w.zorgcoordinator)
    client.get(reverse("meldingen:melding_lijst"))
    voor = set(AuditEvent.objects.values_list("pk", flat=True))

    _response, ctx = _get(client, reverse("meldingen:melding_lijst"))

    assert len(_inserts(ctx)) == 1
    nieuw = AuditEvent.objects.exclude(pk__in=voor)
    assert {e.leerling_id for e in nieuw} == {ll.pk for ll in genoemd}
    assert {(e.onderwerp, e.actie, e.gebruiker_id) for e in nieuw} == {
        ("meldingen", Actie.LEZEN, w.zorgcoordinator.pk)
    }


def test_notifications_that_name_nobody_write_nothing_and_cost_no_more_queries(wereld, client_voor):
    w = wereld
    client = client_voor(w.zorgcoordinator)
    _melding(w.zorgcoordinator)
    client.get(reverse("meldingen:melding_lijst"))
    _response, zonder = _get(client, reverse("meldingen:melding_lijst"))
    assert _inserts(zonder) == []
    for _ in range(6):
        _melding(w.zorgcoordinator, f.leerling_in(w.klas_a))
    _response, met = _get(client, reverse("meldingen:melding_lijst"))
    # The named students come with the notifications (a join), then one INSERT.
    assert len(met.captured_queries) == len(zonder.captured_queries) + 1


def test_the_start_pages_notification_card_records_the_students_it_names(wereld, client_voor):
    w = wereld
    ll = f.leerling_in(w.klas_a)
    _melding(w.leerkracht, ll, f"Een actiepunt voor {ll.volledige_naam}")
    client_voor(w.leerkracht).get(reverse("start"))
    assert _gelezen(w.leerkracht, "startpagina")[ll.pk].omschrijving == "meldingen"
