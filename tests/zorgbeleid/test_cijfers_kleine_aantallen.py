"""Small numbers: what leaves the school never singles out fewer than five
students (zorgbeleid.kleine_aantallen)."""

import json

import pytest
import time_machine

from tests.datums import lokaal
from tests.zorgbeleid import wereld
from zorgbeleid.cijfers import Aandeel, Verdeling, schoolcijfers
from zorgbeleid.kleine_aantallen import KLEIN, beschermen, rij, tabel

cijferwereld = wereld.cijferwereld


def test_a_count_of_1_to_4_is_hidden_and_0_and_5_are_shown():
    assert rij({"a": 0, "b": 5, "c": 4, "d": 1, "e": 7}) == {
        "a": 0,
        "b": 5,
        "c": KLEIN,
        "d": KLEIN,
        "e": 7,
    }


def test_a_single_hidden_cell_takes_the_next_smallest_with_it():
    # 3 alone hidden: 40 + 3 = 43 would give it away; the 12 goes too.
    assert rij({"0": 40, "1": 3, "2": 12}) == {"0": 40, "1": KLEIN, "2": KLEIN}


def test_zero_is_not_the_next_smallest():
    assert rij({"0": 40, "1": 3, "2": 0}) == {"0": KLEIN, "1": KLEIN, "2": 0}


def test_a_table_is_protected_by_rows_and_by_columns():
    uit = tabel({"1": {"0": 12, "1": 2}, "2": {"0": 30, "1": 20}, "3": {"0": 9, "1": 8}})
    # Row 1: 2 hidden, so 12 too. Column "0" then has one hidden: 9 goes;
    # column "1" likewise: 8 goes. Row 2 stays: every total still hides two.
    assert uit == {
        "1": {"0": KLEIN, "1": KLEIN},
        "2": {"0": 30, "1": 20},
        "3": {"0": KLEIN, "1": KLEIN},
    }
    for cellen in uit.values():
        assert sum(v == KLEIN for v in cellen.values()) != 1
    for kolom in ("0", "1"):
        assert sum(uit[r][kolom] == KLEIN for r in uit) != 1


def test_a_statistic_over_a_hidden_count_is_hidden():
    assert beschermen(Verdeling(n=3, mediaan=12.0, p90=20.0)) == {
        "n": KLEIN,
        "mediaan": None,
        "p90": None,
    }
    assert beschermen(Verdeling(n=8, mediaan=12.0, p90=20.0))["mediaan"] == 12.0
    # 2 of 40: the percentage would give the 2 away.
    assert beschermen(Aandeel(teller=2, noemer=40, procent=5.0)) == {
        "teller": KLEIN,
        "noemer": 40,
        "procent": None,
    }


@pytest.fixture
def beschermd(cijferwereld):
    with time_machine.travel(lokaal(2027, 7, 15), tick=False):
        return beschermen(schoolcijfers(cijferwereld.school, cijferwereld.jaar))


def test_the_report_of_the_world_shows_no_count_below_five(beschermd):
    def tellingen(knoop):
        if isinstance(knoop, dict):
            for v in knoop.values():
                yield from tellingen(v)
        elif isinstance(knoop, list):
            for v in knoop:
                yield from tellingen(v)
        elif isinstance(knoop, int) and not isinstance(knoop, bool):
            yield knoop

    # Besides the school's id (also in the list of schools counted, where a
    # lone test run gives it id 1) and the meetings held (no students), no
    # number from 1 to 4 is left.
    assert beschermd["scholen"] == [beschermd["school_id"]]
    over = {**beschermd, "school_id": 0, "scholen": []}
    over["overleggen"] = {**over["overleggen"], "gehouden_per_soort": {}}
    assert [n for n in tellingen(over) if 0 < n < 5] == []
    assert beschermd["overleggen"]["gehouden_per_soort"]["begeleidend"] == 1
    json.dumps(beschermd)


def test_the_world_report_hides_what_it_should_and_keeps_totals(beschermd):
    oktober = beschermd["continuum"]["peildata"][0]
    # 15 in phase 0 and 8 in phase 1: shown; the total stays.
    assert oktober["per_fase"] == {"0": 15, "1": 8}
    assert oktober["totaal"] == 23
    # Grade 1: 12 and 2 in phases 0 and 1, the 2 hidden takes the 12 along;
    # grade 2: 1 and 6, likewise; grade 3: 2, alone in its row.
    assert oktober["per_leerjaar"] == {
        "1": {"0": KLEIN, "1": KLEIN},
        "2": {"0": KLEIN, "1": KLEIN},
        "3": {"0": KLEIN},
    }
    # The median time in phase 1 is over 8 stays: shown. Two red flags: not.
    assert beschermd["continuum"]["verblijf"]["1"]["mediaan"] == 127
    rood = beschermd["vlaggen"]["rood_tot_erkenning_minuten"]
    assert rood == {"n": KLEIN, "mediaan": None, "p90": None}
    # Meetings held are not about students.
    assert beschermd["overleggen"]["gehouden_per_soort"]["cel"] == 2
