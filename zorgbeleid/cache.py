"""The report page's figures, kept a while in Django's cache (issue 19).

Computing a year's figures beside last year's costs about 50 queries and
grows with the school (250-500 ms at 2,000 students, seconds at 100,000);
the page serves them from the cache instead, computed at most once per
`ZORGBELEID_CIJFERS_SECONDEN` per school and school year (a group: per group
and year name) and per day in Brussels: the figures count "today" as a
reference date, so a new day is a new key. The page says when they were
computed.

What is kept is the `Jaarvergelijking` only: aggregated numbers, no name,
no model instance, the same whoever asks and in whatever language (the
labels are made per request by `rapport.rapport_opbouwen`). Who may see
them is asked by the view before it comes here, on every request, and the
read is audited there; the reflections and actions beside the figures stay
live. The exports (XLSX, CSV, PDF) never come here: they hold the figures
of the moment they are made.

A cache that fails (Redis down, a value that no longer unpickles) costs
speed, never the page: the figures are then computed live and a warning is
logged.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from zorg.accounts.models import Scholengemeenschap, School, Schooljaar

from . import cijfers
from .cijfers import Jaarvergelijking, groepsvergelijking, jaarvergelijking

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Bump when what a figure means changes while its shape stays (a count that
# now counts something else): figures kept under the old meaning are then
# never served. A change of shape (a field added, removed, renamed or
# retyped in zorgbeleid.cijfers) changes the key by itself (`_VORM`).
VERSIE = 1


def _vorm() -> str:
    """A short fingerprint of the dataclasses of the figures: their names,
    fields and field types. Figures kept by an older release (another shape)
    are then not found, rather than unpickled into the wrong shape."""
    velden = sorted(
        (naam, veld.name, str(veld.type))
        for naam, klasse in vars(cijfers).items()
        if isinstance(klasse, type)
        and dataclasses.is_dataclass(klasse)
        and klasse.__module__ == cijfers.__name__
        for veld in dataclasses.fields(klasse)
    )
    return hashlib.sha256(repr(velden).encode()).hexdigest()[:10]


_VORM = _vorm()


def seconden() -> int:
    """How long computed figures are served: ZORGBELEID_CIJFERS_SECONDEN."""
    return settings.ZORGBELEID_CIJFERS_SECONDEN


def _vandaag() -> datetime.date:
    return timezone.localdate(timezone=timezone.get_default_timezone())


def _database() -> str:
    """The database the figures come from: test workers, or a staging and a
    production site sharing one Redis, never read each other's figures."""
    return hashlib.sha256(connection.settings_dict["NAME"].encode()).hexdigest()[:8]


def _vers(bewaard, duur: int, soort: type) -> bool:
    """A kept value of the right type, computed less than `duur` seconds ago
    by the app's clock (the cache's expiry, by its own clock, only clears it
    away; a moment ahead of this clock is another worker's clock running a
    little ahead)."""
    if not (isinstance(bewaard, tuple) and len(bewaard) == 2):
        return False
    waarde, moment = bewaard
    if not isinstance(waarde, soort) or not isinstance(moment, datetime.datetime):
        return False
    return (timezone.now() - moment).total_seconds() < duur


def _bewaard(sleutel: str, berekenen: Callable[[], tuple[T, datetime.datetime]], soort: type[T]):
    """The value under `sleutel` and when its figures were computed: from
    the cache while they are younger than the setting, else computed now
    (and kept for what is left of the window). A failing cache is logged and
    skipped."""
    sleutel = (
        f"zorgbeleid:cijfers:v{VERSIE}:{_VORM}:{_database()}:{_vandaag().isoformat()}:{sleutel}"
    )
    duur = seconden()
    if duur > 0:
        try:
            bewaard = cache.get(sleutel)
        except Exception:
            logger.warning(
                "Cache unavailable, report figures computed live (%s)", sleutel, exc_info=True
            )
            bewaard = None
            duur = 0
        if _vers(bewaard, duur, soort):
            return bewaard
    waarde, moment = berekenen()
    rest = duur - int((timezone.now() - moment).total_seconds())
    if duur > 0 and rest > 0:
        try:
            cache.set(sleutel, (waarde, moment), rest)
        except Exception:
            logger.warning(
                "Cache unavailable, report figures not kept (%s)", sleutel, exc_info=True
            )
    return waarde, moment


