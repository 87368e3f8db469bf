"""The report's tables as charts (zorgbeleid.grafieken)."""

from zorgbeleid.grafieken import grafiek, svg
from zorgbeleid.kleine_aantallen import KLEIN
from zorgbeleid.rapport import Rij, Tabel


def _maanden(vorig=True):
    kolommen = []
    for kleur in ("groen", "geel", "oranje", "rood"):
        kolommen += [f"{kleur} 2026-2027"] + ([f"{kleur} 2025-2026"] if vorig else [])
    per = 2 if vorig else 1
    rijen = [
        Rij("september", [k * 10 + j for k in range(4) for j in range(per)]),
        Rij("oktober", [k + 1 if j == 0 else None for k in range(4) for j in range(per)]),
    ]
    return Tabel("vlaggen_per_maand", "Vlaggen", kolommen, rijen, grafiek="maanden")


def test_flags_per_month_are_this_years_columns_and_last_years_lines():
    g = grafiek(_maanden())
    assert [r.sleutel for r in g.reeksen] == ["groen", "geel", "oranje", "rood"]
    assert [r.waarden for r in g.reeksen] == [[0, 1], [10, 2], [20, 3], [30, 4]]
    assert [r.waarden for r in g.lijnen] == [[1, None], [11, None], [21, None], [31, None]]
    assert g.lijnen[0].label == "groen 2025-2026"


def test_without_last_year_there_are_no_lines():
    g = grafiek(_maanden(vorig=False))
    assert not g.lijnen and len(g.reeksen) == 4


def test_side_by_side_years_leave_out_totals():
    tabel = Tabel(
        "t",
        "T",
        ["2026-2027", "2025-2026"],
        [Rij("a", [3, 1]), Rij("b", [0, 2]), Rij("totaal", [3, 3], totaal=True)],
        grafiek="staaf",
    )
    g = grafiek(tabel)
    assert g.categorieen == ["a", "b"]
    assert [r.waarden for r in g.reeksen] == [[3, 0], [1, 2]]


def test_a_hidden_small_number_gets_no_chart():
    tabel = Tabel("t", "T", ["2026-2027"], [Rij("a", [KLEIN]), Rij("b", [7])], grafiek="staaf")
    assert grafiek(tabel) is None and svg(tabel, id="x") is None


def test_stacked_columns_per_column_of_the_table():
    tabel = Tabel(
        "f",
        "Fasen",
        ["1 oktober", "1 februari"],
        [Rij("0", [10, 9]), Rij("1", [2, 3]), Rij("totaal", [12, 12], totaal=True)],
        grafiek="gestapeld",
    )
    g = grafiek(tabel)
    assert g.categorieen == ["1 oktober", "1 februari"]
    assert [r.waarden for r in g.reeksen] == [[10, 9], [2, 3]]
    assert 'class="staafdiagram"' in svg(tabel, id="f")


def test_a_table_of_statistics_gets_no_chart():
    assert grafiek(Tabel("s", "S", ["2026-2027"], [Rij("mediaan", [2.5])])) is None
