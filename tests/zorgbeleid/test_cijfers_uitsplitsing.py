"""Measures, observations and flags per grade and per campus
(zorgbeleid.cijfers: Maatregelen, Observaties, Vlaggen `per_leerjaar` and
`per_campus`), in the report's tables, protected, and for a group.

A world of its own, so the counts of tests/zorgbeleid/wereld.py stay as they
are. On the conftest world's school (campuses Noord and Zuid made here), in
2026-2027, computed on 15 July 2027:

- 1A (grade 1, Noord): eerste[0..5]; 2A (grade 2, Zuid); 2B (grade 2, no
  campus): tweede_b. Last year: 1V (grade 1, Noord).
- wisselaar: 1V last year; 1A until 14 January 2027, 2A from the 15th.
- laatkomer: 2A from 1 March 2027.
- vertrokken: 1V last year, no class this year.

Measures in force this year (12):
- eerste[0..5]: one each from 1 October (1A): grade 1, Noord.
- wisselaar: one from 1 November (1A); one from 1 February (2A, after the
  change); one from 1 March 2026 (last year, still running: its first day in
  this year is 1 September, in 1A).
- tweede_b: one (2B: grade 2, no campus).
- laatkomer: one from 20 February, before their enrolment began: the first
  class of the year, 2A.
- vertrokken: one from 1 May 2026, still running, no class this year ("-").
- a proposal (2A) and the other school's measure never count.
So per grade 1: 6 + 2 = 8, 2: 1 + 1 + 1 = 3, "-": 1; per campus Noord 8,
Zuid 2, "-" 2. Last year: wisselaar's and vertrokken's, both in 1V.

Observations this year: a concern for eerste[0..4] (1A; eerste[0] twice), a
concern of wisselaar in 1A (December) and in 2A (March), a strength of
wisselaar in 2A (April). Grade 1: 6 with a concern; grade 2: 1 with a
concern, 1 with a strength. Last year: vertrokken's concern in 1V.

Flags this year: 5 yellow in 1A, wisselaar's yellow in 1A (December) and in
2A (March), a red in 2A, an orange in 2B, a green recorded without a class.
Last year: a red in 1V.
"""

import dataclasses

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from leerlingen import domeinen
from leerlingen.models import (
    Inschrijving,
    Klas,
    Maatregel,
    MaatregelSoort,
    ObservatieSoort,
    VlagKleur,
)
from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_vlaggen import VlagFactory, vlag_met
from tests.zorgbeleid.wereld import D, maatregel, observatie
from zorg.accounts.models import Campus, Scholengemeenschap
from zorgbeleid.cijfers import Jaarvergelijking, groepscijfers, jaarvergelijking, schoolcijfers
from zorgbeleid.kleine_aantallen import KLEIN, beschermen
from zorgbeleid.rapport import fasenamen, rapport_opbouwen

JULI = lokaal(2027, 7, 15)
ZO, ST = ObservatieSoort.ZORG, ObservatieSoort.STERKTE


@dataclasses.dataclass
class Uitsplitsingswereld:
    w: object
    klas_1a: object
    klas_2a: object
    klas_2b: object
    wisselaar: object


def _maatregel(w, leerling, begin, **velden):
    return maatregel(
        w, leerling, MaatregelSoort.COMPENSEREND, "alle_vakken",
        begin=begin, evaluatiedatum=D(2027, 9, 30), **velden,
    )  # fmt: skip


