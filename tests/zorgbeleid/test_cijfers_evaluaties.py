"""The share of measures evaluated on time (zorgbeleid.cijfers, Maatregelen
.tijdig_geevalueerd) against a hand-built world of its own, made through
the services the way users make it (so each evaluation's termijn is the one
the service kept), on the days it happened.

School year 2026-2027 (1 September 2026 - 31 August 2027), counted on 15
July 2027 unless a test travels elsewhere. One measure per student:

- op_tijd: deadline 1 December, evaluated 25 November (stopped): on time.
- te_laat: deadline 1 December, evaluated 10 December (stopped): late.
- precies: deadline 15 January, evaluated on 15 January itself: on time;
  it continues to 15 April, evaluated 20 April (stopped): late.
- verschoven: deadline 1 February, planned date moved to 20 February by an
  edit, evaluated 15 February: late against the deadline, though before the
  moved date.
- gemist: deadline 1 March, never evaluated: late.
- gestopt: deadline 1 March, stopped without evaluation on 20 February: it
  owed no evaluation, not counted.
- onbekend: an evaluation recorded before deadlines were kept (termijn
  None, as migration 0008 leaves them): not counted.
- later: deadline 1 August, not evaluated: not yet due on 15 July.
- vroeg: deadline 20 July, evaluated early on 10 July (stopped): not yet
  due on 15 July either (a deadline counts once it passed); on time after.
- augustus / september: deadlines 31 August and 1 September 2027, never
  evaluated: the first in 2026-2027, the second in 2027-2028.
- last year (2025-2026): vorig_op_tijd (deadline 15 May 2026, evaluated
  10 May) and vorig_te_laat (deadline 30 June 2026, evaluated 5 September
  2026: a late evaluation of last year's deadline counts in last year).
- another school's missed deadline: never counted.

On 15 July 2027: 2 of 6 on time (op_tijd, precies's first; te_laat,
precies's second, verschoven, gemist late); last year 1 of 2.
"""

import dataclasses
import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from leerlingen.models import Maatregel, MaatregelEvaluatie
from leerlingen.services.maatregelen import (
    MaatregelGegevens,
    maatregel_evalueren,
    maatregel_maken,
    maatregel_stoppen,
    maatregel_wijzigen,
)
from tests import factories as f
from tests.datums import lokaal
from zorgbeleid.cijfers import jaarvergelijking, schoolcijfers
from zorgbeleid.kleine_aantallen import KLEIN, beschermen
from zorgbeleid.rapport import fasenamen, rapport_opbouwen

D = datetime.date
JULI = lokaal(2027, 7, 15)
E = MaatregelEvaluatie.Effect
B = MaatregelEvaluatie.Beslissing


def _op(dag: D):
    return time_machine.travel(lokaal(dag.year, dag.month, dag.day), tick=False)


def _gegevens(begin: D, evaluatiedatum: D) -> MaatregelGegevens:
    return MaatregelGegevens(
        soort="compenserend",
        titel="Extra tijd bij toetsen",
        domeinen=1,
        bereik="alle_vakken",
        begin=begin,
        evaluatiedatum=evaluatiedatum,
        beslist_waar="cel",
    )


@dataclasses.dataclass
class Evaluatiewereld:
    w: object
    jaar: object
    volgend: object
    maatregelen: dict


def _maken(w, naam, wereld_maatregelen, *, begin, termijn, leerling=None) -> Maatregel:
    leerling = leerling or f.leerling_in(w.klas_a)
    with _op(begin):
        m = maatregel_maken(
            leerling=leerling, gegevens=_gegevens(begin, termijn), door=w.zorgcoordinator
        )
    wereld_maatregelen[naam] = m
    return m


def _evalueren(w, m, datum, beslissing=B.STOPPEN, volgende=None):
    with _op(datum):
        return maatregel_evalueren(
            maatregel=Maatregel.objects.get(pk=m.pk),
            datum=datum,
            effect=E.WERKT,
            beslissing=beslissing,
            volgende_evaluatie=volgende,
            door=w.zorgcoordinator,
        )


