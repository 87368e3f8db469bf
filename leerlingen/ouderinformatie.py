"""What parents (and the student) are told about the student's care.

One place decides it, so the parent letter and the parents' portal say the
same thing: the measures in force, in the words the school uses with
parents; the agreements made in talks with the parents or the student (the
agreed text, never the talk's summary); and what the CLB shares with the
parents, which the CLB app contributes through `ouderbron_registreren` (this
app imports neither the CLB nor the meetings).

Nothing else of the care record reaches this module's result: no
observations, behaviour flags, talk summaries, minutes, or anything of the
CLB's confidential layer. Callers (views, the letter's snapshot) rely on that.
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.utils import timezone

from zorg.accounts.models import schooljaar_begin

from .models import Gesprek, Leerling, Maatregel

VOOR = ("ouder", "leerling")
# From this age the student decides whether the parents see what the CLB
# shares about them (below it, by law, the parents do).
BEKWAME_LEEFTIJD = 12


def leeftijd(geboortedatum: datetime.date, op: datetime.date) -> int:
    """Age in whole years on `op`. Born on 29 February: a year older on
    1 March in a common year (and on 29 February in a leap year)."""
    jaren = op.year - geboortedatum.year
    if (op.month, op.day) < (geboortedatum.month, geboortedatum.day):
        jaren -= 1
    return jaren


def beslist_zelf(leerling: Leerling, op: datetime.date) -> bool:
    """Whether the student, not the parents, decides on `op` who sees what
    the CLB shares."""
    return leeftijd(leerling.geboortedatum, op) >= BEKWAME_LEEFTIJD


@dataclass(frozen=True)
class OuderMaatregel:
    titel_voor_ouders: str
    soort: str  # the STICORDI kind's label
    begin: datetime.date
    einde: datetime.date | None
    akkoord_nodig: bool
    akkoord: bool
    akkoord_op: datetime.date | None
    # Not shown; lets the letter's response find the measures it asked about.
    maatregel_id: int = 0

    @property
    def wacht_op_akkoord(self) -> bool:
        return self.akkoord_nodig and not self.akkoord


@dataclass(frozen=True)
class OuderAfspraak:
    datum: datetime.date
    soort: str  # the talk kind's label
    tekst: str


@dataclass(frozen=True)
class OuderCLB:
    titel: str
    tekst: str
    datum: datetime.date | None


@dataclass(frozen=True)
class Ouderinformatie:
    leerling: Leerling
    maatregelen: list[OuderMaatregel]
    afspraken: list[OuderAfspraak]
    clb: list[OuderCLB]

    @property
    def leeg(self) -> bool:
        return not (self.maatregelen or self.afspraken or self.clb)

    def als_json(self) -> dict:
        """A frozen copy for a letter: plain values (dates as ISO text), the
        student named, not referenced, so a later change rewrites nothing."""

        def rij(item) -> dict:
            return {
                k: (v.isoformat() if isinstance(v, datetime.date) else v)
                for k, v in asdict(item).items()
            }

        return {
            "leerling": {
                "id": self.leerling.pk,
                "naam": f"{self.leerling.voornaam} {self.leerling.achternaam}",
            },
            "maatregelen": [rij(m) for m in self.maatregelen],
            "afspraken": [rij(a) for a in self.afspraken],
            "clb": [rij(c) for c in self.clb],
        }


OuderBron = Callable[..., list[OuderCLB]]
_BRONNEN: list[OuderBron] = []


def ouderbron_registreren(functie: OuderBron) -> None:
    """Add a source of what is shared with the parents:
    `functie(leerling, *, voor, op) -> list[OuderCLB]`, in a constant number
    of queries. The source itself honours who may see it (`voor` is "ouder"
    or "leerling"). Registering twice is harmless."""
    if all(bestaand is not functie for bestaand in _BRONNEN):
        _BRONNEN.append(functie)


def _maatregelen(leerling: Leerling, op: datetime.date) -> list[OuderMaatregel]:
    return [
        OuderMaatregel(
            titel_voor_ouders=m.titel_voor_ouders,
            soort=str(m.get_soort_display()),
            begin=m.begin,
            einde=m.einde,
            akkoord_nodig=m.akkoord_nodig,
            akkoord=m.ouders_akkoord,
            akkoord_op=m.ouders_akkoord_op,
            maatregel_id=m.pk,
        )
        for m in Maatregel.objects.actief(op).filter(leerling=leerling).order_by("begin", "pk")
    ]


def _afspraken(leerling: Leerling, op: datetime.date) -> list[OuderAfspraak]:
    # Only the agreed text leaves the talk: `only()` keeps the summary and
    # the participants out of memory altogether.
    gesprekken = (
        Gesprek.objects.filter(
            leerling=leerling,
            soort__in=[Gesprek.Soort.OUDERS, Gesprek.Soort.LEERLING],
            datum__gte=schooljaar_begin(op),
            datum__lte=op,
        )
        .exclude(afspraken="")
        .only("datum", "soort", "afspraken")
        .order_by("datum", "pk")
    )
    return [
        OuderAfspraak(datum=g.datum, soort=str(g.get_soort_display()), tekst=g.afspraken.strip())
        for g in gesprekken
        if g.afspraken.strip()
    ]


def ouderinformatie(
    leerling: Leerling, *, voor: str = "ouder", op: datetime.date | None = None
) -> Ouderinformatie:
    """What `voor` ("ouder" or "leerling") may be told about `leerling` on
    `op` (today). Two queries plus a constant number per registered source."""
    if voor not in VOOR:
        raise ValueError(f"voor moet 'ouder' of 'leerling' zijn, niet {voor!r}")
    op = op or timezone.localdate()
    clb: list[OuderCLB] = []
    for bron in _BRONNEN:
        clb += bron(leerling, voor=voor, op=op)
    return Ouderinformatie(
        leerling=leerling,
        maatregelen=_maatregelen(leerling, op),
        afspraken=_afspraken(leerling, op),
        clb=clb,
    )