@pytest.fixture
def uw(wereld_in_2026_2027, wereld) -> Uitsplitsingswereld:
    w = wereld
    jaar, vorig = w.schooljaar, w.vorig_schooljaar
    noord = Campus.objects.create(school=w.school, naam="Noord")
    zuid = Campus.objects.create(school=w.school, naam="Zuid")
    klas_1a = f.KlasFactory(schooljaar=jaar, naam="1A", leerjaar=1, campus=noord)
    klas_2a = f.KlasFactory(schooljaar=jaar, naam="2A", leerjaar=2, campus=zuid)
    klas_2b = f.KlasFactory(schooljaar=jaar, naam="2B", leerjaar=2, campus=None)
    klas_1v = f.KlasFactory(schooljaar=vorig, naam="1V", leerjaar=1, campus=noord)

    eerste = [f.leerling_in(klas_1a) for _ in range(6)]
    wisselaar = f.leerling_in(klas_1a)
    Inschrijving.objects.filter(leerling=wisselaar).update(einde=D(2027, 1, 14))
    f.InschrijvingFactory(leerling=wisselaar, klas=klas_2a, begin=D(2027, 1, 15))
    f.InschrijvingFactory(leerling=wisselaar, klas=klas_1v, begin=vorig.begin, einde=D(2026, 6, 30))
    laatkomer = f.LeerlingFactory(school=w.school)
    f.InschrijvingFactory(leerling=laatkomer, klas=klas_2a, begin=D(2027, 3, 1))
    tweede_b = f.leerling_in(klas_2b)
    vertrokken = f.leerling_in(klas_1v)
    Inschrijving.objects.filter(leerling=vertrokken).update(einde=D(2026, 6, 30))

    for leerling in eerste:
        _maatregel(w, leerling, D(2026, 10, 1))
    _maatregel(w, wisselaar, D(2026, 11, 1))
    _maatregel(w, wisselaar, D(2027, 2, 1))
    _maatregel(w, wisselaar, D(2026, 3, 1))
    _maatregel(w, tweede_b, D(2026, 10, 1))
    _maatregel(w, laatkomer, D(2027, 2, 20))
    _maatregel(w, vertrokken, D(2026, 5, 1))
    _maatregel(w, laatkomer, D(2027, 3, 5), status=Maatregel.Status.VOORGESTELD)
    _maatregel(w, w.leerling_x, D(2026, 10, 1))

    for leerling in eerste[:5]:
        observatie(w, leerling, ZO, domeinen.LEREN, D(2026, 10, 10))
    observatie(w, eerste[0], ZO, domeinen.LEREN, D(2027, 1, 5))
    observatie(w, wisselaar, ZO, domeinen.LEREN, D(2026, 12, 1))
    observatie(w, wisselaar, ZO, domeinen.LEREN, D(2027, 3, 1))
    observatie(w, wisselaar, ST, domeinen.LEREN, D(2027, 4, 1))
    observatie(w, vertrokken, ZO, domeinen.LEREN, D(2026, 2, 1))

    for dag in range(1, 6):
        vlag_met(eerste[dag], klas=klas_1a, moment=lokaal(2026, 10, dag))
    vlag_met(wisselaar, klas=klas_1a, moment=lokaal(2026, 12, 2))
    vlag_met(wisselaar, klas=klas_2a, moment=lokaal(2027, 3, 2))
    vlag_met(laatkomer, klas=klas_2a, kleur=VlagKleur.ROOD, moment=lokaal(2027, 3, 3))
    vlag_met(tweede_b, klas=klas_2b, kleur=VlagKleur.ORANJE, moment=lokaal(2027, 3, 4))
    VlagFactory(klas=None, school=w.school, kleur=VlagKleur.GROEN, moment=lokaal(2027, 3, 5))
    vlag_met(vertrokken, klas=klas_1v, kleur=VlagKleur.ROOD, moment=lokaal(2026, 2, 2))
    vlag_met(w.leerling_x, klas=w.klas_x, kleur=VlagKleur.ROOD, moment=lokaal(2026, 10, 5))
    return Uitsplitsingswereld(w, klas_1a, klas_2a, klas_2b, wisselaar)


def _vergelijking(uw):
    with time_machine.travel(JULI, tick=False):
        return jaarvergelijking(uw.w.school, uw.w.schooljaar)


def _kleuren(groen=0, geel=0, oranje=0, rood=0):
    return {"groen": groen, "geel": geel, "oranje": oranje, "rood": rood}


# --- the figures ----------------------------------------------------------------


def test_measures_per_grade_by_the_class_on_their_first_day_in_the_year(uw):
    m = _vergelijking(uw).dit_jaar.maatregelen
    # wisselaar's measure of November counts in 1A, that of February in 2A
    # (after the change), last year's running one in 1A (1 September).
    assert m.per_leerjaar == {"1": 8, "2": 3, "-": 1}
    assert sum(m.per_leerjaar.values()) == m.totaal == 12


def test_measures_per_campus(uw):
    m = _vergelijking(uw).dit_jaar.maatregelen
    # "-": 2B has no campus, vertrokken has no class this year.
    assert m.per_campus == {"-": 2, "Noord": 8, "Zuid": 2}


def test_a_measure_counts_in_the_new_class_only_when_it_began_after_the_change(uw):
    # Only wisselaar's measures left: two in 1A, one in 2A.
    Maatregel.objects.exclude(leerling=uw.wisselaar).delete()
    m = _vergelijking(uw).dit_jaar.maatregelen
    assert m.per_leerjaar == {"1": 2, "2": 1}
    assert m.per_campus == {"Noord": 2, "Zuid": 1}
    # Last year the running one (from March) counts in 1V.
    assert _vergelijking(uw).vorig_jaar.maatregelen.per_leerjaar == {"1": 1}