def bouw(w) -> Evaluatiewereld:
    ms: dict[str, Maatregel] = {}
    sep = D(2026, 9, 1)
    _evalueren(w, _maken(w, "op_tijd", ms, begin=sep, termijn=D(2026, 12, 1)), D(2026, 11, 25))
    _evalueren(w, _maken(w, "te_laat", ms, begin=sep, termijn=D(2026, 12, 1)), D(2026, 12, 10))
    precies = _maken(w, "precies", ms, begin=sep, termijn=D(2027, 1, 15))
    _evalueren(w, precies, D(2027, 1, 15), B.VERDERZETTEN, D(2027, 4, 15))
    _evalueren(w, precies, D(2027, 4, 20))

    verschoven = _maken(w, "verschoven", ms, begin=sep, termijn=D(2027, 2, 1))
    with _op(D(2027, 1, 25)):
        maatregel_wijzigen(
            maatregel_id=verschoven.pk,
            versie=verschoven.versie,
            gegevens=_gegevens(sep, D(2027, 2, 20)),
            door=w.zorgcoordinator,
        )
    _evalueren(w, verschoven, D(2027, 2, 15))

    _maken(w, "gemist", ms, begin=sep, termijn=D(2027, 3, 1))
    gestopt = _maken(w, "gestopt", ms, begin=sep, termijn=D(2027, 3, 1))
    with _op(D(2027, 2, 20)):
        maatregel_stoppen(
            maatregel=gestopt, datum=D(2027, 2, 20), reden="verhuisd", door=w.zorgcoordinator
        )
    onbekend = _maken(w, "onbekend", ms, begin=sep, termijn=D(2026, 10, 1))
    _evalueren(w, onbekend, D(2026, 10, 20))
    MaatregelEvaluatie.objects.filter(maatregel=onbekend).update(termijn=None)

    _maken(w, "later", ms, begin=sep, termijn=D(2027, 8, 1))
    _evalueren(w, _maken(w, "vroeg", ms, begin=sep, termijn=D(2027, 7, 20)), D(2027, 7, 10))
    _maken(w, "augustus", ms, begin=sep, termijn=D(2027, 8, 31))
    _maken(w, "september", ms, begin=sep, termijn=D(2027, 9, 1))

    vorig_begin = D(2026, 2, 1)
    vorig_op_tijd = _maken(w, "vorig_op_tijd", ms, begin=vorig_begin, termijn=D(2026, 5, 15))
    _evalueren(w, vorig_op_tijd, D(2026, 5, 10))
    vorig_te_laat = _maken(w, "vorig_te_laat", ms, begin=vorig_begin, termijn=D(2026, 6, 30))
    _evalueren(w, vorig_te_laat, D(2026, 9, 5))

    _maken(w, "andere_school", ms, begin=sep, termijn=D(2026, 10, 1), leerling=w.leerling_x)

    volgend = f.SchooljaarFactory(school=w.school, begin=D(2027, 9, 1), is_huidig=False)
    return Evaluatiewereld(w=w, jaar=w.schooljaar, volgend=volgend, maatregelen=ms)


@pytest.fixture
def ew(wereld_in_2026_2027, wereld) -> Evaluatiewereld:
    return bouw(wereld)


def _tijdig(ew, dag, jaar=None):
    with time_machine.travel(dag, tick=False):
        t = schoolcijfers(ew.w.school, jaar or ew.jaar).maatregelen.tijdig_geevalueerd
    return (t.teller, t.noemer, t.procent)


# --- what the services keep --------------------------------------------------------


def test_each_evaluation_keeps_the_deadline_it_answered_not_the_moved_date(ew):
    termijnen = lambda naam: list(  # noqa: E731
        MaatregelEvaluatie.objects.filter(maatregel=ew.maatregelen[naam])
        .order_by("aangemaakt")
        .values_list("termijn", flat=True)
    )
    assert termijnen("precies") == [D(2027, 1, 15), D(2027, 4, 15)]
    assert termijnen("verschoven") == [D(2027, 2, 1)]
    gemist = Maatregel.objects.get(pk=ew.maatregelen["gemist"].pk)
    assert (gemist.evaluatiedatum, gemist.evaluatietermijn) == (D(2027, 3, 1), D(2027, 3, 1))


# --- the figure -------------------------------------------------------------------


def test_on_time_late_moved_and_missed_deadlines_of_the_year(ew):
    # On time: op_tijd, precies (on the day itself). Late: te_laat, precies
    # again, verschoven, gemist. Not counted: gestopt, onbekend, later,
    # vroeg, augustus, september, last year's, the other school's.
    assert _tijdig(ew, JULI) == (2, 6, 33.3)


def test_a_deadline_met_on_the_day_itself_is_on_time(ew):
    precies = Maatregel.objects.get(pk=ew.maatregelen["precies"].pk)
    # Without the first evaluation of precies (on 15 January, its deadline)
    # the figure has one on-time deadline fewer.
    MaatregelEvaluatie.objects.filter(maatregel=precies, datum=D(2027, 1, 15)).update(
        datum=D(2027, 1, 16)
    )
    assert _tijdig(ew, JULI) == (1, 6, 16.7)


def test_a_moved_planned_date_does_not_move_the_deadline(ew):
    # Measured against its moved date (20 February), verschoven's evaluation
    # of 15 February would be on time; against its deadline it is late.
    assert _tijdig(ew, JULI)[:2] == (2, 6)
    MaatregelEvaluatie.objects.filter(maatregel=ew.maatregelen["verschoven"]).update(
        termijn=D(2027, 2, 20)
    )
    assert _tijdig(ew, JULI)[:2] == (3, 6)


def test_deadlines_not_yet_passed_do_not_count_and_count_once_passed(ew):
    # 21 July: vroeg's deadline (20 July, met on 10 July) has passed.
    assert _tijdig(ew, lokaal(2027, 7, 21)) == (3, 7, 42.9)
    # 2 August: later's (1 August) has passed unmet.
    assert _tijdig(ew, lokaal(2027, 8, 2)) == (3, 8, 37.5)


