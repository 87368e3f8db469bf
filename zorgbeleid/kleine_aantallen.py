"""Small numbers: the report leaves the school, so no figure may single out
fewer than five students.

`beschermen(cijfers)` turns the exact figures (zorgbeleid.cijfers) into the
ones the PDF and the spreadsheet show, as a plain dict of the same shape:

- A count marked as one of students (field metadata `TELLING`) that is 1 to
  4 becomes the string "< 5". 0 stays 0 (it singles out no one).
- A breakdown (a dict of counts: a row) in which exactly one cell was hidden
  also hides its smallest other non-zero cell, so the hidden one cannot be
  computed back from the row's total, which stays shown (unless it is itself
  1 to 4). A table (a dict of rows) applies this to each row and each
  column, until nothing changes.
- A count that is part of another (metadata `deel_van`: the teller of a
  share, part of its noemer) is hidden when the rest (noemer - teller, e.g.
  the evaluations that were late) is 1 to 4: shown, the two would give the
  rest away.
- A statistic over a count (a share, a median: metadata `hangt_af_van`)
  becomes None when that count is hidden: a median of three waiting times
  is three waiting times.

The care team's on-screen version shows the exact figures (marked
internal); only exports go through here."""

from __future__ import annotations

import dataclasses

KLEIN = "< 5"
GRENS = 5


def verborgen(waarde) -> bool:
    return waarde == KLEIN


def _cel(n):
    return KLEIN if isinstance(n, int) and 0 < n < GRENS else n


def _aanvullen(cellen: dict, sleutels: list) -> bool:
    """Hide the smallest non-zero shown cell among `sleutels` when exactly
    one of them is hidden. Whether it changed anything."""
    if sum(verborgen(cellen[k]) for k in sleutels) != 1:
        return False
    kandidaten = [k for k in sleutels if isinstance(cellen[k], int) and cellen[k] > 0]
    if not kandidaten:
        return False
    kleinste = min(kandidaten, key=lambda k: (cellen[k], str(k)))
    cellen[kleinste] = KLEIN
    return True


def rij(cellen: dict) -> dict:
    """A breakdown of student counts, protected."""
    uit = {k: _cel(v) for k, v in cellen.items()}
    _aanvullen(uit, list(uit))
    return uit


def tabel(rijen: dict[str, dict]) -> dict:
    """A table of student counts (rows of a breakdown), protected by row and
    by column."""
    uit = {r: {k: _cel(v) for k, v in cellen.items()} for r, cellen in rijen.items()}
    kolommen = sorted({k for cellen in uit.values() for k in cellen}, key=str)
    veranderd = True
    while veranderd:
        veranderd = False
        for cellen in uit.values():
            veranderd |= _aanvullen(cellen, list(cellen))
        for kolom in kolommen:
            # A column as a dict of (row, cell), written back below.
            kol = {r: cellen[kolom] for r, cellen in uit.items() if kolom in cellen}
            if _aanvullen(kol, list(kol)):
                veranderd = True
                for r, waarde in kol.items():
                    uit[r][kolom] = waarde
    return uit


def _telling(waarde):
    if isinstance(waarde, dict):
        if any(isinstance(v, dict) for v in waarde.values()):
            return tabel(waarde)
        return rij(waarde)
    return _cel(waarde)


def beschermen(cijfers) -> dict:
    """The figures as they leave the school (see the module's docstring):
    a dict of the dataclass tree `cijfers`, its student counts protected."""
    if cijfers is None:
        return None
    if isinstance(cijfers, list):
        return [beschermen(x) for x in cijfers]
    if isinstance(cijfers, dict):
        return {k: beschermen(v) for k, v in cijfers.items()}
    if not dataclasses.is_dataclass(cijfers):
        return cijfers
    uit = {}
    afhankelijk = []
    for veld in dataclasses.fields(cijfers):
        waarde = getattr(cijfers, veld.name)
        if veld.metadata.get("telling"):
            uit[veld.name] = _telling(waarde)
        elif "hangt_af_van" in veld.metadata:
            afhankelijk.append(veld)
            uit[veld.name] = waarde
        else:
            uit[veld.name] = beschermen(waarde)
    for veld in dataclasses.fields(cijfers):
        geheel = veld.metadata.get("deel_van")
        if not geheel or not all(isinstance(uit[n], int) for n in (veld.name, geheel)):
            continue
        if 0 < uit[geheel] - uit[veld.name] < GRENS:
            uit[veld.name] = KLEIN
    for veld in afhankelijk:
        namen = veld.metadata["hangt_af_van"]
        namen = (namen,) if isinstance(namen, str) else namen
        if any(verborgen(uit[naam]) for naam in namen):
            uit[veld.name] = None
    return uit
