"""The CLB's goals on the care cell's agenda on awkward days: due by the day
of the cell (also the leap day and New Year's Eve), and a date of another
school year carries its year."""

import datetime

import pytest
import time_machine

from klassenraad.agenda import voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from tests.clb import factories as c
from tests.datums import BRUSSEL
from tests.klassenraad import factories as k

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


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