def test_observations_per_grade_count_students_once_per_grade(uw):
    o = _vergelijking(uw).dit_jaar.observaties
    # eerste[0]'s two concerns: once. wisselaar's concerns in 1A and in 2A:
    # in both grades, so the grades hold 7 students with a concern of 6.
    assert o.per_leerjaar == {
        "1": {"sterkte": 0, "zorg": 6},
        "2": {"sterkte": 1, "zorg": 1},
    }
    assert (o.leerlingen_met_sterkte, o.leerlingen_met_zorg) == (1, 6)
    assert o.per_campus == {
        "Noord": {"sterkte": 0, "zorg": 6},
        "Zuid": {"sterkte": 1, "zorg": 1},
    }


def test_flags_per_colour_per_grade_and_campus_by_the_class_of_the_incident(uw):
    v = _vergelijking(uw).dit_jaar.vlaggen
    assert v.per_leerjaar == {
        "1": _kleuren(geel=6),
        "2": _kleuren(geel=1, oranje=1, rood=1),
        "-": _kleuren(groen=1),
    }
    assert v.per_campus == {
        "-": _kleuren(groen=1, oranje=1),
        "Noord": _kleuren(geel=6),
        "Zuid": _kleuren(geel=1, rood=1),
    }
    # Every flag of the year in one grade.
    for kleur, n in v.per_kleur.items():
        assert sum(rij[kleur] for rij in v.per_leerjaar.values()) == n


def test_last_years_breakdowns(uw):
    vorig = _vergelijking(uw).vorig_jaar
    assert vorig.schooljaar == "2025-2026"
    assert vorig.maatregelen.per_leerjaar == {"1": 2}
    assert vorig.maatregelen.per_campus == {"Noord": 2}
    assert vorig.observaties.per_leerjaar == {"1": {"sterkte": 0, "zorg": 1}}
    assert vorig.vlaggen.per_leerjaar == {"1": _kleuren(rood=1)}


def test_a_school_without_campuses_has_no_campus_breakdowns(uw):
    Klas.objects.filter(schooljaar__school=uw.w.school).update(campus=None)
    v = _vergelijking(uw)
    for c in (v.dit_jaar, v.vorig_jaar):
        assert c.maatregelen.per_campus == {}
        assert c.observaties.per_campus == {}
        assert c.vlaggen.per_campus == {}
    assert v.dit_jaar.maatregelen.per_leerjaar == {"1": 8, "2": 3, "-": 1}
    rapport = _rapport(uw, beschermd=False)
    sleutels = {t.sleutel for _s, t in rapport.tabellen()}
    assert "maatregelen_per_leerjaar" in sleutels
    assert not {s for s in sleutels if s.endswith("per_campus")}


# --- protected -------------------------------------------------------------------


def test_the_protected_breakdowns_show_less_than_five_and_hide_a_neighbour(uw):
    b = beschermen(_vergelijking(uw).dit_jaar)
    # 3 and 1 hidden: two hidden, the total of 12 gives neither away.
    assert b["maatregelen"]["per_leerjaar"] == {"1": 8, "2": KLEIN, "-": KLEIN}
    assert b["maatregelen"]["per_campus"] == {"-": KLEIN, "Noord": 8, "Zuid": KLEIN}
    # The 6 of grade 1 alone beside a hidden cell of its column: hidden too,
    # or the 7 yellow flags (shown) would give grade 2's away.
    assert b["vlaggen"]["per_leerjaar"] == {
        "1": _kleuren(geel=KLEIN),
        "2": _kleuren(geel=KLEIN, oranje=KLEIN, rood=KLEIN),
        "-": _kleuren(groen=KLEIN),
    }
    assert b["observaties"]["per_leerjaar"] == {
        "1": {"sterkte": 0, "zorg": KLEIN},
        "2": {"sterkte": KLEIN, "zorg": KLEIN},
    }


# --- the report's tables -----------------------------------------------------------


def _rapport(uw, beschermd):
    with time_machine.travel(JULI, tick=False), translation.override("nl"):
        return rapport_opbouwen(
            jaarvergelijking(uw.w.school, uw.w.schooljaar),
            beschermd=beschermd,
            fasen=fasenamen(uw.w.school.schooltype),
        )


def _tabel(rapport, sleutel):
    return next(t for _s, t in rapport.tabellen() if t.sleutel == sleutel)


def _cellen(tabel):
    return {r.label: r.cellen for r in tabel.rijen}


def test_the_report_shows_measures_per_grade_and_campus_beside_last_year(uw):
    rapport = _rapport(uw, beschermd=False)
    leerjaar = _tabel(rapport, "maatregelen_per_leerjaar")
    assert rapport.sectie("maatregelen").tabellen[-2] is leerjaar
    assert leerjaar.kolommen == ["2026-2027", "2025-2026"]
    assert _cellen(leerjaar) == {
        "leerjaar 1": [8, 2],
        "leerjaar 2": [3, 0],
        "zonder klas": [1, 0],
    }
    assert _cellen(_tabel(rapport, "maatregelen_per_campus")) == {
        "zonder campus": [2, 0],
        "Noord": [8, 2],
        "Zuid": [2, 0],
    }


