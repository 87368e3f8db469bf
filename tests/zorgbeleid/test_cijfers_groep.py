"""The figures of a group of schools (zorgbeleid.cijfers.groepscijfers): the
hand-built world of tests/zorgbeleid/wereld.py built twice, on the conftest
world's school and on its second school, both in one Scholengemeenschap; a
third school, with the world's "other school" rows and a year of the same
name, stays outside it. Computed on 15 July 2027, like test_cijfers.py."""

import dataclasses

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leerlingen.models import Inschrijving
from tests import factories as f
from tests.datums import lokaal
from tests.zorgbeleid.wereld import D, bouw, wijziging
from zorg.accounts.models import Scholengemeenschap
from zorgbeleid.cijfers import (
    Cijfers,
    groepscijfers,
    groepsvergelijking,
    schoolcijfers,
    vorige_jaarnaam,
)

JULI = lokaal(2027, 7, 15)


@dataclasses.dataclass
class Groepswereld:
    groep: Scholengemeenschap
    een: object  # the Cijferwereld of the first school
    twee: object  # of the second
    derde: object  # the school outside the group


@pytest.fixture
def groepswereld(wereld_in_2026_2027, wereld) -> Groepswereld:
    een = bouw(wereld)
    # The second school gets the same world: its year 2026-2027 (the
    # conftest world's), one before it, classes 3A and 3B with a student each.
    jaar2 = wereld.klas_x.schooljaar
    vorig2 = f.SchooljaarFactory(
        school=wereld.school2, begin=D(2025, 9, 1), einde=D(2026, 8, 31), is_huidig=False
    )
    klas_a2 = f.KlasFactory(schooljaar=jaar2, naam="3A")
    klas_b2 = f.KlasFactory(schooljaar=jaar2, naam="3B")
    # Its "other school" is a third one, with a year of the same name.
    derde = f.SchoolFactory(naam="Derde School")
    klas_x3 = f.KlasFactory(schooljaar=f.SchooljaarFactory(school=derde), naam="3X")
    w2 = dataclasses.replace(
        wereld,
        school=wereld.school2,
        schooljaar=jaar2,
        vorig_schooljaar=vorig2,
        klas_a=klas_a2,
        klas_b=klas_b2,
        leerling_a=f.leerling_in(klas_a2),
        leerling_b=f.leerling_in(klas_b2),
        school2=derde,
        klas_x=klas_x3,
        leerling_x=f.leerling_in(klas_x3),
        clb=wereld.clb_ander,
        users={**wereld.users, "clb": wereld.users["clb_ander"]},
    )
    twee = bouw(w2)
    groep = Scholengemeenschap.objects.create(naam="Scholengroep Test")
    for school in (wereld.school, wereld.school2):
        school.scholengemeenschap = groep
        school.save(update_fields=["scholengemeenschap"])
    return Groepswereld(groep=groep, een=een, twee=twee, derde=derde)


def _op_15_juli(functie, *args):
    with time_machine.travel(JULI, tick=False):
        return functie(*args)


