"""Bar charts as plain SVG markup, rendered on the server.

No JavaScript, no external references, no inline `style`: the same markup
goes into a page under a strict CSP and into a PDF (WeasyPrint). Colours are
SVG presentation attributes (`fill`, `stroke`), which the CSP allows. Every
piece of text passes through `format_html`/`escape`; numbers are formatted by
this module itself.

A chart is always paired with a table of the same numbers (`tabel_html`):
the accessible fallback for screen readers, and what a reader copies.
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
    """One series: one colour, one number per category."""

    sleutel: str
    label: str
    kleur: str  # fill, "#rrggbb"
    waarden: Sequence[int]
    # A light fill (yellow) needs a dark outline to stand out from white.
    rand: str | None = None

    @property
    def totaal(self) -> int:
        return sum(self.waarden)


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

    def __post_init__(self):
        for reeks in self.reeksen:
            if len(reeks.waarden) != len(self.categorieen):
                raise ValueError(f"series {reeks.sleutel!r}: one value per category expected")
            if any(w < 0 for w in reeks.waarden):
                raise ValueError(f"series {reeks.sleutel!r}: negative values")
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
    top, stap = schaal_maximum(hoogste)

    delen: list[SafeString] = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="staafdiagram" '
            'viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}-titel {}-desc" '
            "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" "
            'font-size="12" fill="{}">',
            BREEDTE,
            HOOGTE,
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


def _legende(grafiek):
    """Colour swatch and name side by side: never colour alone."""
    x = MARGE_LINKS
    y = HOOGTE - 14
    for reeks in grafiek.reeksen:
        tekst = f"{reeks.label} ({reeks.totaal})"
        yield format_html(
            '<g class="legende legende-{}"><rect x="{}" y="{}" width="12" height="12" fill="{}"{}/>'
            '<text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
            reeks.sleutel,
            x,
            y - 6,
            reeks.kleur,
            format_html(' stroke="{}" stroke-width="1"', reeks.rand) if reeks.rand else "",
            x + 17,
            y,
            tekst,
        )
        x += 17 + 7 * len(tekst) + 22


def tabel_html(grafiek: Grafiek, *, bijschrift: str = "", kop: str = "") -> SafeString:
    """The same numbers as a table: a row per category, a column per series,
    totals in the last row and column."""
    kop = kop or _("Periode")
    koppen = format_html_join(
        "", '<th scope="col" class="text-end">{}</th>', ((r.label,) for r in grafiek.reeksen)
    )
    rijen = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}<td class="text-end">{}</td></tr>',
        (
            (
                grafiek.lang(i),
                format_html_join(
                    "", '<td class="text-end">{}</td>', ((r.waarden[i],) for r in grafiek.reeksen)
                ),
                grafiek.kolomtotaal(i),
            )
            for i in range(len(grafiek.categorieen))
        ),
    )
    totalen = format_html_join(
        "", '<td class="text-end">{}</td>', ((r.totaal,) for r in grafiek.reeksen)
    )
    return format_html(
        '<table class="table table-sm table-striped tabel-grafiek">{}'
        '<thead><tr><th scope="col">{}</th>{}<th scope="col" class="text-end">{}</th></tr></thead>'
        "<tbody>{}</tbody>"
        '<tfoot><tr><th scope="row">{}</th>{}<td class="text-end fw-semibold">{}</td></tr></tfoot>'
        "</table>",
        format_html("<caption>{}</caption>", bijschrift) if bijschrift else "",
        kop,
        koppen,
        _("Totaal"),
        rijen,
        _("Totaal"),
        totalen,
        grafiek.totaal,
    )
