"""Bar charts as plain SVG markup, rendered on the server.

No JavaScript, no external references, no inline `style`: the same markup
goes into a page under a strict CSP and into a PDF (WeasyPrint). Colours are
SVG presentation attributes (`fill`, `stroke`), which the CSP allows. Every
piece of text passes through `format_html`/`escape`; numbers are formatted by
this module itself.

A chart is always paired with a table of the same numbers (`tabel_html`):
the accessible fallback for screen readers, and what a reader copies.

Besides its bars a chart may carry lines (`Grafiek.lijnen`): a series drawn
as a dashed line with a dot per category over the bars, e.g. last year's
numbers over this year's columns. A line may miss a value (None): it breaks
there rather than dropping to zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BREEDTE = 760
HOOGTE = 340
MARGE_LINKS = 52
MARGE_RECHTS = 16
MARGE_BOVEN = 16
MARGE_ONDER = 96  # rotated period labels and the legend
MAX_LABELS = 18  # more periods than this: label every n-th one
TEKSTKLEUR = "#212529"
ASKLEUR = "#565e65"
RASTERKLEUR = "#dee2e6"


@dataclass(frozen=True)
class Reeks:
    """One series: one colour, one number per category (for a line, None
    where it has none)."""

    sleutel: str
    label: str
    kleur: str  # fill, "#rrggbb"
    waarden: Sequence[int | None]
    # A light fill (yellow) needs a dark outline to stand out from white; a
    # line is drawn in this colour when given (its fill may be too light).
    rand: str | None = None

    @property
    def totaal(self) -> int:
        return sum(w for w in self.waarden if w is not None)


@dataclass(frozen=True)
class Grafiek:
    titel: str
    omschrijving: str
    categorieen: Sequence[str]  # one label per bar (group), e.g. a week
    reeksen: Sequence[Reeks]
    # A longer label per category for tooltips and the table; defaults to the
    # short one.
    lange_categorieen: Sequence[str] = field(default_factory=tuple)
    leeg_tekst: str = ""
    # Series drawn as lines over the bars (not stacked, not in the totals).
    lijnen: Sequence[Reeks] = field(default_factory=tuple)

    def __post_init__(self):
        for reeks in (*self.reeksen, *self.lijnen):
            if len(reeks.waarden) != len(self.categorieen):
                raise ValueError(f"series {reeks.sleutel!r}: one value per category expected")
            if any(w is not None and w < 0 for w in reeks.waarden):
                raise ValueError(f"series {reeks.sleutel!r}: negative values")
        for reeks in self.reeksen:
            if any(w is None for w in reeks.waarden):
                raise ValueError(f"series {reeks.sleutel!r}: a bar needs a value")
        if self.lange_categorieen and len(self.lange_categorieen) != len(self.categorieen):
            raise ValueError("one long label per category expected")

    def lang(self, i: int) -> str:
        return self.lange_categorieen[i] if self.lange_categorieen else self.categorieen[i]

    def kolomtotaal(self, i: int) -> int:
        return sum(r.waarden[i] for r in self.reeksen)

    @property
    def totaal(self) -> int:
        return sum(r.totaal for r in self.reeksen)


def schaal_maximum(waarde: int) -> tuple[int, int]:
    """A round top for the y axis at or above `waarde`, and the step between
    grid lines (1, 2 or 5 times a power of ten; about four steps)."""
    if waarde <= 0:
        return 0, 1
    ruw = waarde / 4
    macht = 10 ** math.floor(math.log10(ruw)) if ruw >= 1 else 1
    for factor in (1, 2, 5, 10):
        stap = max(1, factor * macht)
        if stap * 4 >= waarde:
            break
    return stap * math.ceil(waarde / stap), stap


def _getal(x: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    tekst = f"{x:.1f}"
    return tekst[:-2] if tekst.endswith(".0") else tekst


def staafdiagram(grafiek: Grafiek, *, gestapeld: bool = True, id: str = "grafiek") -> SafeString:
    """The chart as an `<svg>` element. `gestapeld`: one column per category
    with the series stacked; otherwise the series stand side by side. `id`
    must be unique on the page (title and description are referenced by it)."""
    n = len(grafiek.categorieen)
    plot_b = BREEDTE - MARGE_LINKS - MARGE_RECHTS
    plot_h = HOOGTE - MARGE_BOVEN - MARGE_ONDER
    basis_y = MARGE_BOVEN + plot_h
    if gestapeld:
        hoogste = max((grafiek.kolomtotaal(i) for i in range(n)), default=0)
    else:
        hoogste = max((w for r in grafiek.reeksen for w in r.waarden), default=0)
    hoogste = max([hoogste, *(w for r in grafiek.lijnen for w in r.waarden if w is not None)])
    top, stap = schaal_maximum(math.ceil(hoogste))

    delen: list[SafeString] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="staafdiagram" '
            'viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-titel {}-desc" '
            "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" "
            'font-size="12" fill="{}">',
            BREEDTE,
            _hoogte(grafiek),
            id,
            id,
            TEKSTKLEUR,
        ),
        format_html('<title id="{}-titel">{}</title>', id, grafiek.titel),
        format_html('<desc id="{}-desc">{}</desc>', id, grafiek.omschrijving),
    ]

    # Grid and y axis.
    if top:
        for waarde in range(0, top + 1, stap):
            y = basis_y - waarde / top * plot_h
            delen.append(
                format_html(
                    '<line class="raster" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
                    'stroke-width="1"/>'
                    '<text class="as-label" x="{}" y="{}" text-anchor="end" '
                    'dominant-baseline="middle" fill="{}">{}</text>',
                    MARGE_LINKS,
                    _getal(y),
                    BREEDTE - MARGE_RECHTS,
                    _getal(y),
                    RASTERKLEUR,
                    MARGE_LINKS - 6,
                    _getal(y),
                    ASKLEUR,
                    waarde,
                )
            )
    delen.append(
        format_html(
            '<line class="as" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            MARGE_LINKS,
            basis_y,
            BREEDTE - MARGE_RECHTS,
            basis_y,
            ASKLEUR,
        )
    )

    if not top:
        delen.append(
            format_html(
                '<text class="leeg" x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                _getal(MARGE_LINKS + plot_b / 2),
                _getal(MARGE_BOVEN + plot_h / 2),
                ASKLEUR,
                grafiek.leeg_tekst or _("Geen gegevens in deze periode."),
            )
        )
    elif n:
        delen.extend(_staven(grafiek, gestapeld, top, plot_b, plot_h, basis_y))
        delen.extend(_lijnen(grafiek, top, plot_b, plot_h, basis_y))

    delen.extend(_categorie_labels(grafiek, plot_b, basis_y))
    delen.extend(_legende(grafiek))
    delen.append(mark_safe("</svg>"))
    # Every part above is a SafeString from format_html: joining keeps it safe.
    return mark_safe("".join(delen))  # noqa: S308


def _staven(grafiek, gestapeld, top, plot_b, plot_h, basis_y):
    n = len(grafiek.categorieen)
    vak = plot_b / n
    kolom = vak * 0.7
    for i in range(n):
        links = MARGE_LINKS + i * vak + (vak - kolom) / 2
        y = basis_y
        for j, reeks in enumerate(grafiek.reeksen):
            waarde = reeks.waarden[i]
            if not waarde:
                continue
            h = waarde / top * plot_h
            if gestapeld:
                x, b = links, kolom
                y -= h
                boven = y
            else:
                b = kolom / len(grafiek.reeksen)
                x = links + j * b
                boven = basis_y - h
            yield format_html(
                '<rect class="staaf staaf-{}" x="{}" y="{}" width="{}" height="{}" fill="{}"{}>'
                "<title>{}: {} {}</title></rect>",
                reeks.sleutel,
                _getal(x),
                _getal(boven),
                _getal(b),
                _getal(h),
                reeks.kleur,
                format_html(' stroke="{}" stroke-width="1"', reeks.rand) if reeks.rand else "",
                grafiek.lang(i),
                waarde,
                reeks.label,
            )


def _lijnen(grafiek, top, plot_b, plot_h, basis_y):
    """Each line as dashed segments between the categories it has a value
    for, a dot with a tooltip on each value."""
    n = len(grafiek.categorieen)
    vak = plot_b / n
    for reeks in grafiek.lijnen:
        kleur = reeks.rand or reeks.kleur
        punten = [
            None
            if w is None
            else (MARGE_LINKS + i * vak + vak / 2, basis_y - w / top * plot_h, i, w)
            for i, w in enumerate(reeks.waarden)
        ]
        stukken: list[list] = [[]]
        for punt in punten:
            if punt is None:
                stukken.append([])
            else:
                stukken[-1].append(punt)
        for stuk in stukken:
            if len(stuk) > 1:
                yield format_html(
                    '<polyline class="lijn lijn-{}" points="{}" fill="none" stroke="{}" '
                    'stroke-width="2" stroke-dasharray="6 4"/>',
                    reeks.sleutel,
                    " ".join(f"{_getal(x)},{_getal(y)}" for x, y, _i, _w in stuk),
                    kleur,
                )
        for x, y, i, w in (p for p in punten if p is not None):
            yield format_html(
                '<circle class="punt punt-{}" cx="{}" cy="{}" r="3.5" fill="#ffffff" '
                'stroke="{}" stroke-width="2"><title>{}: {} {}</title></circle>',
                reeks.sleutel,
                _getal(x),
                _getal(y),
                kleur,
                grafiek.lang(i),
                _getal(w),
                reeks.label,
            )


def _categorie_labels(grafiek, plot_b, basis_y):
    n = len(grafiek.categorieen)
    if not n:
        return
    vak = plot_b / n
    elke = math.ceil(n / MAX_LABELS)
    for i in range(0, n, elke):
        x = MARGE_LINKS + i * vak + vak / 2
        y = basis_y + 14
        yield format_html(
            '<text class="categorie" x="{}" y="{}" text-anchor="end" '
            'transform="rotate(-40 {} {})" fill="{}">{}</text>',
            _getal(x),
            y,
            _getal(x),
            y,
            ASKLEUR,
            grafiek.categorieen[i],
        )


LEGENDE_REGEL = 18  # px between rows of the legend


def _legende_items(grafiek) -> list[tuple[Reeks, bool, str, float, int]]:
    """Each series of the legend (bars, then lines) with its text and place:
    side by side, on a next row when the chart's width is full."""
    items = []
    x, rij = MARGE_LINKS, 0
    for reeks, lijn in [(r, False) for r in grafiek.reeksen] + [(r, True) for r in grafiek.lijnen]:
        tekst = f"{reeks.label} ({_getal(reeks.totaal)})"
        symbool = 19 if lijn else 17
        breedte = symbool + 7 * len(tekst)
        if x > MARGE_LINKS and x + breedte > BREEDTE - MARGE_RECHTS:
            x, rij = MARGE_LINKS, rij + 1
        items.append((reeks, lijn, tekst, x, rij))
        x += breedte + 22
    return items


