"""The Flemish school calendar: which days of a school year are free by law.

A Flemish school year runs from 1 September to 31 August. Its holidays are
not fixed dates but rules (Besluit van de Vlaamse Regering of 17 April 1991
on the organisation of the school year, with the holidays tied to Easter and
to the weekday of 1 November and Christmas):

- autumn holiday: one week from the Monday of the week of 1 November; when
  1 November is a Sunday, from 2 November;
- Christmas holiday: two weeks from the Monday of the week of Christmas; when
  Christmas is a Saturday or a Sunday, from the Monday after;
- carnival (krokus) holiday: one week from the seventh Monday before Easter;
- Easter holiday: two weeks from the first Monday of April; when Easter falls
  in March, from the Monday after Easter; when Easter falls after 15 April,
  from the second Monday before Easter;
- public holidays on school days: Armistice (11 November), Labour Day
  (1 May), Ascension Day and Whit Monday (Easter Monday always falls in
  the Easter holiday);
- summer holiday: 1 July to 31 August.

This is what every school shares. A school adds its own free days (a
pedagogical study day, a discretionary day off) on top: see
`zorg.accounts.models` for the calendar a school keeps. The functions here
are pure: `Kalender` takes where the free periods come from and answers
questions about days.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.easter import easter
from django.utils.translation import gettext_lazy as _

DAG = datetime.timedelta(days=1)


@dataclass(frozen=True)
class VrijePeriode:
    """Free days from `begin` to `einde`, both included."""

    naam: str
    begin: datetime.date
    einde: datetime.date

    def __contains__(self, dag: datetime.date) -> bool:
        return self.begin <= dag <= self.einde


def _maandag_van(dag: datetime.date) -> datetime.date:
    return dag - datetime.timedelta(days=dag.weekday())


def _volgende_maandag(dag: datetime.date) -> datetime.date:
    return dag + datetime.timedelta(days=7 - dag.weekday())


def _weken(naam, begin: datetime.date, weken: int) -> VrijePeriode:
    return VrijePeriode(naam, begin, begin + datetime.timedelta(weeks=weken) - DAG)


def herfstvakantie_begin(jaar: int) -> datetime.date:
    allerheiligen = datetime.date(jaar, 11, 1)
    if allerheiligen.weekday() == 6:
        return allerheiligen + DAG
    return _maandag_van(allerheiligen)


def kerstvakantie_begin(jaar: int) -> datetime.date:
    kerstmis = datetime.date(jaar, 12, 25)
    if kerstmis.weekday() >= 5:
        return _volgende_maandag(kerstmis)
    return _maandag_van(kerstmis)


def paasvakantie_begin(jaar: int) -> datetime.date:
    pasen = easter(jaar)
    if pasen.month == 3:
        return pasen + DAG
    if pasen > datetime.date(jaar, 4, 15):
        return _maandag_van(pasen) - datetime.timedelta(weeks=1)
    eerste_april = datetime.date(jaar, 4, 1)
    return eerste_april + datetime.timedelta(days=(7 - eerste_april.weekday()) % 7)


def wettelijke_vrije_dagen(startjaar: int) -> list[VrijePeriode]:
    """The free periods every Flemish school has in the school year that
    begins on 1 September of `startjaar`, in date order."""
    jaar = startjaar + 1
    pasen = easter(jaar)
    periodes = [
        _weken(_("Herfstvakantie"), herfstvakantie_begin(startjaar), 1),
        VrijePeriode(
            _("Wapenstilstand"), datetime.date(startjaar, 11, 11), datetime.date(startjaar, 11, 11)
        ),
        _weken(_("Kerstvakantie"), kerstvakantie_begin(startjaar), 2),
        _weken(_("Krokusvakantie"), _maandag_van(pasen) - datetime.timedelta(weeks=6), 1),
        _weken(_("Paasvakantie"), paasvakantie_begin(jaar), 2),
        VrijePeriode(_("Dag van de Arbeid"), datetime.date(jaar, 5, 1), datetime.date(jaar, 5, 1)),
        VrijePeriode(
            _("Hemelvaartsdag"),
            pasen + datetime.timedelta(days=39),
            pasen + datetime.timedelta(days=39),
        ),
        VrijePeriode(
            _("Pinkstermaandag"),
            pasen + datetime.timedelta(days=50),
            pasen + datetime.timedelta(days=50),
        ),
        VrijePeriode(_("Zomervakantie"), datetime.date(jaar, 7, 1), datetime.date(jaar, 8, 31)),
    ]
    return sorted(periodes, key=lambda p: p.begin)


def startjaar_van(dag: datetime.date) -> int:
    """The year in which the school year that `dag` belongs to began:
    July and August still belong to the year that is ending."""
    return dag.year if dag.month >= 9 else dag.year - 1


class Kalender:
    """School days by a calendar: the statutory one (`Kalender.wettelijk()`)
    or a school's own (`zorg.accounts.kalender.schoolkalender`). Each
    school year's free periods are looked up once, when a day in it is
    first asked about, so a question that crosses the summer holiday into
    the next school year reads that year's calendar."""

    def __init__(self, perioden_van: Callable[[int], Iterable[VrijePeriode]]):
        self._perioden_van = perioden_van
        self._per_startjaar: dict[int, tuple[VrijePeriode, ...]] = {}

    @classmethod
    def wettelijk(cls) -> Kalender:
        return cls(wettelijke_vrije_dagen)

    def vrije_perioden(self, startjaar: int) -> tuple[VrijePeriode, ...]:
        if startjaar not in self._per_startjaar:
            self._per_startjaar[startjaar] = tuple(self._perioden_van(startjaar))
        return self._per_startjaar[startjaar]

    def is_schooldag(self, dag: datetime.date) -> bool:
        """A weekday in none of the free periods."""
        if dag.weekday() >= 5:
            return False
        return not any(dag in periode for periode in self.vrije_perioden(startjaar_van(dag)))

    def eerste_schooldag_vanaf(self, dag: datetime.date) -> datetime.date:
        """`dag` itself when it is a school day, else the first school day
        after it: where a reminder due on a free day goes."""
        while not self.is_schooldag(dag):
            dag += DAG
        return dag

    def schooldagen_later(self, dag: datetime.date, aantal: int) -> datetime.date:
        """The `aantal`-th school day after `dag` (`dag` itself not counted)."""
        while aantal > 0:
            dag += DAG
            if self.is_schooldag(dag):
                aantal -= 1
        return dag

    def schooldagen_eerder(self, dag: datetime.date, aantal: int) -> datetime.date:
        """The `aantal`-th school day before `dag` (`dag` itself not counted)."""
        while aantal > 0:
            dag -= DAG
            if self.is_schooldag(dag):
                aantal -= 1
        return dag
