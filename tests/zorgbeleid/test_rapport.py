"""The report's tables (zorgbeleid.rapport) from the hand-built world of
tests/zorgbeleid/wereld.py: the same numbers as the figures, in rows with
labels, this year beside last year; small numbers hidden when protected."""

import pytest
import time_machine
from django.utils import translation

from tests.datums import lokaal
from tests.zorgbeleid import wereld
from zorgbeleid.cijfers import jaarvergelijking
from zorgbeleid.kleine_aantallen import KLEIN
from zorgbeleid.rapport import fasenamen, rapport_opbouwen, secties_voor_verwachting

cijferwereld = wereld.cijferwereld


def _rapport(cw, beschermd):
    with time_machine.travel(lokaal(2027, 7, 15), tick=False), translation.override("nl"):
        return rapport_opbouwen(
            jaarvergelijking(cw.school, cw.jaar),
            beschermd=beschermd,
            fasen=fasenamen(cw.school.schooltype),
        )


@pytest.fixture
def exact(cijferwereld):
    return _rapport(cijferwereld, beschermd=False)


@pytest.fixture
def beschermd(cijferwereld):
    return _rapport(cijferwereld, beschermd=True)


def _tabel(rapport, sleutel):
    return next(t for _s, t in rapport.tabellen() if t.sleutel == sleutel)


def _rij(tabel, label):
    return next(r for r in tabel.rijen if r.label == label)


def test_every_table_has_a_cell_per_column_in_every_row(exact, beschermd):
    for rapport in (exact, beschermd):
        for _sectie, tabel in rapport.tabellen():
            assert tabel.rijen, tabel.sleutel
            for rij in tabel.rijen:
                assert len(rij.cellen) == len(tabel.kolommen), (tabel.sleutel, rij.label)
                for cel in rij.cellen:
                    assert cel is None or cel == KLEIN or isinstance(cel, int | float)


def test_the_phases_on_the_reference_dates_of_this_year(exact):
    tabel = _tabel(exact, "fasen_2026-2027")
    assert tabel.kolommen == ["1 oktober 2026", "1 februari 2027", "30 juni 2027", "15 juli 2027"]
    fase0 = tabel.rijen[0]
    assert fase0.label.startswith("0. ")
    # 1 October: 15 in phase 0 and 8 in phase 1 (tests/zorgbeleid/test_cijfers.py).
    assert fase0.cellen[0] == 15
    assert tabel.rijen[1].cellen[0] == 8
    assert _rij(tabel, "totaal").cellen[0] == 23


def test_this_year_beside_last_year(exact):
    tabel = _tabel(exact, "bewegingen")
    assert tabel.kolommen == ["2026-2027", "2025-2026"]
    # This year: the climber (0->1, 1->2), six fallers (0->1) and the summer
    # student (1->2): 9 moves up; the six fallers' 1->0: 6 down. Last year:
    # the two summer students' 0->1.
    assert _rij(tabel, "overgangen naar een hogere fase").cellen == [9, 2]
    assert _rij(tabel, "overgangen naar een lagere fase").cellen == [6, 0]


def test_measures_by_kind_and_scope_and_their_totals(exact):
    soort = _tabel(exact, "maatregelen_soort_vergelijking")
    som = sum(r.cellen[0] for r in soort.rijen if not r.totaal)
    assert _rij(soort, "maatregelen in totaal").cellen[0] == som


def test_protected_tables_hide_small_counts_and_their_totals(exact, beschermd):
    oktober = _tabel(beschermd, "fasen_per_leerjaar")
    for rij in oktober.rijen:
        assert all(c == KLEIN or c == 0 or (isinstance(c, int) and c >= 5) for c in rij.cellen)
    for _s, tabel in beschermd.tabellen():
        for rij in tabel.rijen:
            for cel in rij.cellen:
                if isinstance(cel, int):
                    assert cel == 0 or cel >= 5 or tabel.sleutel == "overleggen_gehouden", (
                        tabel.sleutel,
                        rij.label,
                    )
    # A median over two red flags is hidden with its count.
    rood = _tabel(beschermd, "vlaggen_rood")
    assert rood.rijen[0].cellen[0] == KLEIN
    assert rood.rijen[1].cellen[0] is None
    assert _tabel(exact, "vlaggen_rood").rijen[0].cellen[0] == 2


def test_sections_point_to_the_expectations_they_support(exact):
    assert [s.sleutel for s in secties_voor_verwachting(exact, "domeinen")] == [
        "observaties",
        "vlaggen",
    ]
    assert all(s.verwachtingen for s in exact.secties)


def test_labels_follow_the_readers_language(cijferwereld):
    with time_machine.travel(lokaal(2027, 7, 15), tick=False), translation.override("en"):
        rapport = rapport_opbouwen(
            jaarvergelijking(cijferwereld.school, cijferwereld.jaar),
            beschermd=True,
            fasen=fasenamen(cijferwereld.school.schooltype),
        )
    assert _tabel(rapport, "fasen_2026-2027").kolommen[0] == "1 October 2026"