def _hoogte(grafiek) -> int:
    """The chart's height: one legend row fits; each further row adds to it."""
    rijen = max((rij for *_rest, rij in _legende_items(grafiek)), default=0)
    return HOOGTE + rijen * LEGENDE_REGEL


def _legende(grafiek):
    """Colour swatch (or dashed line) and name side by side: never colour alone."""
    for reeks, lijn, tekst, x, rij in _legende_items(grafiek):
        y = HOOGTE - 14 + rij * LEGENDE_REGEL
        if lijn:
            yield format_html(
                '<g class="legende legende-lijn legende-{}"><line x1="{}" y1="{}" x2="{}" '
                'y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="6 4"/>'
                '<text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
                reeks.sleutel,
                x,
                y,
                x + 14,
                y,
                reeks.rand or reeks.kleur,
                x + 19,
                y,
                tekst,
            )
        else:
            yield format_html(
                '<g class="legende legende-{}"><rect x="{}" y="{}" width="12" height="12" '
                'fill="{}"{}/><text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
                reeks.sleutel,
                x,
                y - 6,
                reeks.kleur,
                format_html(' stroke="{}" stroke-width="1"', reeks.rand) if reeks.rand else "",
                x + 17,
                y,
                tekst,
            )


def _waarde(w) -> str:
    return "–" if w is None else _getal(w)


