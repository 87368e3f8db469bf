"""What the date tests share: the Brussels clock, and the school year
2026-2027 (plus the next leap day) whose awkward days they travel to."""

import datetime
import zoneinfo

BRUSSEL = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC
# A day of the school year 2026-2027, to build the world of these tests on.
IN_2026_2027 = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=BRUSSEL)


def lokaal(jaar, maand, dag, uur=10, minuut=0, *, fold=0) -> datetime.datetime:
    """A Brussels clock time; `fold=1` is the second of October's two 02:30s."""
    return datetime.datetime(jaar, maand, dag, uur, minuut, tzinfo=BRUSSEL, fold=fold)
