"""The new school year (issue 16): the rollover of a school into its next
school year, for the school's administrator.

A plan (`Plan`) says where every class of the current school year goes: to
a class of the next year (3A → 4A, by default one grade up and the name's
number one up) or nowhere (the top grade leaves the school), and where
single students go against their class's way (a student who repeats a
year, one who leaves). `overgang_berekenen` is the dry run: it writes
nothing and says what the run would create, student by student.
`overgang_uitvoeren` runs the same computation under a lock on the current
school year and writes it in one transaction, with one audit event:
running it again creates nothing new, and a second submit of the same
confirmation waits for the first and then finds nothing left to do.

What stays as it is: the care record hangs on the student (their phase,
their measures and those measures' evaluation dates), not on a class, so
moving a student to a new class changes none of it. The model has no
class-level measures: a measure for chosen subjects names the school's
subjects, which every year shares; there is nothing to confirm per class.
Last year's classes and enrolments stay untouched as history: once the new
year is current they are no longer the current year's (see
`inschrijving_actief_q`), which is what archiving them means.

The portrait class councils of the new year are planned by the care
coordinator (klassenraad's `overleg_plannen` needs a chair, a moment and the
class team, and fills the agenda with the class's students then): the
rollover lists the new classes and leaves that to them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from leerlingen.models import Inschrijving, Klas, Leerling, Lesopdracht
from zorg.accounts.models import School, Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import vergrendelen

# A class name is at most this long (Klas.naam).
NAAM_MAX = 20
HOOGSTE_LEERJAAR = 7


class GeenHuidigSchooljaar(Exception):
    """The school has no current school year to roll over from."""


def huidig_schooljaar(school: School) -> Schooljaar:
    jaar = Schooljaar.objects.filter(school=school, is_huidig=True).first()
    if jaar is None:
        raise GeenHuidigSchooljaar
    return jaar


@dataclass(frozen=True)
class Jaargegevens:
    naam: str
    begin: datetime.date
    einde: datetime.date


def volgend_schooljaar_gegevens(bron: Schooljaar) -> Jaargegevens:
    """The name and dates of the year after `bron`: 1 September to
    31 August, as every school year of the product runs (the summer belongs
    to the ending year until the new one is made current). Counted from the
    year's own dates, never from today: a rollover on New Year's Day or on
    1 September proposes the same year."""
    startjaar = bron.startjaar + 1
    return Jaargegevens(
        naam=f"{startjaar}-{startjaar + 1}",
        begin=datetime.date(startjaar, 9, 1),
        einde=datetime.date(startjaar + 1, 8, 31),
    )


def volgende_klasnaam(naam: str) -> str:
    """3A → 4A, 2 Latijn → 3 Latijn, 6WEWI2 → 7WEWI2: the first number in the
    name one up. A name without a number stays as it is."""
    return re.sub(r"\d+", lambda m: str(int(m.group()) + 1), naam, count=1)[:NAAM_MAX]


@dataclass(frozen=True)
class Doel:
    """Where a class of the current year goes: a class of the next year."""

    naam: str
    leerjaar: int


@dataclass
class Plan:
    """What the administrator decided. `klassen` maps every class of the
    current year (pk) to its `Doel`, or to None for "no follow-up class";
    `leerlingen` maps a student (pk) that goes elsewhere than their class to
    the name of a class of the next year, or to None: leaves the school."""

    klassen: dict[int, Doel | None] = field(default_factory=dict)
    leerlingen: dict[int, str | None] = field(default_factory=dict)
    leerkrachten_kopieren: bool = False

    def naar_sessie(self) -> dict:
        return {
            "klassen": {
                str(pk): ([d.naam, d.leerjaar] if d else None) for pk, d in self.klassen.items()
            },
            "leerlingen": {str(pk): naam for pk, naam in self.leerlingen.items()},
            "leerkrachten": self.leerkrachten_kopieren,
        }

    @classmethod
    def uit_sessie(cls, data: dict | None) -> Plan | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                klassen={
                    int(pk): (Doel(str(d[0]), int(d[1])) if d else None)
                    for pk, d in data.get("klassen", {}).items()
                },
                leerlingen={
                    int(pk): (str(naam) if naam else None)
                    for pk, naam in data.get("leerlingen", {}).items()
                },
                leerkrachten_kopieren=bool(data.get("leerkrachten")),
            )
        except (TypeError, ValueError, IndexError, AttributeError):
            return None


def bronklassen(bron: Schooljaar) -> list[Klas]:
    return list(Klas.objects.filter(schooljaar=bron).select_related("campus"))


def standaardplan(klassen: list[Klas]) -> Plan:
    """The proposal: every class one grade up, its name's number one up;
    the classes of the highest grade the school has this year leave."""
    hoogste = max((k.leerjaar for k in klassen), default=0)
    return Plan(
        klassen={
            k.pk: (
                None
                if k.leerjaar >= hoogste or k.leerjaar >= HOOGSTE_LEERJAAR
                else Doel(volgende_klasnaam(k.naam), k.leerjaar + 1)
            )
            for k in klassen
        }
    )


def plan_aanvullen(plan: Plan, klassen: list[Klas]) -> Plan:
    """A saved plan for today's classes: a class added since gets the
    proposal, a class gone since is dropped."""
    voorstel = standaardplan(klassen)
    return Plan(
        klassen={
            k.pk: plan.klassen[k.pk] if k.pk in plan.klassen else voorstel.klassen[k.pk]
            for k in klassen
        },
        leerlingen=dict(plan.leerlingen),
        leerkrachten_kopieren=plan.leerkrachten_kopieren,
    )


# --- the dry run ---------------------------------------------------------------------


@dataclass
class NieuweKlas:
    naam: str
    leerjaar: int
    campus_id: int | None
    campus: str
    uit: list[str]
    bestaat: bool = False
    leerlingen: int = 0


@dataclass
class Beweging:
    leerling: Leerling
    van: str
    naar: str | None  # None: leaves the school
    afwijkend: bool  # moved against their class's way
    al_ingeschreven: str | None = None  # the next year's class they are in already


@dataclass
class Overzicht:
    """Everything the run would do, computed without writing."""

    bron: Schooljaar
    doel: Jaargegevens
    doeljaar: Schooljaar | None
    klassen: list[NieuweKlas]
    bewegingen: list[Beweging]
    titularissen: int
    lesopdrachten: int
    fouten: list[str]
    # The next year's classes a student may go to: the plan's and those
    # the year has already (made by hand or by the import).
    klasnamen: list[str] = field(default_factory=list)

    @property
    def nieuwe_klassen(self) -> list[NieuweKlas]:
        return [k for k in self.klassen if not k.bestaat]

    @property
    def overgangen(self) -> list[Beweging]:
        return [b for b in self.bewegingen if b.naar and not b.al_ingeschreven]

    @property
    def vertrekkers(self) -> list[Beweging]:
        return [b for b in self.bewegingen if not b.naar]

    @property
    def al_ingeschreven(self) -> list[Beweging]:
        return [b for b in self.bewegingen if b.naar and b.al_ingeschreven]

    @property
    def jaar_aanmaken(self) -> bool:
        return self.doeljaar is None

    @property
    def te_doen(self) -> bool:
        return bool(
            self.jaar_aanmaken
            or self.nieuwe_klassen
            or self.overgangen
            or self.titularissen
            or self.lesopdrachten
        )

    def telling(self) -> dict[str, int]:
        return {
            "schooljaar": int(self.jaar_aanmaken),
            "klassen": len(self.nieuwe_klassen),
            "inschrijvingen": len(self.overgangen),
            "vertrekkers": len(self.vertrekkers),
            "titularissen": self.titularissen,
            "lesopdrachten": self.lesopdrachten,
        }


def _doeljaar(bron: Schooljaar, doel: Jaargegevens) -> Schooljaar | None:
    return Schooljaar.objects.filter(school_id=bron.school_id, naam=doel.naam).first()


def overgang_berekenen(
    bron: Schooljaar, plan: Plan, klassen: list[Klas] | None = None
) -> Overzicht:
    """The dry run of `plan` from `bron`: what would be created, in a fixed
    number of queries whatever the number of classes and students.
    `klassen`: `bron`'s classes, when the caller has them already."""
    doel = volgend_schooljaar_gegevens(bron)
    doeljaar = _doeljaar(bron, doel)
    klassen = {k.pk: k for k in (bronklassen(bron) if klassen is None else klassen)}
    fouten: list[str] = []

    bestaande = {k.naam: k for k in Klas.objects.filter(schooljaar=doeljaar)} if doeljaar else {}
    nieuw: dict[str, NieuweKlas] = {}
    for pk, klas in sorted(klassen.items(), key=lambda kv: (kv[1].leerjaar, kv[1].naam)):
        bestemming = plan.klassen.get(pk)
        if bestemming is None:
            continue
        if bestemming.naam in nieuw:
            doelklas = nieuw[bestemming.naam]
            doelklas.uit.append(klas.naam)
            if doelklas.leerjaar != bestemming.leerjaar:
                fouten.append(
                    _("Klas %(naam)s krijgt twee verschillende leerjaren.")
                    % {"naam": bestemming.naam}
                )
            continue
        bestaand = bestaande.get(bestemming.naam)
        nieuw[bestemming.naam] = NieuweKlas(
            naam=bestemming.naam,
            leerjaar=bestaand.leerjaar if bestaand else bestemming.leerjaar,
            campus_id=bestaand.campus_id if bestaand else klas.campus_id,
            campus=str(klas.campus or ""),
            uit=[klas.naam],
            bestaat=bestaand is not None,
        )

    # Every student active in a class of the current year now.
    inschrijvingen = (
        Inschrijving.objects.actief()
        .filter(klas__schooljaar=bron)
        .select_related("leerling", "klas")
        .order_by("klas__leerjaar", "klas__naam", "leerling__achternaam", "leerling__voornaam")
    )
    al_in: dict[int, str] = {}
    if doeljaar:
        al_in = dict(
            Inschrijving.objects.filter(klas__schooljaar=doeljaar, einde__isnull=True)
            .order_by("begin")
            .values_list("leerling_id", "klas__naam")
        )
    doelnamen = set(nieuw) | set(bestaande)
    bewegingen = []
    gezien: set[int] = set()
    for inschrijving in inschrijvingen:
        leerling = inschrijving.leerling
        if leerling.pk in gezien:
            continue
        gezien.add(leerling.pk)
        afwijkend = leerling.pk in plan.leerlingen
        if afwijkend:
            naar = plan.leerlingen[leerling.pk]
            if naar is not None and naar not in doelnamen:
                fouten.append(
                    _("%(leerling)s gaat naar %(klas)s, maar die klas bestaat niet in %(jaar)s.")
                    % {"leerling": leerling, "klas": naar, "jaar": doel.naam}
                )
                naar = None
        else:
            bestemming = plan.klassen.get(inschrijving.klas_id)
            naar = bestemming.naam if bestemming else None
        if naar in nieuw and leerling.pk not in al_in:
            nieuw[naar].leerlingen += 1
        bewegingen.append(
            Beweging(
                leerling=leerling,
                van=inschrijving.klas.naam,
                naar=naar,
                afwijkend=afwijkend,
                al_ingeschreven=al_in.get(leerling.pk),
            )
        )

    titularissen = lesopdrachten = 0
    if plan.leerkrachten_kopieren:
        nieuwe_titularissen, nieuwe_opdrachten = _teams(plan, klassen, bestaande)
        titularissen, lesopdrachten = len(nieuwe_titularissen), len(nieuwe_opdrachten)
    return Overzicht(
        bron=bron,
        doel=doel,
        doeljaar=doeljaar,
        klassen=sorted(nieuw.values(), key=lambda k: (k.leerjaar, k.naam)),
        bewegingen=bewegingen,
        titularissen=titularissen,
        lesopdrachten=lesopdrachten,
        fouten=list(dict.fromkeys(fouten)),
        klasnamen=sorted(doelnamen),
    )


