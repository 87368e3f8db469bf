"""The CLB's goals on the care cell's agenda on awkward days: due by the day
of the cell (also the leap day and New Year's Eve), and a date of another
school year carries its year."""

import datetime
import zoneinfo

import pytest
import time_machine

from klassenraad.agenda import voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from tests.clb import factories as c
from tests.klassenraad import factories as k

BRUSSEL = zoneinfo.ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def _wereld_in_2026_2027():
    """The days these tests travel to, and the dates they write, are those of
    the school year 2026-2027 (plus the next leap day): build their world on
    a day of that year, whatever day the suite runs on (ZORG_TEST_DATUM), so
    its current school year is the one the dates belong to."""
    with time_machine.travel(datetime.datetime(2026, 12, 4, 10, 0, tzinfo=BRUSSEL), tick=True):
        yield


@pytest.mark.parametrize(
    "cel_dag, evaluatiedatum, dag",
    [
        ("2028-02-29", "2028-02-29", "29/02"),
        ("2026-12-31", "2026-12-31", "31/12"),
        ("2027-01-06", "2026-12-31", "31/12"),
        # Overdue since last school year: its year is shown.
        ("2026-09-08", "2026-06-15", "15/06/2026"),
    ],
)
def test_a_shared_goal_due_by_the_day_of_the_cell_is_on_its_agenda(
    wereld, cel_dag, evaluatiedatum, dag
):
    w = wereld
    datum = datetime.date.fromisoformat(cel_dag)
    moment = datetime.datetime.combine(datum, datetime.time(14), tzinfo=BRUSSEL)
    with time_machine.travel(moment - datetime.timedelta(hours=6), tick=False):
        traject = c.traject(w)
        te_laat = (datetime.date.fromisoformat(evaluatiedatum) - datum).days
        c.doel(traject, w.users["clb"], dagen=te_laat, omschrijving="Plant zelf.")
        c.doel(traject, w.users["clb"], dagen=1, omschrijving="Later.")
        cel = k.overleg(w, OverlegSoort.CEL, moment=moment)
        lijst = voorstellen(cel)

    assert [(v.leerling, v.redenen) for v in lijst] == [
        (
            w.leerling_a,
            [(Agendareden.DOEL, f"Doel van het HGD-traject te evalueren op {dag}: Plant zelf.")],
        )
    ]
