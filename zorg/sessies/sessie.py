"""What a signed-in session keeps about itself, and when it is over.

Three values live in the session (on the server, like the rest of it):
when it began, its last activity, and which memberships the person held in
it. `SessieMiddleware` checks them on every request to a view:

- more than the idle limit since the last activity: over. The limit is the
  school's setting (`School.sessie_inactief_minuten`); for a person in
  several schools, the strictest of them.
- more than SESSION_COOKIE_AGE since the sign-in: over, however active.
- a membership held in the session has ended (inactive or deleted): over.
  Rights follow the memberships on every request anyway (zorg.accounts
  .policies); ending the session also drops what the session still holds.

Activity is written at most once per `RESOLUTIE` seconds, so a page full of
htmx requests does not write the session each time; a session may thus end
up to that long before its limit, never after.
"""

import time
from dataclasses import dataclass

from django.conf import settings

from zorg.accounts.policies import toegang

BEGIN = "zorg_sessie_begin"
ACTIVITEIT = "zorg_sessie_activiteit"
LEDEN = "zorg_sessie_leden"
RESOLUTIE = 30


def nu() -> float:
    return time.time()


def leden_en_limiet(user) -> tuple[set[str], int]:
    """The person's active memberships (school, CLB, school group), as
    `l<pk>`, `c<pk>`, `g<pk>`, and the idle limit in seconds: the strictest
    setting of the schools they reach, the default without a school. From
    `toegang` (its one query, which the page's policies then reuse)."""
    wat = toegang(user)
    minuten = min(wat.inactief_minuten, default=settings.ZORG_SESSIE_INACTIEF_MINUTEN)
    return set(wat.lid_sleutels), 60 * minuten


def starten(session, leden: set[str]) -> None:
    moment = nu()
    session[BEGIN] = moment
    session[ACTIVITEIT] = moment
    session[LEDEN] = sorted(leden)


@dataclass(frozen=True)
class Stand:
    """Where a live session stands, in seconds."""

    limiet: int  # the idle limit
    resterend_inactief: float
    resterend_absoluut: float

    @property
    def resterend(self) -> int:
        return max(0, int(min(self.resterend_inactief, self.resterend_absoluut)))

    @property
    def verlengbaar(self) -> bool:
        """Whether activity would give it more time (not at the absolute limit)."""
        return self.resterend_inactief < self.resterend_absoluut

    def als_json(self) -> dict:
        return {
            "aangemeld": True,
            "resterend": self.resterend,
            "verlengbaar": self.verlengbaar,
        }


def stand(session, limiet: int, moment: float | None = None) -> Stand:
    moment = nu() if moment is None else moment
    return Stand(
        limiet=limiet,
        resterend_inactief=session[ACTIVITEIT] + limiet - moment,
        resterend_absoluut=session[BEGIN] + settings.SESSION_COOKIE_AGE - moment,
    )


def geen_activiteit(alleen_htmx: bool = False):
    """Mark a view whose requests are not the person's activity: a page
    polling for a status would otherwise keep an unattended session alive.
    With `alleen_htmx`, only its htmx requests (the polling) are not."""

    def markeren(view):
        view.zorg_geen_activiteit = "htmx" if alleen_htmx else "altijd"
        return view

    return markeren


def is_activiteit(request, view_func) -> bool:
    markering = getattr(view_func, "zorg_geen_activiteit", None)
    if markering == "altijd":
        return False
    return not (markering == "htmx" and getattr(request, "htmx", False))