def _teams(plan: Plan, klassen: dict[int, Klas], doelklassen: dict[str, Klas]):
    """What copying the class teams would add: (target class name, user)
    for the class teachers and (target name, teacher, subject) for the
    teaching assignments that the next year's classes do not have yet.
    Two queries, one per kind, for the sources and the targets together."""
    bronnen = {pk: d.naam for pk, d in plan.klassen.items() if d and pk in klassen}
    doelen = {k.pk: naam for naam, k in doelklassen.items()}
    ids = set(bronnen) | set(doelen)
    titularissen: tuple[set, set] = (set(), set())
    for klas_id, user_id in Klas.klastitularissen.through.objects.filter(
        klas_id__in=ids
    ).values_list("klas_id", "user_id"):
        if klas_id in bronnen:
            titularissen[0].add((bronnen[klas_id], user_id))
        if klas_id in doelen:
            titularissen[1].add((doelen[klas_id], user_id))
    opdrachten: tuple[set, set] = (set(), set())
    for klas_id, leerkracht_id, vak_id in Lesopdracht.objects.filter(klas_id__in=ids).values_list(
        "klas_id", "leerkracht_id", "vak_id"
    ):
        if klas_id in bronnen:
            opdrachten[0].add((bronnen[klas_id], leerkracht_id, vak_id))
        if klas_id in doelen:
            opdrachten[1].add((doelen[klas_id], leerkracht_id, vak_id))
    return titularissen[0] - titularissen[1], opdrachten[0] - opdrachten[1]


