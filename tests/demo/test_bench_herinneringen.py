"""The reminder run of `manage.py bench` (zorg.demo.bench_herinneringen): the
day it runs on follows the school's calendar, whatever day it is; the top-up
writes once; the second run creates nothing."""

import pytest
import time_machine
from django.core.management import call_command

from tests.datums import lokaal
from zorg.accounts.models import School
from zorg.demo.bench_herinneringen import (
    celdagen_instellen,
    herinneringen_aanvullen,
    herinneringen_meten,
    herinneringsmoment,
)
from zorg.demo.plan import DEMO_INSTELLINGSNUMMER
from zorg.herinneringen.models import Herinnering

DONDERDAG = 3


@pytest.mark.usefixtures("wereld_in_2026_2027")
def test_the_run_is_on_the_school_day_before_the_care_cell(wereld):
    school = wereld.school
    with pytest.raises(ValueError):
        herinneringsmoment(school)
    school.zorgcel_weekdag = DONDERDAG
    school.save()
    # From Friday 4 December 2026: Wednesday 9 December, before Thursday's cell.
    assert herinneringsmoment(school) == lokaal(2026, 12, 9, 7, 0)
    # In the autumn holiday (2-8 November 2026): the Tuesday after it, as
    # the Wednesday before Thursday's cell is Armistice Day.
    with time_machine.travel(lokaal(2026, 11, 3, 10), tick=False):
        assert herinneringsmoment(school) == lokaal(2026, 11, 10, 7, 0)
    # In the summer holiday: the last such day of the school year, in June.
    with time_machine.travel(lokaal(2027, 7, 20, 10), tick=False):
        assert herinneringsmoment(school) == lokaal(2027, 6, 23, 7, 0)


def test_the_bench_reminder_run_on_the_demo(db):
    call_command("demo", students=200, verbosity=0)
    # The demo gives its schools with care cells their cell day already (a
    # database of an older demo, reused, gets it from the bench).
    assert celdagen_instellen() == 0
    assert not School.objects.exclude(schooltype="dko").filter(zorgcel_weekdag__isnull=True)
    school = School.objects.get(instellingsnummer=DEMO_INSTELLINGSNUMMER)
    nu = herinneringsmoment(school)
    aanvulling = herinneringen_aanvullen(school, nu)
    assert aanvulling["created"]["red_flags"] >= 1
    assert sum(aanvulling["created"].values()) > 0
    # Topped up: a second bench on the same data writes nothing.
    assert not any(herinneringen_aanvullen(school, nu)["created"].values())

    figures = herinneringen_meten(nu)
    eerste, tweede = figures["first_run"], figures["second_run"]
    assert eerste["reminders"] == eerste["notifications"] == Herinnering.objects.count() > 0
    assert {"rode_vlag_escalatie", "zorgcel_voorbereiden"} <= set(eerste["reminders_by_kind"])
    assert eerste["queries"] > 0
    assert tweede["reminders"] == tweede["notifications"] == 0
    assert tweede["queries"] <= eerste["queries"]
    assert figures["at"] == nu.isoformat(timespec="minutes")
