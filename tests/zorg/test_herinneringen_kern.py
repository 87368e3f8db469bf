"""The reminder run itself, with a planner of the test's own: each reminder
once per (kind, object, due date, person), school days only unless the kind
is an alarm, a fixed number of queries, and two runs at once remind once."""

import datetime
import threading

import pytest
from django.db import connection

from tests import factories as f
from tests.datums import lokaal
from zorg.herinneringen import planners as registry
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.planners import Planner, Voorstel
from zorg.herinneringen.services import herinneringen_plannen
from zorg.meldingen import soorten
from zorg.meldingen.models import Melding
from zorg.meldingen.soorten import Modus, Soort

VRIJDAG = lokaal(2026, 12, 4, 7, 0)
ZATERDAG = lokaal(2026, 12, 5, 7, 0)


class Stand:
    """What the test planner proposes: `aantal` objects, each due today,
    for the people in `ontvangers`."""

    aantal = 3
    ontvangers: list = []
    gemarkeerd: list = []


def _plannen(school, nu, kalender):
    vandaag = nu.astimezone(lokaal(2026, 1, 1).tzinfo).date()
    for object_id in range(1, Stand.aantal + 1):
        yield Voorstel(
            object_id=object_id,
            vervaldatum=vandaag,
            ontvangers=frozenset(u.pk for u in Stand.ontvangers),
            titel=f"Herinnering {object_id}",
            link="/",
        )


@pytest.fixture
def planner(monkeypatch):
    monkeypatch.setattr(registry, "_PLANNERS", {})
    for soort in (Soort("t_gewoon", "Gewoon", Modus.DIRECT), Soort("t_alarm", "Alarm", vast=True)):
        monkeypatch.setitem(soorten._SOORTEN, soort.code, soort)
    Stand.aantal, Stand.gemarkeerd = 3, []
    registry.planner_registreren(Planner("t_gewoon", _plannen))
    registry.planner_registreren(
        Planner("t_alarm", _plannen, alleen_schooldagen=False, na_aanmaken=Stand.gemarkeerd.extend)
    )


def test_a_run_reminds_each_person_once_of_each_thing(db, planner):
    school = f.SchoolFactory()
    Stand.ontvangers = f.UserFactory.create_batch(2)
    assert herinneringen_plannen(school_id=school.pk, nu=VRIJDAG) == 2 * 3 * 2
    assert Melding.objects.count() == 12
    assert Stand.gemarkeerd == [1, 2, 3]
    # The same run again, later that day: nothing new.
    assert herinneringen_plannen(school_id=school.pk, nu=VRIJDAG + datetime.timedelta(hours=3)) == 0
    # A new person for the same things: only theirs.
    Stand.ontvangers = [*Stand.ontvangers, f.UserFactory()]
    assert herinneringen_plannen(school_id=school.pk, nu=VRIJDAG) == 3 * 2
    assert Herinnering.objects.count() == 18
    herinnering = Herinnering.objects.select_related("melding").first()
    assert herinnering.melding.ontvanger_id == herinnering.ontvanger_id
    assert herinnering.melding.soort == herinnering.soort


def test_on_a_free_day_only_alarms_are_raised(db, planner):
    school = f.SchoolFactory()
    Stand.ontvangers = [f.UserFactory()]
    assert herinneringen_plannen(school_id=school.pk, nu=ZATERDAG) == 3
    assert set(Herinnering.objects.values_list("soort", flat=True)) == {"t_alarm"}
    kerst = lokaal(2026, 12, 23, 9, 0)  # a Wednesday in the Christmas holiday
    assert (
        set(Herinnering.objects.filter(vervaldatum=kerst.date()).values_list("soort", flat=True))
        == set()
    )
    herinneringen_plannen(school_id=school.pk, nu=kerst)
    assert set(
        Herinnering.objects.filter(vervaldatum=kerst.date()).values_list("soort", flat=True)
    ) == {"t_alarm"}


def test_the_run_takes_a_fixed_number_of_queries(db, planner, django_assert_max_num_queries):
    school = f.SchoolFactory()
    Stand.ontvangers = f.UserFactory.create_batch(2)
    Stand.aantal = 2
    with django_assert_max_num_queries(20) as weinig:
        herinneringen_plannen(school_id=school.pk, nu=VRIJDAG)
    Herinnering.objects.all().delete()
    Stand.ontvangers = f.UserFactory.create_batch(10)
    Stand.aantal = 40
    with django_assert_max_num_queries(len(weinig.captured_queries)):
        assert herinneringen_plannen(school_id=school.pk, nu=VRIJDAG) == 2 * 40 * 10


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remind_once(planner):
    school = f.SchoolFactory()
    Stand.ontvangers = f.UserFactory.create_batch(3)
    start = threading.Barrier(2)
    uitkomst = []

    def run():
        try:
            start.wait()
            uitkomst.append(herinneringen_plannen(school_id=school.pk, nu=VRIJDAG))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(uitkomst) == [0, 18]
    assert Herinnering.objects.count() == 18
    assert Melding.objects.count() == 18
