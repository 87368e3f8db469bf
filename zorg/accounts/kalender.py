"""A school's own calendar: the statutory Flemish one, or the free days the
school set for a school year (see `Schooljaar.kalender_vastgelegd`)."""

from __future__ import annotations

import datetime

from zorg.schoolkalender import Kalender, VrijePeriode, wettelijke_vrije_dagen

from .models import Schooljaar


def _schooljaar(school_id: int, startjaar: int) -> Schooljaar | None:
    """The school's year that holds New Year's day of `startjaar` + 1: a
    school year's rows need not begin exactly on 1 September."""
    nieuwjaar = datetime.date(startjaar + 1, 1, 1)
    return (
        Schooljaar.objects.filter(school_id=school_id, begin__lte=nieuwjaar, einde__gte=nieuwjaar)
        .order_by("-begin")
        .first()
    )


def vrije_perioden(school_id: int, startjaar: int) -> list[VrijePeriode]:
    """The school's free periods in the school year that begins in
    `startjaar`: its own when it set them, else the statutory ones."""
    jaar = _schooljaar(school_id, startjaar)
    if jaar is None or not jaar.kalender_vastgelegd:
        return wettelijke_vrije_dagen(startjaar)
    return [
        VrijePeriode(p.naam, p.begin, p.einde)
        for p in jaar.vrije_perioden.order_by("begin", "einde")
    ]


def schoolkalender(school_id: int) -> Kalender:
    """School days by this school's calendar: one or two queries per school
    year asked about, however many days are asked."""
    return Kalender(lambda startjaar: vrije_perioden(school_id, startjaar))
