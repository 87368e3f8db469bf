"""Each kind of reminder, on named days of 2026-2027 under a frozen clock:
who gets it, when (school days, the school's lead times, holidays), once."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from clb.models import Laag
from tests.clb.factories import doel, traject
from tests.datums import lokaal
from tests.klassenraad.factories import actiepunt, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_plannen
from zorg.herinneringen.tasks import herinneringen_versturen
from zorg.meldingen.models import Melding

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")
D = datetime.date


def _draai(w, *dag_en_uur):
    with time_machine.travel(lokaal(*dag_en_uur), tick=False):
        return herinneringen_plannen(school_id=w.school.pk)


def _ontvangers(soort, object_id=None):
    rijen = Herinnering.objects.filter(soort=soort)
    if object_id is not None:
        rijen = rijen.filter(object_id=object_id)
    return set(rijen.values_list("ontvanger__email", flat=True))


# --- measures ---------------------------------------------------------------------


def test_a_measure_is_reminded_two_school_days_before_its_evaluation(wereld):
    w = wereld
    # Evaluation on Wednesday 9 December: reminded from Monday 7 December.
    m = MaatregelFactory(
        leerling=w.leerling_a,
        begin=D(2026, 10, 1),
        evaluatiedatum=D(2026, 12, 9),
        beslist_door=w.leerkracht,
    )
    assert _draai(w, 2026, 12, 4, 7) == 0
    _draai(w, 2026, 12, 7, 7)
    assert _ontvangers("maatregel_evaluatie", m.pk) == {
        w.leerkracht.email,
        w.zorgcoordinator.email,
    }
    melding = Melding.objects.get(ontvanger=w.leerkracht, soort="maatregel_evaluatie")
    assert w.leerling_a.voornaam in melding.titel  # in Zorg, for who may read it
    assert melding.leerling == w.leerling_a  # the list that shows it records the read
    assert melding.link.endswith(f"/maatregelen/{m.pk}/")
    # Later runs, the day itself and after: nothing twice.
    assert _draai(w, 2026, 12, 7, 15) == 0
    assert _draai(w, 2026, 12, 10, 7) == 0


def test_a_measure_due_in_the_christmas_holiday_is_reminded_before_it(wereld):
    w = wereld
    w.school.herinnering_evaluatie_dagen = 0
    w.school.save()
    m = MaatregelFactory(
        leerling=w.leerling_a, begin=D(2026, 10, 1), evaluatiedatum=D(2026, 12, 28)
    )
    assert _draai(w, 2026, 12, 28, 9) == 0  # a holiday: no reminders at all
    assert _draai(w, 2027, 1, 3, 9) == 0  # Sunday
    _draai(w, 2027, 1, 4, 7)  # the first school day after
    assert _ontvangers("maatregel_evaluatie", m.pk) == {w.zorgcoordinator.email}


def test_the_recorder_who_may_no_longer_read_the_student_gets_no_reminder(wereld):
    w = wereld
    # leerkracht_b teaches class B, not leerling_a's class A.
    m = MaatregelFactory(
        leerling=w.leerling_a,
        begin=D(2026, 10, 1),
        evaluatiedatum=D(2026, 12, 7),
        beslist_door=w.leerkracht_b,
    )
    _draai(w, 2026, 12, 7, 7)
    assert _ontvangers("maatregel_evaluatie", m.pk) == {w.zorgcoordinator.email}


def test_an_ended_measure_is_not_reminded(wereld):
    w = wereld
    MaatregelFactory(
        leerling=w.leerling_a,
        begin=D(2026, 10, 1),
        evaluatiedatum=D(2026, 12, 7),
        status="gestopt",
        einde=D(2026, 11, 1),
    )
    assert _draai(w, 2026, 12, 7, 7) == 0


# --- action items -----------------------------------------------------------------


def _op(item, vervaldatum):
    item.vervaldatum = vervaldatum
    item.save(update_fields=["vervaldatum"])
    return item


def test_action_items_tomorrow_overdue_and_long_overdue(wereld):
    w = wereld
    with time_machine.travel(lokaal(2026, 11, 20, 10), tick=False):
        cel = overleg(w, dagen=-1)
    # Due Monday 7 December: reminded on Friday 4 December, the school day before.
    morgen = _op(actiepunt(cel, w.leerling_a, w.leerkracht), D(2026, 12, 7))
    # Due Tuesday 1 December: overdue; three school days later (Friday 4
    # December) also to the care coordinators.
    laat = _op(actiepunt(cel, w.leerling_a, w.titularis), D(2026, 12, 1))
    _draai(w, 2026, 12, 3, 7)
    assert _ontvangers("actiepunt_achterstallig", laat.pk) == {w.titularis.email}
    assert _ontvangers("actiepunt_escalatie") == set()
    assert _ontvangers("actiepunt_morgen") == set()
    _draai(w, 2026, 12, 4, 7)
    assert _ontvangers("actiepunt_morgen", morgen.pk) == {w.leerkracht.email}
    assert _ontvangers("actiepunt_escalatie", laat.pk) == {w.zorgcoordinator.email}
    assert Herinnering.objects.filter(soort="actiepunt_achterstallig").count() == 1
    # Each names its student: the list that shows it records the read.
    assert set(
        Melding.objects.filter(soort__startswith="actiepunt_").values_list("leerling", flat=True)
    ) == {w.leerling_a.pk}


def test_a_done_action_item_is_not_reminded(wereld):
    w = wereld
    cel = overleg(w, dagen=-30)
    _op(
        actiepunt(
            cel,
            w.leerling_a,
            w.leerkracht,
            status="afgerond",
            afgehandeld_op=timezone.now(),
            afgehandeld_door=w.leerkracht,
        ),
        D(2026, 12, 1),
    )
    assert _draai(w, 2026, 12, 4, 7) == 0


# --- the care cell ---------------------------------------------------------------


def test_the_care_cell_is_prepared_the_school_day_before(wereld):
    w = wereld
    w.school.zorgcel_weekdag = 1  # Tuesday
    w.school.save()
    with time_machine.travel(lokaal(2026, 12, 1, 10), tick=False):
        cel = overleg(w, moment=lokaal(2026, 12, 8, 13, 0))
    assert _draai(w, 2026, 12, 4, 7) == 0
    _draai(w, 2026, 12, 7, 7)
    (melding,) = Melding.objects.filter(soort="zorgcel_voorbereiden")
    assert melding.ontvanger == w.zorgcoordinator
    assert "08/12/2026" in melding.titel
    assert melding.link.endswith(f"/overleggen/{cel.pk}/agenda/")
    assert "voor" in melding.tekst
    # The Tuesday of the Christmas holiday has no cell: the next is 5 January,
    # prepared on Monday 4 January.
    assert _draai(w, 2026, 12, 18, 7) == 0
    _draai(w, 2027, 1, 4, 7)
    nieuwste = Melding.objects.filter(soort="zorgcel_voorbereiden").order_by("-pk").first()
    assert "05/01/2027" in nieuwste.titel
    assert "nog niet gepland" in nieuwste.titel


def test_without_a_care_cell_day_nothing_is_prepared(wereld):
    assert wereld.school.zorgcel_weekdag is None
    assert _draai(wereld, 2026, 12, 7, 7) == 0


# --- CLB goals --------------------------------------------------------------------


def test_a_shared_goal_reaches_the_clb_lead_and_the_care_coordinators(wereld):
    w = wereld
    with time_machine.travel(lokaal(2026, 11, 2, 10), tick=False):
        lead = w.users["clb"]
        t = traject(w, begeleider=lead)
        # Review on Tuesday 8 December (36 days after 2 November).
        gedeeld = doel(t, lead, dagen=36)
        eigen = doel(t, lead, laag=Laag.CLB, dagen=36)
    _draai(w, 2026, 12, 4, 7)
    assert _ontvangers("doel_evaluatie", gedeeld.pk) == {lead.email, w.zorgcoordinator.email}
    assert _ontvangers("doel_evaluatie", eigen.pk) == {lead.email}
    # The care coordinators' link is the student's page, not the trajectory.
    coordinator = Melding.objects.get(ontvanger=w.zorgcoordinator, soort="doel_evaluatie")
    assert coordinator.link.endswith("#clb")
    assert set(
        Melding.objects.filter(soort="doel_evaluatie").values_list("leerling", flat=True)
    ) == {t.leerling_id}


# --- the whole run ------------------------------------------------------------------


def test_the_beat_task_runs_every_school_and_a_second_run_adds_nothing(wereld):
    w = wereld
    MaatregelFactory(leerling=w.leerling_a, begin=D(2026, 10, 1), evaluatiedatum=D(2026, 12, 7))
    MaatregelFactory(leerling=w.leerling_x, begin=D(2026, 10, 1), evaluatiedatum=D(2026, 12, 7))
    with time_machine.travel(lokaal(2026, 12, 7, 7), tick=False):
        eerste = herinneringen_versturen()
        assert herinneringen_versturen() == 0
    scholen = set(Herinnering.objects.values_list("school_id", flat=True))
    assert eerste == Herinnering.objects.count()
    assert scholen == {w.school.pk, w.school2.pk}
