"""STAND-IN for leerlingen/ouderinformatie.py (built on branch ouderbrief):
delete this module once that branch is merged. Shows only the measures'
titles and the talks' agreements, never anything else."""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OuderMaatregel:
    titel_voor_ouders: str
    soort: str
    begin: datetime.date
    einde: datetime.date | None
    akkoord_nodig: bool
    akkoord: bool
    akkoord_op: datetime.date | None


@dataclass(frozen=True)
class OuderAfspraak:
    datum: datetime.date
    soort: str
    tekst: str


@dataclass(frozen=True)
class OuderCLB:
    titel: str
    tekst: str
    datum: datetime.date


@dataclass(frozen=True)
class Ouderinformatie:
    leerling: object
    maatregelen: list = field(default_factory=list)
    afspraken: list = field(default_factory=list)
    clb: list = field(default_factory=list)


def ouderinformatie(leerling, *, voor: str = "ouder", op=None) -> Ouderinformatie:
    from leerlingen.models import Gesprek, Maatregel

    maatregelen = [
        OuderMaatregel(
            titel_voor_ouders=m.titel,
            soort=m.get_soort_display(),
            begin=m.begin,
            einde=m.einde,
            akkoord_nodig=True,
            akkoord=m.ouders_akkoord,
            akkoord_op=m.ouders_akkoord_op,
        )
        for m in Maatregel.objects.filter(leerling=leerling, einde__isnull=True).order_by("begin")
    ]
    afspraken = [
        OuderAfspraak(datum=g.datum, soort=g.get_soort_display(), tekst=g.afspraken)
        for g in Gesprek.objects.filter(leerling=leerling).exclude(afspraken="")
    ]
    return Ouderinformatie(leerling=leerling, maatregelen=maatregelen, afspraken=afspraken)