def test_a_deadline_of_31_august_is_last_years_and_of_1_september_the_next(ew):
    # On 31 August the deadline of that day can still be met: not counted yet.
    assert _tijdig(ew, lokaal(2027, 8, 31)) == (3, 8, 37.5)
    # From 1 September it has passed: it counts in the year that ended.
    assert _tijdig(ew, lokaal(2027, 9, 1)) == (3, 9, 33.3)
    assert _tijdig(ew, lokaal(2027, 9, 15)) == (3, 9, 33.3)
    # 1 September is the new year's: not yet passed on the day, missed after.
    assert _tijdig(ew, lokaal(2027, 9, 1), ew.volgend) == (0, 0, None)
    assert _tijdig(ew, lokaal(2027, 9, 15), ew.volgend) == (0, 1, 0.0)


def test_last_years_column_holds_its_own_deadlines(ew):
    with time_machine.travel(JULI, tick=False):
        v = jaarvergelijking(ew.w.school, ew.jaar)
    vorig = v.vorig_jaar.maatregelen.tijdig_geevalueerd
    # vorig_te_laat was evaluated in this year (5 September 2026), but its
    # deadline was last year's: late there, not counted here.
    assert (vorig.teller, vorig.noemer, vorig.procent) == (1, 2, 50.0)
    dit = v.dit_jaar.maatregelen.tijdig_geevalueerd
    assert (dit.teller, dit.noemer) == (2, 6)


def test_the_report_shows_the_share_beside_last_year(ew):
    with time_machine.travel(JULI, tick=False), translation.override("nl"):
        v = jaarvergelijking(ew.w.school, ew.jaar)
        fasen = fasenamen(ew.w.school.schooltype)
        exact = rapport_opbouwen(v, beschermd=False, fasen=fasen)
        beschermd = rapport_opbouwen(v, beschermd=True, fasen=fasen)

    def tabel(rapport):
        t = next(t for _s, t in rapport.tabellen() if t.sleutel == "maatregelen_tijdig")
        return t.kolommen, [(r.label, r.cellen) for r in t.rijen]

    kolommen, rijen = tabel(exact)
    assert kolommen == ["2026-2027", "2025-2026"]
    assert rijen == [
        ("evaluaties op of vóór hun termijn", [2, 1]),
        ("evaluatietermijnen verstreken in het schooljaar", [6, 2]),
        ("aandeel (%)", [33.3, 50.0]),
    ]
    # Leaving the school: 2 on time, 4 late, 1, 2: each fewer than five.
    _, rijen = tabel(beschermd)
    assert [cellen for _l, cellen in rijen] == [[KLEIN, KLEIN], [6, KLEIN], [None, None]]


# --- small numbers ----------------------------------------------------------------


def test_the_share_leaving_the_school_hides_fewer_than_five(ew):
    with time_machine.travel(JULI, tick=False):
        t = beschermen(schoolcijfers(ew.w.school, ew.jaar))["maatregelen"]["tijdig_geevalueerd"]
    assert t == {"teller": KLEIN, "noemer": 6, "procent": None}


def test_few_late_ones_hide_the_on_time_count_that_would_give_them_away(ew):
    # Eight more measures evaluated on time: 10 of 14 on time, 4 late. The
    # 10 and the 14 would give the 4 away: the 10 is hidden.
    for _ in range(8):
        m = _maken(ew.w, "extra", {}, begin=D(2026, 9, 1), termijn=D(2026, 11, 1))
        _evalueren(ew.w, m, D(2026, 10, 30))
    assert _tijdig(ew, JULI) == (10, 14, 71.4)
    with time_machine.travel(JULI, tick=False):
        t = beschermen(schoolcijfers(ew.w.school, ew.jaar))["maatregelen"]["tijdig_geevalueerd"]
    assert t == {"teller": KLEIN, "noemer": 14, "procent": None}
    # Five late ones: nothing to hide.
    _maken(ew.w, "extra", {}, begin=D(2026, 9, 1), termijn=D(2026, 11, 1))
    with time_machine.travel(JULI, tick=False):
        t = beschermen(schoolcijfers(ew.w.school, ew.jaar))["maatregelen"]["tijdig_geevalueerd"]
    assert t == {"teller": 10, "noemer": 15, "procent": 66.7}


# --- statements -------------------------------------------------------------------


def _statements(ew) -> int:
    with time_machine.travel(JULI, tick=False), CaptureQueriesContext(connection) as q:
        schoolcijfers(ew.w.school, ew.jaar)
    return len(q)


def test_more_evaluations_and_missed_deadlines_take_no_more_statements(ew):
    # Guards against a statement per measure or evaluation for the share.
    voor = _statements(ew)
    for i in range(6):
        m = _maken(ew.w, "extra", {}, begin=D(2026, 9, 1), termijn=D(2026, 11, 1 + i))
        if i % 2:
            _evalueren(ew.w, m, D(2026, 11, 3))
    # Six more deadlines (1-6 November), three evaluated on 3 November: on
    # time for those of 4 and 6 November, late for that of 2 November.
    assert _tijdig(ew, JULI) == (2 + 2, 6 + 6, 33.3)
    assert _statements(ew) == voor
