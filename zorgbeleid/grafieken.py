"""The report's tables as SVG charts (leerlingen.grafieken), as
`Tabel.grafiek` asks:

- "staaf": a group per row, this year's column beside last year's;
- "gestapeld": a column per column of the table, its rows stacked (students
  per phase on each reference date);
- "maanden": the flags per colour per month, this year's columns and last
  year's numbers as a line per colour over them.

A table with a hidden small number ("< 5") or a missing value among its bars
gets no chart: a bar cannot be "fewer than five", and drawing it as zero
would mislead. The table beside it shows the numbers either way."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from leerlingen.grafieken import Grafiek, Reeks, staafdiagram
from leerlingen.models import VlagKleur
from leerlingen.views.vlagtrends import KLEUREN

from .rapport import Tabel

# This year dark, last year light (with an outline: light on white).
JAREN = [("#1f5f8b", None), ("#a9c7dc", "#1f5f8b")]
# Rows of a stacked column (phases, kinds): distinguishable, 3:1 on white.
PALET = ["#1f5f8b", "#2e7d32", "#b35c00", "#8e2c6b", "#5b5b8f", "#6b6b2e", "#b42318", "#2e6b6b"]


def _getallen(waarden) -> bool:
    return all(isinstance(w, int | float) and not isinstance(w, bool) for w in waarden)


def _staaf(tabel: Tabel) -> Grafiek | None:
    rijen = [r for r in tabel.rijen if not r.totaal]
    reeksen = []
    for i, kolom in enumerate(tabel.kolommen):
        waarden = tabel.waarden(i)
        if not _getallen(waarden):
            return None
        kleur, rand = JAREN[i] if i < len(JAREN) else (PALET[i % len(PALET)], None)
        reeksen.append(Reeks(sleutel=f"k{i}", label=kolom, kleur=kleur, rand=rand, waarden=waarden))
    return Grafiek(
        titel=tabel.titel,
        omschrijving=_("%(titel)s: %(kolommen)s naast elkaar per rij van de tabel.")
        % {"titel": tabel.titel, "kolommen": ", ".join(tabel.kolommen)},
        categorieen=[r.label for r in rijen],
        reeksen=reeksen,
    )


def _gestapeld(tabel: Tabel) -> Grafiek | None:
    rijen = [r for r in tabel.rijen if not r.totaal]
    if not all(_getallen(r.cellen) for r in rijen):
        return None
    return Grafiek(
        titel=tabel.titel,
        omschrijving=_("%(titel)s: per kolom van de tabel de rijen op elkaar gestapeld.")
        % {"titel": tabel.titel},
        categorieen=list(tabel.kolommen),
        reeksen=[
            Reeks(sleutel=f"r{i}", label=r.label, kleur=PALET[i % len(PALET)], waarden=r.cellen)
            for i, r in enumerate(rijen)
        ],
    )


def _maanden(tabel: Tabel) -> Grafiek | None:
    """The columns of the flags' table are, per colour, this year and (when
    there is one) last year: `rapport._vlaggen`."""
    per_kleur = len(tabel.kolommen) // len(VlagKleur.values)
    reeksen, lijnen = [], []
    for k, (kleur, vul, rand) in enumerate(KLEUREN):
        dit = [r.cellen[k * per_kleur] for r in tabel.rijen]
        if not _getallen(dit):
            return None
        reeksen.append(
            Reeks(
                sleutel=kleur,
                label=tabel.kolommen[k * per_kleur],
                kleur=vul,
                rand=rand,
                waarden=dit,
            )
        )
        if per_kleur > 1:
            vorig = [r.cellen[k * per_kleur + 1] for r in tabel.rijen]
            if not _getallen(w for w in vorig if w is not None):
                return None
            lijnen.append(
                Reeks(
                    sleutel=f"{kleur}-vorig",
                    label=tabel.kolommen[k * per_kleur + 1],
                    kleur=vul,
                    rand=rand,
                    waarden=vorig,
                )
            )
    return Grafiek(
        titel=tabel.titel,
        omschrijving=_(
            "Vlaggen per maand: dit schooljaar als kolommen per kleur, vorig schooljaar als "
            "stippellijn per kleur."
        ),
        categorieen=[r.label for r in tabel.rijen],
        reeksen=reeksen,
        lijnen=lijnen,
    )


BOUWERS = {"staaf": _staaf, "gestapeld": _gestapeld, "maanden": _maanden}


def grafiek(tabel: Tabel) -> Grafiek | None:
    """The chart of `tabel`, or None: no chart asked, or a value a bar
    cannot show."""
    bouwer = BOUWERS.get(tabel.grafiek or "")
    if bouwer is None or not tabel.rijen:
        return None
    return bouwer(tabel)


def svg(tabel: Tabel, *, id: str) -> SafeString | None:
    g = grafiek(tabel)
    if g is None:
        return None
    return staafdiagram(g, gestapeld=tabel.grafiek == "gestapeld", id=id)