def _nu(berekenen: Callable[[], T]) -> Callable[[], tuple[T, datetime.datetime]]:
    return lambda: (berekenen(), timezone.now())


def jaarvergelijking_bewaard(
    school: School, schooljaar: Schooljaar
) -> tuple[Jaarvergelijking, datetime.datetime]:
    """`cijfers.jaarvergelijking(school, schooljaar)` and the moment it was
    computed, at most `seconden()` old and of today. The caller has checked
    that the user may see this school's report."""
    return _bewaard(
        f"school:{school.pk}:{schooljaar.pk}",
        _nu(lambda: jaarvergelijking(school, schooljaar)),
        Jaarvergelijking,
    )


def groepsvergelijking_bewaard(
    scholengemeenschap: Scholengemeenschap, jaarnaam: str
) -> tuple[Jaarvergelijking, datetime.datetime]:
    """`cijfers.groepsvergelijking(scholengemeenschap, jaarnaam)` and the
    moment it was computed, as `jaarvergelijking_bewaard`. LookupError (not
    kept) when no school of the group has a year of that name."""
    return _bewaard(
        _groepssleutel(scholengemeenschap, jaarnaam),
        _nu(lambda: groepsvergelijking(scholengemeenschap, jaarnaam)),
        Jaarvergelijking,
    )


def _groepssleutel(scholengemeenschap: Scholengemeenschap, jaarnaam: str) -> str:
    # The name comes from the URL: hashed, so any text makes a valid key.
    return f"groep:{scholengemeenschap.pk}:{hashlib.sha256(jaarnaam.encode()).hexdigest()[:16]}"


def _weergave(
    figuren: str,
    bron: Callable[[], tuple[Jaarvergelijking, datetime.datetime]],
    opbouwen: Callable[[Jaarvergelijking], T],
    soort: type[T],
    variant: str,
) -> tuple[T, datetime.datetime]:
    """What the page makes of the figures (its tables and charts, rendered:
    two thirds of the page's time), kept beside them per language and
    `variant` and as old as they are: it expires with the figures it was made
    from."""
    deel = f"{figuren}:weergave:{translation.get_language()}:{_kort(variant)}"

    def berekenen():
        vergelijking, moment = bron()
        return opbouwen(vergelijking), moment

    return _bewaard(deel, berekenen, soort)


def _kort(tekst: str) -> str:
    return hashlib.sha256(tekst.encode()).hexdigest()[:12]


def schoolweergave_bewaard(
    school: School,
    schooljaar: Schooljaar,
    opbouwen: Callable[[Jaarvergelijking], T],
    soort: type[T],
    variant: str = "",
) -> tuple[T, datetime.datetime]:
    """`opbouwen(figures)` of `jaarvergelijking_bewaard(school, schooljaar)`
    and the moment of the figures, kept as they are (`soort` is its type;
    `variant` names whatever else it depends on besides the language)."""
    return _weergave(
        f"school:{school.pk}:{schooljaar.pk}",
        lambda: jaarvergelijking_bewaard(school, schooljaar),
        opbouwen,
        soort,
        variant,
    )


def groepsweergave_bewaard(
    scholengemeenschap: Scholengemeenschap,
    jaarnaam: str,
    opbouwen: Callable[[Jaarvergelijking], T],
    soort: type[T],
    variant: str = "",
) -> tuple[T, datetime.datetime]:
    """As `schoolweergave_bewaard`, for a group's figures
    (`groepsvergelijking_bewaard`); LookupError for a year none of its
    schools has."""
    return _weergave(
        _groepssleutel(scholengemeenschap, jaarnaam),
        lambda: groepsvergelijking_bewaard(scholengemeenschap, jaarnaam),
        opbouwen,
        soort,
        variant,
    )