# --- the run ------------------------------------------------------------------------


class OvergangOngeldig(Exception):
    def __init__(self, fouten: list[str]):
        super().__init__("; ".join(fouten))
        self.fouten = fouten


@transaction.atomic
def overgang_uitvoeren(
    *, school: School, plan: Plan, nu_huidig: bool, door, van: int | None = None
) -> dict[str, int]:
    """Run `plan` for `school`'s current school year: create the next year
    (with the statutory calendar), its classes, the enrolments of every
    student that moves up (beginning on the new year's first day), and,
    when asked, the class teams; with `nu_huidig`, make it current at once.

    One transaction under a lock on the current school year: a second run
    (a double submit waits here for the first) recomputes against what the
    first wrote and creates nothing again. Returns the counts, also those
    of the one audit event (no student is named in it). `van` is the
    current year the preview showed: when another run made another year
    current since, the plan is refused rather than applied to that one.
    Raises GeenHuidigSchooljaar, or OvergangOngeldig with the plan's errors."""
    bron = _vergrendeld_huidig_jaar(school)
    if van is not None and bron.pk != van:
        raise OvergangOngeldig(
            [_("Het huidige schooljaar is intussen gewijzigd. Bekijk het voorbeeld opnieuw.")]
        )
    overzicht = overgang_berekenen(bron, plan)
    if overzicht.fouten:
        raise OvergangOngeldig(overzicht.fouten)
    telling = overzicht.telling()
    doeljaar = overzicht.doeljaar
    if doeljaar is None:
        doeljaar = Schooljaar.objects.create(
            school=school,
            naam=overzicht.doel.naam,
            begin=overzicht.doel.begin,
            einde=overzicht.doel.einde,
            is_huidig=False,
        )
    if overzicht.nieuwe_klassen:
        Klas.objects.bulk_create(
            Klas(schooljaar=doeljaar, naam=k.naam, leerjaar=k.leerjaar, campus_id=k.campus_id)
            for k in overzicht.nieuwe_klassen
        )
    doelklassen = {k.naam: k for k in Klas.objects.filter(schooljaar=doeljaar)}
    Inschrijving.objects.bulk_create(
        Inschrijving(leerling=b.leerling, klas=doelklassen[b.naar], begin=doeljaar.begin)
        for b in overzicht.overgangen
    )
    if plan.leerkrachten_kopieren:
        _leerkrachten_kopieren(plan, {k.pk: k for k in bronklassen(bron)}, doelklassen)
    huidig_gemaakt = False
    if nu_huidig:
        huidig_gemaakt = _huidig_maken(bron, doeljaar)
    telling["huidig"] = int(huidig_gemaakt)
    if not (overzicht.te_doen or huidig_gemaakt):
        # A repeat: nothing was written, so nothing is counted or recorded.
        return dict.fromkeys(telling, 0)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="schooljaarovergang",
        school_id=school.pk,
        object_id=doeljaar.pk,
        omschrijving=_omschrijving(bron, doeljaar, telling),
    )
    return telling