def tabel_html(grafiek: Grafiek, *, bijschrift: str = "", kop: str = "") -> SafeString:
    """The same numbers as a table: a row per category, a column per series,
    totals in the last row and column. Lines come after the total of the
    bars (they are not part of it), each with its own total."""
    kop = kop or _("Periode")
    koppen = format_html_join(
        "", '<th scope="col" class="text-end">{}</th>', ((r.label,) for r in grafiek.reeksen)
    )
    lijnkoppen = format_html_join(
        "", '<th scope="col" class="text-end">{}</th>', ((r.label,) for r in grafiek.lijnen)
    )
    rijen = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}<td class="text-end">{}</td>{}</tr>',
        (
            (
                grafiek.lang(i),
                format_html_join(
                    "", '<td class="text-end">{}</td>', ((r.waarden[i],) for r in grafiek.reeksen)
                ),
                grafiek.kolomtotaal(i),
                format_html_join(
                    "",
                    '<td class="text-end">{}</td>',
                    ((_waarde(r.waarden[i]),) for r in grafiek.lijnen),
                ),
            )
            for i in range(len(grafiek.categorieen))
        ),
    )
    totalen = format_html_join(
        "", '<td class="text-end">{}</td>', ((r.totaal,) for r in grafiek.reeksen)
    )
    lijntotalen = format_html_join(
        "", '<td class="text-end">{}</td>', ((_getal(r.totaal),) for r in grafiek.lijnen)
    )
    return format_html(
        '<table class="table table-sm table-striped tabel-grafiek">{}'
        '<thead><tr><th scope="col">{}</th>{}<th scope="col" class="text-end">{}</th>{}</tr>'
        "</thead><tbody>{}</tbody>"
        '<tfoot><tr><th scope="row">{}</th>{}<td class="text-end fw-semibold">{}</td>{}</tr>'
        "</tfoot></table>",
        format_html("<caption>{}</caption>", bijschrift) if bijschrift else "",
        kop,
        koppen,
        _("Totaal"),
        lijnkoppen,
        rijen,
        _("Totaal"),
        totalen,
        grafiek.totaal,
        lijntotalen,
    )
