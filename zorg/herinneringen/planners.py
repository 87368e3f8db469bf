"""What each app reminds of: a registry of planners.

zorg/ never imports the apps; each app registers, in its AppConfig.ready,
a planner per kind of reminder (a measure's evaluation, an action item
due, a CLB goal to review, the care cell to prepare, a red flag nobody
took up). A planner reads what falls due for one school on one day and
proposes reminders; `zorg.herinneringen.services.herinneringen_plannen`
keeps the ones nobody had yet and notifies.

A planner proposes with a fixed number of queries for the whole school,
whatever the number of reminders (the daily run covers every school)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from zorg.schoolkalender import Kalender


@dataclass(frozen=True)
class Voorstel:
    """Remind `ontvangers` (user ids) of object `object_id`, which falls
    due on `vervaldatum`. The title and text are for the notification in
    Zorg (read only by those who may); e-mail never carries them.
    `leerling_id` is the student the title names, if it names one: the
    notification list records that it showed them (the audit trail)."""

    object_id: int
    vervaldatum: datetime.date
    ontvangers: frozenset[int]
    titel: str
    tekst: str = ""
    link: str = ""
    leerling_id: int | None = None


@dataclass(frozen=True)
class Planner:
    # The notification kind (zorg.meldingen.soorten) the reminders have.
    soort: str
    # (school, now, the school's calendar) -> what is due now.
    plannen: Callable[[object, datetime.datetime, Kalender], Iterable[Voorstel]]
    # Most reminders wait for a school day; an alarm does not.
    alleen_schooldagen: bool = True
    # Called in the same transaction with the ids of the objects that got
    # reminders in this run (e.g. to mark a flag escalated).
    na_aanmaken: Callable[[list[int]], None] | None = None


_PLANNERS: dict[str, Planner] = {}


def planner_registreren(planner: Planner) -> None:
    bestaand = _PLANNERS.get(planner.soort)
    if bestaand is not None and bestaand != planner:
        raise ValueError(f"reminder planner {planner.soort!r} registered twice")
    _PLANNERS[planner.soort] = planner


def planners() -> list[Planner]:
    return list(_PLANNERS.values())
