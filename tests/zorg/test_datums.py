"""The start page and the school year on awkward days, under a frozen clock:
"today" is the Brussels day (at 00:30 on 1 January it is 31 December in UTC),
on DST Sundays too; the school year runs 1 September to 31 August."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import Actiepunt, OverlegSoort
from tests.datums import BRUSSEL, UTC, lokaal
from tests.klassenraad import factories as kf
from zorg.accounts.models import schooljaar_begin, zelfde_schooljaar

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


# "Now" on each awkward day, and the Brussels date it is then. 02:30 on the
# last Sunday of March does not exist (02:00 jumps to 03:00); 02:30 on the last
# Sunday of October happens twice.
NU = {
    "1 september": (lokaal(2026, 9, 1, 7, 45), "2026-09-01"),
    "4 december": (lokaal(2026, 12, 4), "2026-12-04"),
    "31 december laat": (lokaal(2026, 12, 31, 23, 30), "2026-12-31"),
    "1 januari vroeg, in UTC nog 31 december": (lokaal(2027, 1, 1, 0, 30), "2027-01-01"),
    "29 februari": (lokaal(2028, 2, 29, 0, 15), "2028-02-29"),
    "laatste zondag maart, na de sprong": (
        datetime.datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        "2027-03-28",
    ),
    "laatste zondag oktober, eerste 02:30": (lokaal(2026, 10, 25, 2, 30, fold=0), "2026-10-25"),
    "laatste zondag oktober, tweede 02:30": (lokaal(2026, 10, 25, 2, 30, fold=1), "2026-10-25"),
    "30 juni": (lokaal(2027, 6, 30, 16), "2027-06-30"),
    "15 juli": (lokaal(2027, 7, 15), "2027-07-15"),
    "20 augustus": (lokaal(2027, 8, 20), "2027-08-20"),
}


def _dag(tekst) -> datetime.date:
    return datetime.date.fromisoformat(tekst)


def _start(client):
    return client.get(reverse("start"))


# --- the school year ------------------------------------------------------------------


@pytest.mark.parametrize(
    "datum, begin",
    [
        ("2026-09-01", "2026-09-01"),
        ("2026-12-04", "2026-09-01"),
        ("2026-12-31", "2026-09-01"),
        ("2027-01-01", "2026-09-01"),
        ("2027-03-28", "2026-09-01"),
        ("2026-10-25", "2026-09-01"),
        ("2027-06-30", "2026-09-01"),
        # Summer still belongs to the school year that ends on 31 August.
        ("2027-07-15", "2026-09-01"),
        ("2027-08-20", "2026-09-01"),
        ("2027-08-31", "2026-09-01"),
        ("2027-09-01", "2027-09-01"),
        ("2028-02-29", "2027-09-01"),
    ],
)
def test_the_school_year_of_a_day_runs_from_1_september_to_31_august(datum, begin):
    assert schooljaar_begin(_dag(datum)) == _dag(begin)
    assert zelfde_schooljaar(_dag(datum), _dag(begin))
    assert not zelfde_schooljaar(_dag(datum), _dag(begin) - datetime.timedelta(days=1))


# --- the start page: action items -------------------------------------------------------


@pytest.mark.parametrize("nu, vandaag", NU.values(), ids=NU)
def test_an_action_item_is_overdue_from_the_day_after_its_due_date_in_brussels(
    wereld, client_voor, nu, vandaag
):
    w = wereld
    cel = kf.overleg(w, moment=lokaal(2026, 6, 1))
    dag = _dag(vandaag)
    for omschrijving, vervaldatum in (
        ("morgen", dag + datetime.timedelta(days=1)),
        ("vandaag", dag),
        ("gisteren", dag - datetime.timedelta(days=1)),
    ):
        Actiepunt.objects.create(
            overleg=cel,
            leerling=w.leerling_a,
            eigenaar=w.titularis,
            omschrijving=omschrijving,
            vervaldatum=vervaldatum,
        )

    with time_machine.travel(nu, tick=False):
        assert timezone.localdate() == dag
        antwoord = _start(client_voor(w.titularis))
        te_laat = [a.omschrijving for a in Actiepunt.objects.achterstallig()]
        per_punt = {a.omschrijving: a.is_achterstallig for a in Actiepunt.objects.all()}

    assert [a.omschrijving for a in antwoord.context["mijn_actiepunten"]] == [
        "gisteren",
        "vandaag",
        "morgen",
    ]
    assert antwoord.context["mijn_actiepunten_achterstallig"] == 1
    assert "1 actiepunt is te laat." in antwoord.content.decode()
    assert te_laat == ["gisteren"]
    assert per_punt == {"gisteren": True, "vandaag": False, "morgen": False}


# --- the start page: the next care cell ---------------------------------------------------


@pytest.mark.parametrize("nu, vandaag", NU.values(), ids=NU)
def test_the_next_cell_is_the_first_from_brussels_midnight_today(wereld, client_voor, nu, vandaag):
    """A cell earlier today still shows (it may be going on); one late
    yesterday evening does not, though in UTC it may be "today"."""
    w = wereld
    dag = _dag(vandaag)
    middernacht = datetime.datetime.combine(dag, datetime.time.min, tzinfo=BRUSSEL)
    gisteren = kf.overleg(w, OverlegSoort.CEL, moment=middernacht - datetime.timedelta(minutes=5))
    vandaag_cel = kf.overleg(
        w, OverlegSoort.CEL, moment=middernacht + datetime.timedelta(minutes=5)
    )
    kf.overleg(w, OverlegSoort.CEL, moment=middernacht + datetime.timedelta(days=7))

    with time_machine.travel(nu, tick=False):
        antwoord = _start(client_voor(w.zorgcoordinator))

    assert antwoord.context["volgende_cellen"] == [vandaag_cel]
    assert gisteren.moment < vandaag_cel.moment
