"""The demo's remediation: the subject teacher's class has a whole-class,
a group and a one-student form (the last closed when it began in the past),
and the guiding class council selected some; on any day, summer included."""

import io

import pytest
import time_machine
from django.core.management import call_command

from leerlingen.models import Remediering, TijdlijnItem
from tests.datums import lokaal


def _demo():
    call_command("demo", stdout=io.StringIO(), students=60)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "dag",
    [lokaal(2026, 12, 4), lokaal(2027, 8, 20), lokaal(2028, 2, 29), lokaal(2027, 1, 1)],
    ids=["december", "summer", "leap-day", "new-year"],
)
def test_the_demo_has_remediation_at_every_level_on_any_day(dag):
    with time_machine.travel(dag, tick=False):
        _demo()
    eigen = Remediering.objects.filter(door__email="leerkracht@sint-jozef.example")
    assert set(eigen.values_list("niveau", flat=True)) == {"klas", "groep", "leerling"}
    een = eigen.get(niveau="leerling")
    if een.begin < dag.date():
        assert een.status == "afgerond" and een.resultaat == "bereikt"
    # The class level writes no entry per student; the group three, the one student one.
    assert (
        TijdlijnItem.objects.filter(
            soort="remediering", bron_id=eigen.get(niveau="klas").pk
        ).count()
        == 0
    )
    assert (
        TijdlijnItem.objects.filter(
            soort="remediering", bron_id=eigen.get(niveau="groep").pk
        ).count()
        == 3
    )