def _vergrendeld_huidig_jaar(school: School) -> Schooljaar:
    """The school's current year, locked with the school. The school's row
    first: a run that waited for another one reads the current year anew
    after it (which may now be another year), instead of losing the row it
    was waiting for when that one stopped being current."""
    School.objects.select_for_update(of=("self",)).filter(pk=school.pk).first()
    try:
        return vergrendelen(Schooljaar, school=school, is_huidig=True)
    except Schooljaar.DoesNotExist:
        raise GeenHuidigSchooljaar from None


def _leerkrachten_kopieren(plan: Plan, klassen: dict[int, Klas], doelklassen: dict[str, Klas]):
    titularissen, opdrachten = _teams(plan, klassen, doelklassen)
    Through = Klas.klastitularissen.through
    Through.objects.bulk_create(
        Through(klas_id=doelklassen[naam].pk, user_id=user_id)
        for naam, user_id in sorted(titularissen)
    )
    Lesopdracht.objects.bulk_create(
        Lesopdracht(klas=doelklassen[naam], leerkracht_id=leerkracht_id, vak_id=vak_id)
        for naam, leerkracht_id, vak_id in sorted(opdrachten)
    )


def _omschrijving(bron: Schooljaar, doeljaar: Schooljaar, telling: dict[str, int]) -> str:
    # The trail's own words, as every audit description: not the reader's language.
    return f"{bron.naam} → {doeljaar.naam}: " + ", ".join(
        f"{naam} {aantal}" for naam, aantal in telling.items()
    )


