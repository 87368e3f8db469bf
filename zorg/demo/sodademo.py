"""The demo's SODA reports: the default scale and three periods of the
current school year for the secondary school, and the scores of one class
of the demo teacher, by every subject teacher of that class, for the
periods that have begun by today. Written through the services (timeline
entries and all), so it stays small: one class, three subjects. Two
students score low in every period, so from the second period on the care
cell's agenda proposes them."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from leerlingen.models import Lesopdracht, SodaCriterium, SodaPeriode, SodaWaarde
from leerlingen.services.soda import (
    soda_periode_toevoegen,
    soda_score_bewaren,
    soda_standaard_instellen,
)
from zorg.accounts.models import Schooljaar, User

# (name, (month, day) of its begin, of its end), in the school year's order.
PERIODEN = (
    ("Kerstrapport", (9, 1), (12, 22)),
    ("Paasrapport", (1, 5), (4, 3)),
    ("Eindrapport", (4, 20), (6, 30)),
)
VAKKEN = 3
# The scale's codes and their weights for an ordinary student.
GEWOON = (("1", 1), ("2", 6), ("3", 60), ("4", 33))
ZORGEN = 2


def _dag(schooljaar: Schooljaar, maand: int, dag: int) -> datetime.date:
    jaar = schooljaar.begin.year if maand >= 9 else schooljaar.begin.year + 1
    return datetime.date(jaar, maand, dag)


def _perioden(schooljaar: Schooljaar) -> list[SodaPeriode]:
    bestaand = list(SodaPeriode.objects.filter(schooljaar=schooljaar).order_by("volgorde"))
    if bestaand:
        return bestaand
    return [
        soda_periode_toevoegen(
            schooljaar=schooljaar,
            naam=naam,
            begin=max(_dag(schooljaar, *begin), schooljaar.begin),
            einde=min(_dag(schooljaar, *einde), schooljaar.einde),
            door=None,
        )
        for naam, begin, einde in PERIODEN
    ]


def soda_vullen(*, seed: int, leerkracht_email: str) -> int:
    """Returns the number of scores written."""
    leerkracht = User.objects.filter(email=leerkracht_email).first()
    eerste = (
        Lesopdracht.objects.filter(leerkracht=leerkracht, klas__schooljaar__is_huidig=True)
        .select_related("klas__schooljaar__school")
        .order_by("klas__leerjaar", "klas__naam", "pk")
        .first()
    )
    if eerste is None:
        return 0
    klas = eerste.klas
    schooljaar = klas.schooljaar
    schaal = soda_standaard_instellen(school=schooljaar.school)
    waarden = {w.code: w for w in SodaWaarde.objects.filter(schaal=schaal)}
    vandaag = timezone.localdate()
    perioden = [p for p in _perioden(schooljaar) if p.begin <= vandaag]
    andere = (
        Lesopdracht.objects.filter(klas=klas)
        .exclude(pk=eerste.pk)
        .select_related("vak", "klas")
        .order_by("vak__naam", "pk")
    )
    opdrachten = [eerste, *andere[: VAKKEN - 1]]
    leerlingen = klas.huidige_leerlingen()
    rng = random.Random(seed)
    codes, gewichten = zip(*GEWOON, strict=True)
    aantal = 0
    for periode in perioden:
        for opdracht in opdrachten:
            for i, leerling in enumerate(leerlingen):
                gekozen = {
                    criterium: waarden[rng.choices(codes, gewichten)[0]]
                    for criterium in SodaCriterium.values
                }
                if i < ZORGEN:
                    # Late and without material, again and again.
                    gekozen["stiptheid"] = waarden["1"]
                    gekozen["attitude"] = waarden[rng.choice("12")]
                if soda_score_bewaren(
                    leerling=leerling,
                    periode=periode,
                    lesopdracht=opdracht,
                    waarden=gekozen,
                    door=opdracht.leerkracht,
                ):
                    aantal += 1
    return aantal
