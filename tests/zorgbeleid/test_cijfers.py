"""The figures of the care-policy report against the hand-built world of
tests/zorgbeleid/wereld.py, whose every count is known. The report is
computed on 15 July 2027: the year 2026-2027 is still the current one (it
ends on 31 August), so "today" is 15 July, after 30 June."""

import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_vlaggen import vlag_met
from tests.zorgbeleid import wereld
from tests.zorgbeleid.wereld import D, maatregel, wijziging
from zorgbeleid.cijfers import jaarvergelijking, peildata, schoolcijfers

cijferwereld = wereld.cijferwereld
JULI = lokaal(2027, 7, 15)


def _cijfers(cw, dag=JULI):
    with time_machine.travel(dag, tick=False):
        return schoolcijfers(cw.school, cw.jaar)


@pytest.fixture
def cijfers(cijferwereld):
    return _cijfers(cijferwereld)


def _peil(c, naam):
    return next(p for p in c.continuum.peildata if p.naam == naam)


# --- reference dates ---------------------------------------------------------------


def test_reference_dates_of_a_running_year_end_with_today(cijferwereld):
    data = dict(peildata(cijferwereld.jaar, D(2027, 7, 15)))
    assert data == {
        "oktober": D(2026, 10, 1),
        "februari": D(2027, 2, 1),
        "juni": D(2027, 6, 30),
        "vandaag": D(2027, 7, 15),
    }


def test_a_past_year_takes_its_last_day_for_today_and_a_future_one_none(cijferwereld):
    assert peildata(cijferwereld.vorig, D(2027, 7, 15))[-1] == ("vandaag", D(2026, 8, 31))
    assert [n for n, _ in peildata(cijferwereld.jaar, D(2026, 8, 20))] == [
        "oktober",
        "februari",
        "juni",
    ]


# --- the continuum ---------------------------------------------------------------


def test_students_per_phase_on_1_october(cijfers):
    p = _peil(cijfers, "oktober")
    assert p.datum == "2026-10-01"
    # zomer (since May) and zomer2 (since 20 August) are in phase 1 already.
    assert p.per_fase == {"0": 15, "1": 8}
    assert p.totaal == 23


def test_students_per_phase_on_1_february(cijfers):
    # vertrokken left on 10 January; the dalers went back to 0 on 20 January.
    p = _peil(cijfers, "februari")
    assert p.per_fase == {"0": 19, "1": 3}
    assert p.totaal == 22


def test_students_per_phase_on_30_june_and_a_change_in_july_is_not_in_it(cijfers):
    # zomer's move to phase 2 on 10 July is not yet there on 30 June.
    assert _peil(cijfers, "juni").per_fase == {"0": 20, "1": 2, "2": 1}
    assert _peil(cijfers, "vandaag").per_fase == {"0": 20, "1": 1, "2": 2}


def test_a_student_who_changed_class_counts_in_the_grade_of_each_date(cijfers):
    # wisselaar: 1A (grade 1) until 14 January, then 2A (grade 2).
    assert _peil(cijfers, "oktober").per_leerjaar == {
        "1": {"0": 12, "1": 2},
        "2": {"0": 1, "1": 6},
        "3": {"0": 2},
    }
    assert _peil(cijfers, "februari").per_leerjaar == {
        "1": {"0": 10, "1": 2},
        "2": {"0": 7, "1": 1},
        "3": {"0": 2},
    }


def test_students_per_campus(cijfers):
    assert _peil(cijfers, "oktober").per_campus == {
        "Noord": {"0": 13, "1": 2},
        "Zuid": {"0": 2, "1": 6},
    }


def test_a_school_without_campuses_has_no_campus_breakdown(cijferwereld):
    cijferwereld.klas_1a.schooljaar.klassen.update(campus=None)
    assert _cijfers(cijferwereld).continuum.peildata[0].per_campus == {}


def test_moves_up_and_down_in_the_year_and_the_summer_belongs_to_its_year(cijfers):
    c = cijfers.continuum
    # 0->1 stijger and 6 dalers, 1->2 stijger and zomer (10 July); 1->0 the
    # dalers. zomer's and zomer2's moves of May and August were last year.
    assert (c.wijzigingen_op, c.wijzigingen_af) == (9, 6)
    assert (c.leerlingen_op, c.leerlingen_af) == (8, 6)
    assert c.per_overgang == {"0-1": 7, "1-0": 6, "1-2": 2}


