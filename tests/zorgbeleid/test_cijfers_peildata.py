"""Students per phase on the reference dates at their edges: changes on the
same day, a change or an enrolment that begins or ends exactly on a
reference date, overlapping enrolments, the phase-2 figure's trajectories;
and a number of SQL statements that does not grow with the school.

Each case gets a class of a grade the hand-built world
(tests/zorgbeleid/wereld.py) does not use (4, 5, 6), so its counts stand
apart. The report is computed on 15 July 2027: the reference dates are
1 October 2026, 1 February, 30 June and 15 July 2027."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clb.models import HGDTraject, Trajectstap, Uitkomst
from leerlingen.models import Aanmelding, Inschrijving
from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_vlaggen import vlag_met
from tests.zorgbeleid import wereld
from tests.zorgbeleid.wereld import D, evaluatie, maatregel, traject, wijziging
from zorgbeleid.cijfers import jaarvergelijking, schoolcijfers

cijferwereld = wereld.cijferwereld
JULI = lokaal(2027, 7, 15)


def _cijfers(cw):
    with time_machine.travel(JULI, tick=False):
        return schoolcijfers(cw.school, cw.jaar)


def _peil(c, naam):
    return next(p for p in c.continuum.peildata if p.naam == naam)


def _klas(cw, leerjaar: int):
    return f.KlasFactory(schooljaar=cw.jaar, naam=f"{leerjaar}A", leerjaar=leerjaar)


def test_of_two_changes_on_one_day_the_later_one_holds(cijferwereld):
    cw = cijferwereld
    leerling = f.leerling_in(_klas(cw, 4))
    wijziging(cw.w, leerling, 0, 1, D(2026, 11, 10))
    wijziging(cw.w, leerling, 1, 2, D(2026, 11, 10))
    c = _cijfers(cw)
    assert _peil(c, "oktober").per_leerjaar["4"] == {"0": 1}
    assert _peil(c, "februari").per_leerjaar["4"] == {"2": 1}
    # A day in phase 1 that began and ended on 10 November: no stay of 0
    # days is lost, none invented (the world has 8).
    assert c.continuum.verblijf["1"].n == 9


def test_a_change_on_a_reference_date_counts_on_that_date(cijferwereld):
    cw = cijferwereld
    op = f.leerling_in(_klas(cw, 4))
    wijziging(cw.w, op, 0, 1, D(2026, 10, 1))
    heen_en_terug = f.leerling_in(_klas(cw, 5))
    wijziging(cw.w, heen_en_terug, 0, 1, D(2027, 2, 1))
    wijziging(cw.w, heen_en_terug, 1, 0, D(2027, 2, 1))
    c = _cijfers(cw)
    assert _peil(c, "oktober").per_leerjaar["4"] == {"1": 1}
    # Up and back down on 1 February itself: phase 0 that day, 1 before it
    # never (its first change's `van` is 0).
    assert _peil(c, "oktober").per_leerjaar["5"] == {"0": 1}
    assert _peil(c, "februari").per_leerjaar["5"] == {"0": 1}
    assert c.continuum.verblijf["1"].n == 9
    assert (c.continuum.wijzigingen_op, c.continuum.wijzigingen_af) == (9 + 2, 6 + 1)


def test_an_enrolment_counts_on_the_day_it_begins_and_the_day_it_ends(cijferwereld):
    cw = cijferwereld
    klas = _klas(cw, 4)
    later = f.LeerlingFactory(school=cw.school)
    f.InschrijvingFactory(leerling=later, klas=klas, begin=D(2027, 2, 1))
    weg = f.leerling_in(klas)
    Inschrijving.objects.filter(leerling=weg).update(einde=D(2026, 10, 1))
    c = _cijfers(cw)
    assert _peil(c, "oktober").per_leerjaar["4"] == {"0": 1}
    assert _peil(c, "februari").per_leerjaar["4"] == {"0": 1}
    assert _peil(c, "oktober").totaal == 23 + 1
    assert _peil(c, "februari").totaal == 22 + 1


def test_a_student_with_two_covering_enrolments_counts_once_in_the_later_class(cijferwereld):
    cw = cijferwereld
    vier, vijf, zes = _klas(cw, 4), _klas(cw, 5), _klas(cw, 6)
    # Moved to 5A on 15 January without the 4A enrolment being closed.
    verhuisd = f.leerling_in(vier)
    f.InschrijvingFactory(leerling=verhuisd, klas=vijf, begin=D(2027, 1, 15))
    # Two enrolments from the same day: the later one made (higher id) wins.
    dubbel = f.leerling_in(vier)
    f.InschrijvingFactory(leerling=dubbel, klas=zes, begin=cw.jaar.begin)
    wijziging(cw.w, dubbel, 0, 1, D(2026, 9, 20))
    c = _cijfers(cw)
    oktober, februari = _peil(c, "oktober"), _peil(c, "februari")
    assert oktober.per_leerjaar["4"] == {"0": 1}
    assert "5" not in oktober.per_leerjaar
    assert oktober.per_leerjaar["6"] == {"1": 1}
    assert februari.per_leerjaar["5"] == {"0": 1}
    assert "4" not in februari.per_leerjaar
    assert (oktober.totaal, februari.totaal) == (23 + 2, 22 + 2)


def test_a_student_who_moves_class_counts_in_each_dates_grade_and_campus(cijferwereld):
    # The world's wisselaar (1A until 14 January, 2A from the 15th), as
    # counted per campus: Noord in October, Zuid in February.
    cw = cijferwereld
    Inschrijving.objects.exclude(leerling=cw.wisselaar).filter(klas__schooljaar=cw.jaar).delete()
    c = _cijfers(cw)
    assert _peil(c, "oktober").per_campus == {"Noord": {"0": 1}}
    assert _peil(c, "februari").per_campus == {"Zuid": {"0": 1}}
    assert _peil(c, "oktober").per_leerjaar == {"1": {"0": 1}}
    assert _peil(c, "februari").per_leerjaar == {"2": {"0": 1}}


def test_extended_care_counts_a_trajectory_running_on_the_last_reference_date(cijferwereld):
    cw = cijferwereld
    klas = _klas(cw, 4)
    gesloten = f.leerling_in(klas)
    wijziging(cw.w, gesloten, 0, 2, D(2026, 12, 1))
    traject(
        cw.w, gesloten, gemeld=D(2027, 1, 5), geopend=D(2027, 1, 10),
        bron=Aanmelding.Bron.CEL, status=HGDTraject.Status.AFGESLOTEN,
        afgesloten_op=D(2027, 7, 15), uitkomst=Uitkomst.EXTERNE_HULP,
    )  # fmt: skip
    nieuw = f.leerling_in(klas)
    wijziging(cw.w, nieuw, 0, 2, D(2026, 12, 1))
    traject(cw.w, nieuw, gemeld=D(2027, 7, 1), geopend=D(2027, 7, 15), bron=Aanmelding.Bron.CEL)
    # In phase 2 until 1 July: not on the last reference date, trajectory or not.
    terug = f.leerling_in(klas)
    wijziging(cw.w, terug, 0, 2, D(2026, 12, 1))
    wijziging(cw.w, terug, 2, 1, D(2027, 7, 1))
    traject(cw.w, terug, gemeld=D(2027, 1, 5), geopend=D(2027, 1, 10), bron=Aanmelding.Bron.CEL)
    c = _cijfers(cw).continuum
    # The world's two (stijger with a trajectory in stage strategie, zomer
    # without), the one whose trajectory closed that day (no longer
    # running), the one whose trajectory opened that day (intake).
    assert (c.fase2_leerlingen, c.fase2_met_traject) == (4, 2)
    assert c.fase2_traject_per_stap == {"intake": 1, "strategie": 1}
    assert _peil(_cijfers(cw), "juni").per_leerjaar["4"] == {"2": 3}


def _statements(cw) -> int:
    with time_machine.travel(JULI, tick=False), CaptureQueriesContext(connection) as q:
        jaarvergelijking(cw.school, cw.jaar)
    return len(q)


def test_the_year_comparison_takes_the_same_statements_for_a_larger_school(cijferwereld):
    # Guards against a statement per student, enrolment, change, measure or
    # flag, with every edge the statements handle: class changes, same-day
    # changes, overlapping enrolments, trajectories, evaluations.
    cw = cijferwereld
    klein = _statements(cw)
    w = cw.w
    vier, vijf = _klas(cw, 4), _klas(cw, 5)
    for i in range(12):
        leerling = f.leerling_in(vier)
        Inschrijving.objects.filter(leerling=leerling).update(einde=D(2027, 1, 1 + i))
        f.InschrijvingFactory(leerling=leerling, klas=vijf, begin=D(2027, 1, 1 + i))
        wijziging(w, leerling, 0, 1, D(2026, 10, 1 + i))
        wijziging(w, leerling, 1, 2, D(2026, 10, 1 + i))
        traject(
            w, leerling, gemeld=D(2026, 10, 2), geopend=D(2026, 10, 3 + i),
            bron=Aanmelding.Bron.CEL, stap=Trajectstap.ONDERZOEK,
        )  # fmt: skip
        m = maatregel(
            w, leerling, "stimulerend", "toetsen",
            begin=D(2026, 10, 2), evaluatiedatum=D(2027, 1, 1),
        )  # fmt: skip
        evaluatie(w, m, D(2027, 1, 5), "werkt", "verderzetten", D(2027, 3, 1))
        vlag_met(leerling, klas=vier, moment=lokaal(2026, 11, 1 + i))
    assert _statements(cw) == klein
    assert klein <= 60


@pytest.mark.parametrize("dag", [lokaal(2026, 8, 20), lokaal(2026, 9, 1, 0, 5)])
def test_a_year_before_or_on_its_first_day_has_its_dates_and_no_error(cijferwereld, dag):
    with time_machine.travel(dag, tick=False):
        c = schoolcijfers(cijferwereld.school, cijferwereld.jaar)
    namen = [p.naam for p in c.continuum.peildata]
    assert namen[:3] == ["oktober", "februari", "juni"]
    # Today only once the year has begun; none of the dates has come yet,
    # but the classes are there: the counts are those of the enrolments.
    assert ("vandaag" in namen) == (dag.month == 9)
    assert _peil(c, "oktober").totaal == 23
