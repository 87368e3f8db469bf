"""The report page's figures, kept a while in Django's cache (issue 19).

Computing a year's figures beside last year's costs about 50 queries and
grows with the school (250-500 ms at 2,000 students, seconds at 100,000);
the page serves them from the cache instead, computed at most once per
`ZORGBELEID_CIJFERS_SECONDEN` per school and school year (a group: per group
and year name) and per day in Brussels: the figures count "today" as a
reference date, so a new day is a new key. The page says when they were
computed.

Two things are kept, both aggregated and without a name or a model
instance: the `Jaarvergelijking` (numbers, the same whoever asks, in any
language), and what the page makes of it (its tables and charts rendered,
`*weergave_bewaard`: per language and phase names, two thirds of the page's
time), which expires with the figures it was made from. Who may see them is
asked by the view before it comes here, on every request, and the read is
audited there; the reflections and actions beside the figures stay live.
The exports (XLSX, CSV, PDF) never come here: they hold the figures of the
moment they are made.

One request computes a key's figures; others that miss meanwhile wait for
them (`_wachten`), so three workers missing at once do not run the year's
aggregates three times.

A cache that fails (Redis down, a value that no longer unpickles) costs
speed, never the page: the figures are then computed live and a warning is
logged.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import time
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


# While one request computes a key's figures, others that miss wait for them
# (polling every STAP seconds, at most WACHTEN) rather than compute them too:
# at 100,000 students that is seconds of the database per computation. The
# slot expires by itself after SLOT seconds should its holder die. WACHTEN
# stays under gunicorn's default worker timeout (30 s), which would
# otherwise kill a waiting sync worker.
STAP = 0.1
WACHTEN = 20.0
SLOT = 120


def sleutel(deel: str) -> str:
    """The cache key of `deel` today (Brussels), of this shape of the
    figures and this database."""
    return f"zorgbeleid:cijfers:v{VERSIE}:{_VORM}:{_database()}:{_vandaag().isoformat()}:{deel}"


def _wachten(volledig: str, duur: int, soort: type):
    """The value another request is computing under `volledig`, once kept;
    None when it is not there within WACHTEN seconds. Counted in steps, not
    by the clock (tests freeze it)."""
    for _ in range(round(WACHTEN / STAP)):
        time.sleep(STAP)
        bewaard = cache.get(volledig)
        if _vers(bewaard, duur, soort):
            return bewaard
    return None


def _bewaard(
    deel: str,
    berekenen: Callable[[], tuple[T, datetime.datetime]],
    soort: type[T],
    *,
    eenmalig: bool = False,
):
    """The value under `deel` and when its figures were computed: from the
    cache while they are younger than the setting, else computed now (and
    kept for what is left of the window). `eenmalig`: one request computes
    it, others that miss meanwhile wait for it. A failing cache is logged
    and skipped."""
    volledig = sleutel(deel)
    duur = seconden()
    slot = None
    try:
        if duur > 0:
            bewaard = cache.get(volledig)
            if _vers(bewaard, duur, soort):
                return bewaard
            if eenmalig:
                if cache.add(f"{volledig}:bezig", 1, SLOT):
                    slot = f"{volledig}:bezig"
                else:
                    bewaard = _wachten(volledig, duur, soort)
                    if bewaard is not None:
                        return bewaard
    except Exception:
        logger.warning(
            "Cache unavailable, report figures computed live (%s)", volledig, exc_info=True
        )
        duur = 0
    try:
        waarde, moment = berekenen()
        rest = duur - int((timezone.now() - moment).total_seconds())
        if duur > 0 and rest > 0:
            try:
                cache.set(volledig, (waarde, moment), rest)
            except Exception:
                logger.warning(
                    "Cache unavailable, report figures not kept (%s)", volledig, exc_info=True
                )
        return waarde, moment
    finally:
        if slot is not None:
            try:
                cache.delete(slot)
            except Exception:
                logger.warning("Cache unavailable, slot left to expire (%s)", slot, exc_info=True)


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
        eenmalig=True,
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
        eenmalig=True,
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
