"""The care cell's proposal page at the scale of a big school (issue 19):
what PostgreSQL executes per GET, the size of the HTML, and the proposals
below the pre-selection shown one line each, `OOK_PER_KEER` at a time, all of
them still a valid choice."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import F, Max
from django.urls import reverse

from klassenraad.agenda import _EenVan
from klassenraad.models import Agendapunt, OverlegSoort
from klassenraad.views.agenda import OOK_PER_KEER
from leerlingen.models import Inschrijving
from tests import factories as f
from tests.klassenraad import factories as k
from tests.klassenraad.test_agenda import _gevraagd, _signaal
from zorg.audit.models import Actie, AuditEvent

pytestmark = pytest.mark.usefixtures("schooljaar_onderweg")

CEL = OverlegSoort.CEL
# What the school ticks beforehand in these tests (its default is 15).
VOORSELECTIE = 3


@pytest.fixture
def cel(wereld):
    wereld.school.agenda_voorselectie = VOORSELECTIE
    wereld.school.save(update_fields=["agenda_voorselectie"])
    return k.overleg(wereld, CEL, dagen=2)


def _url(cel, **query) -> str:
    url = reverse("klassenraad:agenda_voorstel", args=[cel.pk])
    if query:
        url += "?" + "&".join(f"{sleutel}={waarde}" for sleutel, waarde in query.items())
    return url


def _met_signaal(w, aantal: int) -> list:
    """`aantal` students of 3A proposed for an open pattern signal each (a
    reason that reads no user: only the page's own reads of the user table
    remain)."""
    leerlingen = []
    for _ in range(aantal):
        leerling = f.leerling_in(w.klas_a)
        _signaal(leerling, dagen_geleden=1)
        leerlingen.append(leerling)
    return leerlingen


def _getoond(antwoord) -> list[int]:
    html = antwoord.content.decode()
    return [
        int(stuk.split('"', 1)[0])
        for stuk in html.split('data-testid="voorstel" data-leerling="')[1:]
    ]


# --- what PostgreSQL executes ---------------------------------------------------------


def _scans_van_gebruikers() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
            " WHERE relid = 'accounts_user'::regclass"
        )
        (rij,) = cursor.fetchall() or [(0,)]
    return rij[0]


def test_postgresql_reads_the_user_table_as_often_for_200_proposals_as_for_5(
    wereld, cel, client_voor
):
    # Issue 19: each GET logs one audit row per student shown, and a foreign
    # key constraint on the trail's user was checked per row at commit (an
    # RI trigger: one statement each, invisible to Django's query count):
    # 327 statements per GET at 2,000 students, 750 at 10,000. With the
    # checks made immediate they run inside the test, and each one reads the
    # user table: what the page makes PostgreSQL read there must not grow.
    client = client_voor(wereld.zorgcoordinator)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def meet() -> int:
        client.get(_url(cel))
        voor = _scans_van_gebruikers()
        antwoord = client.get(_url(cel, toon=1000))
        assert antwoord.status_code == 200
        return _scans_van_gebruikers() - voor

    _met_signaal(wereld, 5)
    weinig = meet()
    _met_signaal(wereld, 195)
    veel = meet()

    assert len(_getoond(client.get(_url(cel, toon=1000)))) == 200
    assert veel == weinig, f"{weinig} reads of the user table at 5 proposals, {veel} at 200"


# --- the size of the page ----------------------------------------------------------------


def test_the_page_grows_by_at_most_fifty_short_lines_however_many_are_proposed(
    wereld, cel, client_voor
):
    client = client_voor(wereld.zorgcoordinator)
    _gevraagd(wereld, 5)
    weinig = len(client.get(_url(cel)).content)
    _gevraagd(wereld, 195)
    antwoord = client.get(_url(cel))
    veel = len(antwoord.content)
    _gevraagd(wereld, 100)
    nog_meer = len(client.get(_url(cel)).content)

    # 3 in full and 50 of the other 197 on one line each; a line is a
    # checkbox, a name, a class and a badge per kind of reason (the page
    # was 111 KB for these 200 before issue 19, 556 bytes a proposal).
    assert len(_getoond(antwoord)) == VOORSELECTIE + OOK_PER_KEER
    assert veel < 40_000, f"{veel} bytes for 200 proposals"
    assert (veel - weinig) / (VOORSELECTIE + OOK_PER_KEER - 5) < 450
    # Beyond the lines shown, only the count in "toon meer" changes.
    assert abs(nog_meer - veel) < 20


# --- the rest: one line each, fifty at a time -----------------------------------------------


def test_the_rest_is_shown_one_line_each_and_fifty_at_a_time(wereld, cel, client_voor):
    leerlingen = _gevraagd(wereld, VOORSELECTIE + OOK_PER_KEER + 10)
    client = client_voor(wereld.zorgcoordinator)

    antwoord = client.get(_url(cel))

    html = antwoord.content.decode()
    eerste = [leerling.pk for leerling in leerlingen[: VOORSELECTIE + OOK_PER_KEER]]
    assert _getoond(antwoord) == eerste
    lager = html[html.index('data-testid="ook-voorgesteld"') :]
    assert "Vraag om bespreking" in lager
    assert "Gevraagd door" not in lager  # the full text only above
    assert "Gevraagd door" in html[: html.index('data-testid="ook-voorgesteld"')]
    volgende = leerlingen[VOORSELECTIE + OOK_PER_KEER].pk
    # Without JavaScript the link reloads the page with more; with htmx the
    # next rows replace the link.
    href = f'href="{_url(cel, toon=2 * OOK_PER_KEER)}#voorstel-{volgende}"'
    hx = f'hx-get="{_url(cel, vanaf=OOK_PER_KEER, toon=2 * OOK_PER_KEER).replace("&", "&amp;")}"'
    assert href in html
    assert hx in html
    assert "Toon nog 10 voorstellen (van 10)" in html

    alle = client.get(_url(cel, toon=2 * OOK_PER_KEER))
    assert _getoond(alle) == [leerling.pk for leerling in leerlingen]
    assert 'data-testid="meer"' not in alle.content.decode()

    rest = client.get(
        _url(cel, vanaf=OOK_PER_KEER, toon=2 * OOK_PER_KEER), headers={"HX-Request": "true"}
    )
    assert rest.status_code == 200
    assert _getoond(rest) == [leerling.pk for leerling in leerlingen[-10:]]
    assert "<html" not in rest.content.decode()
    eerste_nieuwe = leerlingen[VOORSELECTIE + OOK_PER_KEER].pk
    assert f'id="voorstel-{eerste_nieuwe}" autofocus>' in rest.content.decode()
    assert "autofocus" not in html


@pytest.mark.parametrize("waarde", ["abc", "-5", "", "9" * 5000, "1e3"])
def test_a_bad_count_in_the_address_shows_the_first_fifty_never_an_error(
    wereld, cel, client_voor, waarde
):
    _gevraagd(wereld, VOORSELECTIE + OOK_PER_KEER + 2)
    client = client_voor(wereld.zorgcoordinator)

    antwoord = client.get(_url(cel), {"toon": waarde, "vanaf": waarde})
    assert antwoord.status_code == 200
    assert len(_getoond(antwoord)) == VOORSELECTIE + OOK_PER_KEER
    rest = client.get(_url(cel), {"toon": waarde, "vanaf": waarde}, headers={"HX-Request": "true"})
    assert rest.status_code == 200


def test_a_proposal_not_shown_yet_can_still_be_chosen_and_a_second_submit_adds_nothing(
    wereld, cel, client_voor
):
    # An open signal stays a reason once its student is on the agenda.
    _met_signaal(wereld, VOORSELECTIE + OOK_PER_KEER + 5)
    client = client_voor(wereld.zorgcoordinator)
    laatste = _getoond(client.get(_url(cel, toon=1000)))[-1]
    assert laatste not in _getoond(client.get(_url(cel)))

    for _ in range(2):
        antwoord = client.post(_url(cel), {"leerling": [laatste]}, follow=True)
        assert antwoord.status_code == 200

    assert list(Agendapunt.objects.filter(overleg=cel).values_list("leerling_id", flat=True)) == [
        laatste
    ]
    assert "De gekozen leerlingen stonden al op de agenda." in antwoord.content.decode()


def test_a_refused_choice_shows_the_page_again_with_every_tick_in_sight(wereld, cel, client_voor):
    leerlingen = _gevraagd(wereld, VOORSELECTIE + OOK_PER_KEER + 20)
    verre = leerlingen[-1]
    client = client_voor(wereld.zorgcoordinator)

    antwoord = client.post(_url(cel), {"leerling": [verre.pk, wereld.leerling_x.pk]})

    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert "tussen de voorstellen" in html
    assert verre.pk in _getoond(antwoord)
    assert f'value="{verre.pk}" id="voorstel-{verre.pk}" checked' in html
    assert not Agendapunt.objects.filter(overleg=cel).exists()


def test_the_trail_names_the_students_each_answer_shows(wereld, cel, client_voor):
    leerlingen = _gevraagd(wereld, VOORSELECTIE + OOK_PER_KEER + 7)
    op_agenda = f.leerling_in(wereld.klas_b)
    k.agendapunt(cel, op_agenda)
    client = client_voor(wereld.zorgcoordinator)

    def gelezen() -> set[int]:
        return set(
            AuditEvent.objects.filter(onderwerp="agendavoorstel", actie=Actie.LEZEN).values_list(
                "leerling_id", flat=True
            )
        )

    # The agenda took one place of the pre-selection: 2 ticked, 51 below.
    client.get(_url(cel))
    zichtbaar = {leerling.pk for leerling in leerlingen[: VOORSELECTIE - 1 + OOK_PER_KEER]}
    assert gelezen() == zichtbaar | {op_agenda.pk}

    # The next rows through htmx: those students, in rows of their own.
    voor = AuditEvent.objects.aggregate(hoogste=Max("id"))["hoogste"]
    client.get(_url(cel, vanaf=OOK_PER_KEER, toon=2 * OOK_PER_KEER), headers={"HX-Request": "true"})
    nieuw = AuditEvent.objects.filter(pk__gt=voor)
    assert sorted(event.leerling_id for event in nieuw) == sorted(
        leerling.pk for leerling in leerlingen[VOORSELECTIE - 1 + OOK_PER_KEER :]
    )


# --- the proposed students as one array parameter -------------------------------------------


def _sql(connectie, ids) -> tuple[str, tuple]:
    queryset = Inschrijving.objects.filter(_EenVan(F("leerling_id"), ids)).values_list("pk")
    return queryset.query.get_compiler(connection=connectie).as_sql()


def test_on_postgresql_the_ids_are_one_array_parameter(db):
    sql, params = _sql(connection, list(range(1, 701)))
    assert '"leerling_id" = ANY(%s::bigint[])' in sql
    assert params == (list(range(1, 701)),)


def test_on_sqlite_the_ids_are_an_in_list(db):
    # The embedded mode: SQLite has no arrays.
    sqlite = SQLiteWrapper(
        {**connection.settings_dict, "ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"},
        alias="sqlite_voor_de_test",
    )
    sql, params = _sql(sqlite, [3, 5, 8])
    assert '"leerling_id" IN (%s, %s, %s)' in sql
    assert params == (3, 5, 8)
