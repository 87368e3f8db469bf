"""SODA set-up for tests: the default scale and three periods of a school
year, and scores written as rows (tests of the timeline entry and the audit
call the service)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from leerlingen.models import SodaPeriode, SodaScore, SodaWaarde
from leerlingen.services.soda import soda_standaard_instellen
from tests.factories import huidig_schooljaar_begin


def in_jaar(schooljaar, maand: int, dag: int) -> datetime.date:
    """That day of `schooljaar` (September-December in its first calendar
    year, January-August in its second)."""
    jaar = schooljaar.begin.year if maand >= 9 else schooljaar.begin.year + 1
    return datetime.date(jaar, maand, dag)


def perioden_maken(schooljaar) -> list[SodaPeriode]:
    """Kerstrapport, Paasrapport and Eindrapport, as a school defines them."""
    return [
        SodaPeriode.objects.create(
            schooljaar=schooljaar,
            naam=naam,
            begin=in_jaar(schooljaar, *begin),
            einde=in_jaar(schooljaar, *einde),
            volgorde=i,
        )
        for i, (naam, begin, einde) in enumerate(
            [
                ("Kerstrapport", (9, 1), (12, 22)),
                ("Paasrapport", (1, 5), (4, 3)),
                ("Eindrapport", (4, 20), (6, 30)),
            ],
            start=1,
        )
    ]


def waarden(school) -> dict[str, SodaWaarde]:
    """The default scale of `school` (made when missing), by code."""
    schaal = soda_standaard_instellen(school=school)
    return {w.code: w for w in SodaWaarde.objects.filter(schaal=schaal)}


def score(leerling, periode, lesopdracht, waarde=None, **per_criterium) -> SodaScore:
    """A row with `waarde` in every column unless given per criterion."""
    kolommen = dict.fromkeys(("stiptheid", "orde", "discipline", "attitude"), waarde)
    kolommen.update(per_criterium)
    return SodaScore.objects.create(
        leerling=leerling, periode=periode, lesopdracht=lesopdracht, **kolommen
    )


@pytest.fixture
def in_het_voorjaar():
    """Late March of the current school year: the Kerstrapport and the
    Paasrapport have begun, the Eindrapport not yet. Request it before
    `wereld`."""
    moment = datetime.datetime.combine(
        huidig_schooljaar_begin() + datetime.timedelta(days=205),
        datetime.time(10),
        tzinfo=timezone.get_current_timezone(),
    )
    with time_machine.travel(moment, tick=True):
        yield
