"""The demo's calendar: which school year today belongs to, which days are
school days, and how far back the demo's history reaches.

The demo is built around the day it runs on, whatever that day is. Its
history (care records, behaviour flags, care cells) lies on school days
before today. Early in a school year there is hardly any history yet, so it
reaches back into the previous school year, as a care coordinator's record
does on the first school day: last year's open signals and unfinished
action items are still there."""

from __future__ import annotations

import datetime

from django.utils import timezone

# Enough school days (about six weeks) for a care record to grow in.
MINIMUM_SCHOOLDAGEN = 30


def startjaar(vandaag: datetime.date | None = None) -> int:
    """The year in which the current school year began. A Flemish school
    year runs from 1 September to 31 August: July and August still belong to
    the year that is ending."""
    vandaag = vandaag or timezone.localdate()
    return vandaag.year if vandaag.month >= 9 else vandaag.year - 1


def schooljaar_begin(vandaag: datetime.date) -> datetime.date:
    return datetime.date(startjaar(vandaag), 9, 1)


def is_schooldag(dag: datetime.date) -> bool:
    """A weekday outside the summer and Christmas holidays. (The shorter
    holidays move from year to year; the demo does not need them.)"""
    if dag.weekday() >= 5 or dag.month in (7, 8):
        return False
    return not ((dag.month == 12 and dag.day >= 24) or (dag.month == 1 and dag.day <= 3))


def schooldagen(van: datetime.date, tot: datetime.date) -> list[datetime.date]:
    """The school days from `van` to `tot`, both included."""
    dagen = (van + datetime.timedelta(days=i) for i in range((tot - van).days + 1))
    return [dag for dag in dagen if is_schooldag(dag)]


def geschiedenis_begin(vandaag: datetime.date) -> datetime.date:
    """Where the demo's history begins: the start of the current school year
    once it has enough school days behind it, else the start of the previous
    one."""
    begin = schooljaar_begin(vandaag)
    gisteren = vandaag - datetime.timedelta(days=1)
    if len(schooldagen(begin, gisteren)) >= MINIMUM_SCHOOLDAGEN:
        return begin
    return begin.replace(year=begin.year - 1)


def vorige_schooldag(dag: datetime.date) -> datetime.date:
    """The last school day before `dag`."""
    dag -= datetime.timedelta(days=1)
    while not is_schooldag(dag):
        dag -= datetime.timedelta(days=1)
    return dag


def volgende_schooldag(dag: datetime.date, weekdag: int | None = None) -> datetime.date:
    """The first school day after `dag` (on `weekdag`, 0 = Monday, if given)."""
    dag += datetime.timedelta(days=1)
    while not is_schooldag(dag) or (weekdag is not None and dag.weekday() != weekdag):
        dag += datetime.timedelta(days=1)
    return dag
