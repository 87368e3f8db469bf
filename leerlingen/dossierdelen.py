"""The parts of a student's care file (the "zorgdossier" PDF) that apps
built on the student record contribute: the meetings their decisions, the
CLB what it shares. They register from their AppConfig.ready(), as they
register their sections of the student page, so this app imports neither.

A part is `deel(user, leerling, vanaf)` returning its template context with
a `template` (a fragment of the PDF, block layout, styled by pdf.css only),
or None when the reader sees nothing of it. `vanaf` is the first day of the
period the file covers, or None for everything. A part gathers its data
with the same policies and querysets as its section of the student page,
and in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

Dossierdeel = Callable[[Any, Any, datetime.date | None], dict | None]

_DELEN: list[Dossierdeel] = []


def dossierdeel_registreren(deel: Dossierdeel) -> None:
    """Add `deel` after the built-in parts, in the order of registration.
    Registering twice is harmless."""
    if all(bestaand is not deel for bestaand in _DELEN):
        _DELEN.append(deel)


def dossierdelen() -> list[Dossierdeel]:
    return list(_DELEN)
