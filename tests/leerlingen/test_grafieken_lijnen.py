"""Line series over the bars (leerlingen.grafieken): last year's numbers
over this year's columns. Charts without lines stay as they were."""

import re

import pytest

from leerlingen.grafieken import HOOGTE, Grafiek, Reeks, staafdiagram, tabel_html


def _grafiek(lijnen=(), reeksen=None):
    return Grafiek(
        titel="Vlaggen",
        omschrijving="Per maand",
        categorieen=["sep", "okt", "nov"],
        reeksen=reeksen or [Reeks("rood", "Rood 2026-2027", "#b42318", [2, 4, 0])],
        lijnen=lijnen,
    )


def test_a_chart_without_lines_draws_none():
    svg = staafdiagram(_grafiek())
    assert "<polyline" not in svg and "<circle" not in svg
    assert f'viewBox="0 0 760 {HOOGTE}"' in svg


def test_a_line_is_drawn_over_the_bars_and_sets_the_scale():
    lijn = Reeks("rood-vorig", "Rood 2025-2026", "#b42318", [1, 8, 3])
    svg = staafdiagram(_grafiek([lijn]), gestapeld=False)
    punten = re.search(r'<polyline class="lijn lijn-rood-vorig" points="([^"]+)"', svg).group(1)
    xs_ys = [tuple(map(float, p.split(","))) for p in punten.split()]
    assert len(xs_ys) == 3
    # The highest value is the line's 8: the axis goes to 8 (steps of 2),
    # and its point sits on the top of the plot.
    assert ">8</text>" in svg
    assert min(y for _x, y in xs_ys) == 16
    assert "<title>okt: 8 Rood 2025-2026</title>" in svg
    assert 'class="legende legende-lijn legende-rood-vorig"' in svg
    assert "Rood 2025-2026 (12)" in svg


def test_a_missing_value_breaks_the_line():
    lijn = Reeks("v", "Vorig", "#000000", [1, None, 3])
    svg = staafdiagram(_grafiek([lijn]))
    # Two single points, no segment across the gap.
    assert "<polyline" not in svg
    assert svg.count('<circle class="punt punt-v"') == 2


def test_a_bar_needs_a_value_and_no_value_is_negative():
    with pytest.raises(ValueError):
        _grafiek(reeksen=[Reeks("a", "A", "#000000", [1, None, 2])])
    with pytest.raises(ValueError):
        _grafiek([Reeks("v", "V", "#000000", [1, -1, 2])])
    with pytest.raises(ValueError):
        _grafiek([Reeks("v", "V", "#000000", [1, 2])])


def test_a_long_legend_wraps_and_the_chart_grows():
    kleuren = ["groen", "geel", "oranje", "rood"]
    reeksen = [Reeks(k, f"{k} 2026-2027", "#2e7d32", [1, 2, 3]) for k in kleuren]
    lijnen = [Reeks(f"{k}-v", f"{k} 2025-2026", "#2e7d32", [1, 2, 3]) for k in kleuren]
    svg = staafdiagram(_grafiek(lijnen, reeksen=reeksen))
    hoogte = int(re.search(r'viewBox="0 0 760 (\d+)"', svg).group(1))
    assert hoogte > HOOGTE
    ys = {
        int(y)
        for y in re.findall(r'<g class="legende[^"]*"><(?:rect|line) x1?="\d+" y1?="(\d+)"', svg)
    }
    assert len(ys) > 1


def test_the_table_shows_the_lines_after_the_total_of_the_bars():
    lijn = Reeks("v", "Vorig", "#000000", [1, None, 3])
    tabel = tabel_html(_grafiek([lijn]))
    kop = re.search(r"<thead>(.*)</thead>", tabel).group(1)
    assert re.findall(r"<th[^>]*>([^<]*)</th>", kop) == [
        "Periode",
        "Rood 2026-2027",
        "Totaal",
        "Vorig",
    ]
    okt = re.search(r'<tr><th scope="row">okt</th>(.*?)</tr>', tabel).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", okt) == ["4", "4", "–"]
    assert tabel.endswith(
        '<td class="text-end fw-semibold">6</td><td class="text-end">4</td></tr></tfoot></table>'
    )