def test_the_report_shows_flags_and_observations_per_grade(uw):
    rapport = _rapport(uw, beschermd=False)
    vlaggen = _tabel(rapport, "vlaggen_per_leerjaar")
    assert vlaggen.kolommen[:2] == ["groen 2026-2027", "groen 2025-2026"]
    assert _cellen(vlaggen)["leerjaar 1"] == [0, 0, 6, 0, 0, 0, 0, 1]
    assert _cellen(vlaggen)["zonder klas"] == [1, 0, 0, 0, 0, 0, 0, 0]
    observaties = _tabel(rapport, "observaties_per_leerjaar")
    assert len(observaties.kolommen) == 4
    assert _cellen(observaties) == {"leerjaar 1": [0, 6, 0, 1], "leerjaar 2": [1, 1, 0, 0]}
    # Last year 1V (Noord) had vertrokken's concern; Zuid nothing.
    assert _cellen(_tabel(rapport, "observaties_per_campus")) == {
        "Noord": [0, 6, 0, 1],
        "Zuid": [1, 1, 0, 0],
    }


def test_a_year_without_campuses_has_no_value_in_the_campus_table(uw):
    Klas.objects.filter(schooljaar=uw.w.vorig_schooljaar).update(campus=None)
    rapport = _rapport(uw, beschermd=False)
    assert _cellen(_tabel(rapport, "maatregelen_per_campus"))["Noord"] == [8, None]


def test_the_protected_report_shows_the_protected_breakdowns(uw):
    rapport = _rapport(uw, beschermd=True)
    assert _cellen(_tabel(rapport, "maatregelen_per_leerjaar")) == {
        "leerjaar 1": [8, KLEIN],
        "leerjaar 2": [KLEIN, 0],
        "zonder klas": [KLEIN, 0],
    }
    for sleutel in ("vlaggen_per_leerjaar", "observaties_per_campus"):
        for rij in _tabel(rapport, sleutel).rijen:
            assert all(c in (0, None, KLEIN) or c >= 5 for c in rij.cellen), rij


# --- a group, the statements --------------------------------------------------------


@pytest.fixture
def groep(uw):
    groep = Scholengemeenschap.objects.create(naam="Scholengroep Test")
    for school in (uw.w.school, uw.w.school2):
        school.scholengemeenschap = groep
        school.save(update_fields=["scholengemeenschap"])
    return groep


def test_a_groups_breakdowns_add_its_schools_and_keep_their_campuses_apart(uw, groep):
    with time_machine.travel(JULI, tick=False):
        c = groepscijfers(groep, "2026-2027")
    # The second school's measure and flag are in its 3X (grade 3, no campus).
    assert c.maatregelen.per_leerjaar == {"1": 8, "2": 3, "3": 1, "-": 1}
    assert c.maatregelen.per_campus == {
        "Andere School / -": 1,
        "Sint-Testcollege / -": 2,
        "Sint-Testcollege / Noord": 8,
        "Sint-Testcollege / Zuid": 2,
    }
    assert c.vlaggen.per_leerjaar["3"] == _kleuren(rood=1)
    assert c.vlaggen.per_campus["Andere School / -"] == _kleuren(rood=1)
    with translation.override("nl"):
        rapport = rapport_opbouwen(Jaarvergelijking(c, None), beschermd=False, fasen={})
    assert "Sint-Testcollege / zonder campus" in _cellen(_tabel(rapport, "maatregelen_per_campus"))


def _statements(uw) -> int:
    with time_machine.travel(JULI, tick=False), CaptureQueriesContext(connection) as q:
        schoolcijfers(uw.w.school, uw.w.schooljaar)
    return len(q)


def test_the_breakdowns_take_the_same_statements_for_a_larger_school(uw):
    # Guards against a statement per student, class, measure, observation or
    # flag: the class of each is looked up inside the grouping statement.
    klein = _statements(uw)
    w = uw.w
    for i in range(10):
        leerling = f.leerling_in(uw.klas_1a)
        Inschrijving.objects.filter(leerling=leerling).update(einde=D(2027, 1, 1 + i))
        f.InschrijvingFactory(leerling=leerling, klas=uw.klas_2b, begin=D(2027, 1, 2 + i))
        _maatregel(w, leerling, D(2026, 12, 1 + i))
        observatie(w, leerling, ZO, domeinen.LEREN, D(2027, 2, 1 + i))
        vlag_met(leerling, klas=uw.klas_2b, moment=lokaal(2027, 2, 1 + i))
    assert _statements(uw) == klein