def test_median_time_in_phase_1_and_2(cijfers):
    # Stays in 1 that ended this year: 120 (stijger), 127 x 6 (dalers), 431
    # (zomer, since last May). None in 2 ended.
    een = cijfers.continuum.verblijf["1"]
    assert een.n == 8
    assert een.mediaan == 127
    assert een.p90 == pytest.approx(127 + 0.3 * (431 - 127))
    assert cijfers.continuum.verblijf["2"].n == 0
    assert cijfers.continuum.verblijf["2"].mediaan is None


def test_students_in_phase_2_with_a_trajectory_and_its_stage(cijfers):
    c = cijfers.continuum
    assert (c.fase2_leerlingen, c.fase2_met_traject) == (2, 1)
    assert c.fase2_traject_per_stap == {"strategie": 1}


# --- measures ------------------------------------------------------------------


def test_measures_in_force_by_kind_and_scope(cijfers):
    m = cijfers.maatregelen
    assert m.per_soort == {
        "compenserend": {"alle_vakken": 6, "toetsen": 1},
        "differentierend": {"alle_vakken": 1},
        "dispenserend": {"toetsen": 1},
        "remedierend": {"gekozen_vakken": 1},
    }
    assert (m.totaal, m.leerlingen) == (10, 10)


def test_share_of_evaluations_on_time(cijfers):
    # Deadlines: 1 December (met on 20 November), 15 January (met on 10
    # January), 1 May (met on 28 April), 15 March (met on 20 March: late),
    # stijger's 1 November (never evaluated: late). vertrokken's 1 February
    # is left out (stopped on 10 January), the six of 30 September 2027 are
    # not in the year. tests/zorgbeleid/test_cijfers_evaluaties.py has the
    # cases one by one.
    t = cijfers.maatregelen.tijdig_geevalueerd
    assert (t.teller, t.noemer, t.procent) == (3, 5, 60.0)


def test_evaluated_effect_and_measures_stopped_and_why(cijfers):
    m = cijfers.maatregelen
    assert m.effect == {"werkt": 1, "werkt_niet": 1}
    assert m.gestopt == {
        "na_evaluatie_werkt": 1,
        "na_evaluatie_werkt_niet": 1,
        "zonder_evaluatie": 1,
    }


# --- observations, flags, meetings, CLB -------------------------------------------


def test_strengths_against_concerns_per_domain(cijfers):
    o = cijfers.observaties
    assert o.per_domein == {
        "leren": {"sterkte": 1, "zorg": 1},
        "loopbaan": {"sterkte": 0, "zorg": 1},
        "psychosociaal": {"sterkte": 1, "zorg": 0},
        "gezondheid": {"sterkte": 0, "zorg": 1},
    }
    assert (o.leerlingen_met_sterkte, o.leerlingen_met_zorg) == (1, 1)


def test_flags_per_colour_per_month_in_brussels_time(cijfers):
    v = cijfers.vlaggen
    assert v.per_kleur == {"groen": 0, "geel": 4, "oranje": 1, "rood": 2}
    assert v.per_kleur_per_maand["geel"]["2026-09"] == 1
    assert v.per_kleur_per_maand["geel"]["2026-10"] == 3
    assert v.per_kleur_per_maand["rood"]["2027-02"] == 1
    maanden = list(v.per_kleur_per_maand["geel"])
    assert (maanden[0], maanden[-1], len(maanden)) == ("2026-09", "2027-08", 12)


def test_red_flags_time_to_acknowledgement_and_follow_up(cijfers):
    v = cijfers.vlaggen
    assert v.rood_tot_erkenning_minuten.n == 2
    assert v.rood_tot_erkenning_minuten.mediaan == 60
    assert v.rood_tot_erkenning_minuten.p90 == 84
    assert (v.rood_met_opvolging.teller, v.rood_met_opvolging.noemer) == (1, 2)
    assert (v.signalen, v.signalen_leerlingen) == (1, 1)


def test_meetings_held_students_discussed_decisions_and_action_items(cijfers):
    o = cijfers.overleggen
    assert o.gehouden_per_soort["cel"] == 2
    assert o.gehouden_per_soort["begeleidend"] == 1
    assert o.leerlingen_besproken_per_soort["cel"] == 2
    assert o.leerlingen_besproken_per_soort["begeleidend"] == 1
    assert o.beslissingen_per_soort == {"actiepunt": 1, "afspraak": 2, "maatregel_starten": 1}
    assert (o.actiepunten_tijdig.teller, o.actiepunten_tijdig.noemer) == (1, 3)