def _som(a, b):
    """What the group's figures must be where they are counts: `a` + `b`,
    key by key (a key missing on one side counts 0); None where a figure is
    not a count (a median, a percentage, a name)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        if all(isinstance(v, int) for v in (*a.values(), *b.values())):
            return {k: a.get(k, 0) + b.get(k, 0) for k in sorted({*a, *b})}
        return {k: _som(a.get(k), b.get(k)) for k in {*a, *b}}
    if isinstance(a, list) and isinstance(b, list):
        return [_som(x, y) for x, y in zip(a, b, strict=True)]
    return None


def _vergelijk(groep, verwacht, pad="cijfers"):
    if verwacht is None:
        return
    if isinstance(verwacht, dict):
        if all(isinstance(v, int) for v in verwacht.values()):
            # A count per key: the same keys with a count, the rest 0.
            assert {k: v for k, v in groep.items() if v} == {
                k: v for k, v in verwacht.items() if v
            }, pad
            return
        for k, v in verwacht.items():
            _vergelijk(groep[k], v, f"{pad}.{k}")
        return
    if isinstance(verwacht, list):
        assert len(groep) == len(verwacht), pad
        for i, (x, y) in enumerate(zip(groep, verwacht, strict=True)):
            _vergelijk(x, y, f"{pad}[{i}]")
        return
    assert groep == verwacht, pad


def _zonder_campus(c: Cijfers) -> dict:
    d = c.als_dict()
    for p in d["continuum"]["peildata"]:
        p.pop("per_campus")
    # A group's campuses are keyed by school (test_campuses_of_different_schools_stay_apart).
    for sectie in ("maatregelen", "observaties", "vlaggen"):
        d[sectie].pop("per_campus")
    for sleutel in ("school_id", "scholen"):
        d.pop(sleutel)
    return d


def test_a_groups_counts_are_the_sum_of_its_schools(groepswereld):
    g = groepswereld
    groep = _op_15_juli(groepscijfers, g.groep, "2026-2027")
    een = _op_15_juli(schoolcijfers, g.een.school, g.een.jaar)
    twee = _op_15_juli(schoolcijfers, g.twee.school, g.twee.jaar)
    assert (groep.school_id, groep.schooljaar) == (None, "2026-2027")
    assert sorted(groep.scholen) == sorted([g.een.school.pk, g.twee.school.pk])
    assert (groep.begin, groep.einde) == ("2026-09-01", "2027-08-31")
    _vergelijk(_zonder_campus(groep), _som(_zonder_campus(een), _zonder_campus(twee)))


def test_a_groups_counts_by_hand(groepswereld):
    g = groepswereld
    c = _op_15_juli(groepscijfers, g.groep, "2026-2027")
    oktober = c.continuum.peildata[0]
    # The world's 23 twice, and the second school's 3X student (the first
    # world's "other school" student), moved to phase 1 on 1 October itself.
    # The third school's student, with the same move, never counts.
    assert oktober.per_fase == {"0": 30, "1": 17}
    assert oktober.totaal == 47
    assert (c.continuum.wijzigingen_op, c.continuum.leerlingen_op) == (19, 17)
    assert (c.continuum.fase2_leerlingen, c.continuum.fase2_met_traject) == (4, 2)
    assert c.maatregelen.totaal == 21
    assert c.vlaggen.per_kleur["rood"] == 2 + 2 + 1


def test_medians_and_percentiles_are_over_all_the_groups_values(groepswereld):
    c = _op_15_juli(groepscijfers, groepswereld.groep, "2026-2027")
    # Stays in phase 1: 120, 127 x 6, 431 in each school. Over the 16 values
    # the 90th percentile lies halfway between 127 and 431 (one school's
    # alone: 127 + 0.3 x 304); the median stays 127.
    een = c.continuum.verblijf["1"]
    assert (een.n, een.mediaan, een.p90) == (16, 127, pytest.approx(279))
    # Days to acceptance: 10 and 30 in each school; the 90th percentile of
    # 10, 10, 30, 30 is 30 (one school's: 28).
    d = c.clb.dagen_tot_aanvaarding
    assert (d.n, d.mediaan, d.p90) == (4, 20, 30)


def test_campuses_of_different_schools_stay_apart(groepswereld):
    g = groepswereld
    c = _op_15_juli(groepscijfers, g.groep, "2026-2027")
    oktober = c.continuum.peildata[0]
    assert oktober.per_campus == {
        "Andere School / -": {"1": 1},
        "Andere School / Noord": {"0": 13, "1": 2},
        "Andere School / Zuid": {"0": 2, "1": 6},
        "Sint-Testcollege / Noord": {"0": 13, "1": 2},
        "Sint-Testcollege / Zuid": {"0": 2, "1": 6},
    }


def test_a_school_outside_the_group_never_counts(groepswereld):
    g = groepswereld
    voor = _op_15_juli(groepscijfers, g.groep, "2026-2027").als_dict()
    # The third school joins another group: nothing of the first one moves.
    g.derde.scholengemeenschap = Scholengemeenschap.objects.create(naam="Andere Groep")
    g.derde.save(update_fields=["scholengemeenschap"])
    assert _op_15_juli(groepscijfers, g.groep, "2026-2027").als_dict() == voor
    # A name none of its schools has: no figures.
    with pytest.raises(LookupError):
        groepscijfers(g.groep, "2030-2031")


def test_the_groups_previous_year_beside_this_one(groepswereld):
    g = groepswereld
    assert vorige_jaarnaam(g.groep, "2026-2027") == "2025-2026"
    assert vorige_jaarnaam(g.groep, "2025-2026") is None
    v = _op_15_juli(groepsvergelijking, g.groep, "2026-2027")
    assert v.dit_jaar.schooljaar == "2026-2027"
    vorig = v.vorig_jaar
    assert vorig.schooljaar == "2025-2026"
    assert sorted(vorig.scholen) == sorted([g.een.school.pk, g.twee.school.pk])
    # test_cijfers.py's figures of 2025-2026, twice.
    assert vorig.continuum.per_overgang == {"0-1": 4}
    assert vorig.maatregelen.per_soort == {"compenserend": {"alle_vakken": 2}}
    assert vorig.vlaggen.per_kleur["groen"] == 2
    assert vorig.clb.trajecten_per_uitkomst == {"externe_hulp": 2}
    assert _op_15_juli(groepsvergelijking, g.groep, "2025-2026").vorig_jaar is None


def test_each_school_counts_on_its_own_reference_dates(groepswereld):
    # The second school's "2026-2027" begins on 6 December (a school that
    # joined late): on 5 December it has no "today" yet, the first school
    # has; each counts on its own dates, both on the three fixed ones.
    g = groepswereld
    g.twee.jaar.begin = D(2026, 12, 6)
    g.twee.jaar.save(update_fields=["begin"])
    Inschrijving.objects.filter(klas__schooljaar=g.twee.jaar, begin__lt=D(2026, 12, 6)).update(
        begin=D(2026, 12, 6)
    )
    with time_machine.travel(lokaal(2026, 12, 5), tick=False):
        c = groepscijfers(g.groep, "2026-2027")
        een = schoolcijfers(g.een.school, g.een.jaar)
    namen = [p.naam for p in c.continuum.peildata]
    assert namen == ["oktober", "februari", "juni", "vandaag"]
    assert c.continuum.peildata[3].totaal == een.continuum.peildata[3].totaal
    # On 1 October the second school's enrolments had not begun.
    assert c.continuum.peildata[0].totaal == een.continuum.peildata[0].totaal
    assert c.continuum.peildata[1].totaal == een.continuum.peildata[1].totaal + 22 + 1
    assert c.begin == "2026-09-01"


def _statements(functie, *args) -> int:
    with time_machine.travel(JULI, tick=False), CaptureQueriesContext(connection) as q:
        functie(*args)
    return len(q)


def test_a_group_takes_the_same_statements_whatever_its_size(groepswereld):
    g = groepswereld
    klein = _statements(groepscijfers, g.groep, "2026-2027")
    een = _statements(schoolcijfers, g.een.school, g.een.jaar)
    # One more: the school years of the group.
    assert klein == een + 1
    for cw in (g.een, g.twee):
        for i in range(8):
            leerling = f.leerling_in(cw.klas_2a)
            wijziging(cw.w, leerling, 0, 1, D(2026, 10, 1 + i))
            wijziging(cw.w, leerling, 1, 2, D(2026, 10, 1 + i))
    assert _statements(groepscijfers, g.groep, "2026-2027") == klein
    assert _statements(groepsvergelijking, g.groep, "2026-2027") == 2 * klein + 1