def _huidig_maken(bron: Schooljaar, doeljaar: Schooljaar) -> bool:
    """Make `doeljaar` current in place of `bron` (both locked by the caller
    or here). The one-current-year constraint wants the old one off first."""
    if doeljaar.is_huidig:
        return False
    Schooljaar.objects.filter(pk=bron.pk).update(is_huidig=False)
    Schooljaar.objects.filter(pk=doeljaar.pk).update(is_huidig=True)
    bron.is_huidig, doeljaar.is_huidig = False, True
    return True


def voorbereid_schooljaar(school: School) -> Schooljaar | None:
    """The next school year, prepared and not yet current: the one that
    begins after the current one ends."""
    try:
        bron = huidig_schooljaar(school)
    except GeenHuidigSchooljaar:
        return None
    return _doeljaar(bron, volgend_schooljaar_gegevens(bron))


@transaction.atomic
def schooljaar_huidig_maken(*, doeljaar: Schooljaar, door) -> bool:
    """Make a prepared year current (the moment the administrator chose).
    Returns False, writing nothing, when it is no longer the year after
    the current one (it was made current already: a repeat)."""
    school = School.objects.get(pk=doeljaar.school_id)
    bron = _vergrendeld_huidig_jaar(school)
    doeljaar = vergrendelen(Schooljaar, pk=doeljaar.pk)
    if doeljaar.pk == bron.pk or volgend_schooljaar_gegevens(bron).naam != doeljaar.naam:
        return False
    _huidig_maken(bron, doeljaar)
    omschrijving = f"{doeljaar.naam} huidig in plaats van {bron.naam}"
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="schooljaarovergang",
        school_id=school.pk,
        object_id=doeljaar.pk,
        omschrijving=omschrijving,
        velden=["is_huidig"],
    )
    return True