def test_clb_referrals_waiting_time_and_trajectories(cijfers):
    c = cijfers.clb
    assert c.aanmeldingen == 3
    assert c.aanmeldingen_per_bron == {"cel": 1, "rechtstreeks": 1, "zorgfase": 1}
    assert (c.dagen_tot_aanvaarding.n, c.dagen_tot_aanvaarding.mediaan) == (2, 20)
    assert c.dagen_tot_aanvaarding.p90 == 28
    assert c.trajecten_per_stap == {"strategie": 1}
    assert c.trajecten_per_uitkomst == {"advies_op_school": 1}
    assert c.consultaties == 1


def test_the_clbs_own_layer_is_never_counted(cijfers):
    # stijger's trajectory has one shared goal (reached) and two goals the
    # CLB keeps to itself (running): only the shared one is a figure.
    assert cijfers.clb.gedeelde_doelen_per_status == {"bereikt": 1}
    assert "lopend" not in json.dumps(cijfers.clb.gedeelde_doelen_per_status)


# --- the previous year, the shape, the queries ---------------------------------------


def test_the_previous_year_beside_this_one(cijferwereld):
    with time_machine.travel(lokaal(2027, 7, 15), tick=False):
        v = jaarvergelijking(cijferwereld.school, cijferwereld.jaar)
    assert v.dit_jaar.schooljaar == "2026-2027"
    assert v.vorig_jaar.schooljaar == "2025-2026"
    vorig = v.vorig_jaar
    assert vorig.continuum.wijzigingen_op == 2
    assert vorig.continuum.per_overgang == {"0-1": 2}
    assert vorig.maatregelen.per_soort == {"compenserend": {"alle_vakken": 1}}
    assert vorig.vlaggen.per_kleur["groen"] == 1
    assert vorig.vlaggen.per_kleur_per_maand["groen"]["2026-08"] == 1
    assert (vorig.vlaggen.signalen, vorig.clb.aanmeldingen) == (1, 1)
    assert vorig.clb.trajecten_per_uitkomst == {"externe_hulp": 1}
    assert [p.naam for p in vorig.continuum.peildata][-1] == "vandaag"
    assert vorig.continuum.peildata[-1].datum == "2026-08-31"
    # Its classes are not in the world: nobody enrolled.
    assert vorig.continuum.peildata[0].totaal == 0


def test_the_first_year_has_no_previous_one(cijferwereld):
    cijferwereld.vorig.delete()
    assert jaarvergelijking(cijferwereld.school, cijferwereld.jaar).vorig_jaar is None


def test_the_figures_are_json_without_names(cijferwereld, cijfers):
    tekst = json.dumps(cijfers.als_dict())
    for leerling in [cijferwereld.w.leerling_a, cijferwereld.stijger, *cijferwereld.gewoon]:
        assert leerling.achternaam not in tekst
        assert leerling.voornaam not in tekst
    assert "Peeters" not in tekst


def test_a_school_year_of_another_school_is_refused(cijferwereld):
    with pytest.raises(ValueError):
        schoolcijfers(cijferwereld.w.school2, cijferwereld.jaar)


def _queries(cw) -> int:
    with time_machine.travel(JULI, tick=False), CaptureQueriesContext(connection) as q:
        schoolcijfers(cw.school, cw.jaar)
    return len(q)


def test_the_number_of_queries_does_not_grow_with_the_school(cijferwereld):
    # Guards against a query per student, measure, flag or meeting: the
    # figures are aggregates whatever the size.
    klein = _queries(cijferwereld)
    w = cijferwereld.w
    for i in range(15):
        leerling = f.leerling_in(cijferwereld.klas_2a)
        wijziging(w, leerling, 0, 1, D(2026, 10, 1 + i))
        maatregel(
            w,
            leerling,
            "stimulerend",
            "toetsen",
            begin=D(2026, 10, 2),
            evaluatiedatum=D(2027, 1, 1),
        )
        vlag_met(leerling, klas=cijferwereld.klas_2a, moment=lokaal(2026, 11, 1 + i))
    assert _queries(cijferwereld) == klein
    assert klein <= 30
