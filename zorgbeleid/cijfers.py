"""The figures of the director's annual care-policy report (issue 14), per
school and school year, beside the previous year's; and the same figures
for a group of schools (`groepscijfers`: the schools of a Scholengemeenschap
that have a school year of that name, each counting with its own year).

Everything is counted by the database: each figure is an aggregate (COUNT,
COUNT ... FILTER, percentile_cont) or a GROUP BY whose result has a row per
group (phase, grade, campus, kind, colour, month), never a row per student,
measure or flag. The number of queries is fixed (about 25 per year), whatever
the size of the school or the number of schools of a group. Students per
phase on the reference dates are one hand-written statement for all the
dates (zorgbeleid.sql.fasen_op_peildata): a row per enrolment, joined once
to the phase history, rather than a subquery per enrolment and date.

The result is a tree of dataclasses of plain numbers and dicts with string
keys: JSON-serialisable (`Cijfers.als_dict()`), without model instances and
without a name of a student or of a staff member. It holds exact numbers;
`zorgbeleid.kleine_aantallen.beschermen` turns them into the figures that
leave the school ("< 5").

The school year is the `Schooljaar` row: from its `begin` (1 September) to
its `einde` (31 August) inclusive. An event (a phase change, a flag, an
evaluation, a meeting) belongs to the year whose period holds its date, so a
phase change in July belongs to the year that ends on 31 August, not to the
one that begins the next day.

Reference dates (peildata): 1 October, 1 February and 30 June of the year,
and "today": today while the year runs, its last day once it is over, none
before it began. A student counts on a reference date when they have an
enrolment in a class of this school year that covers that date
(begin <= date <= einde, or no einde); their grade and campus are those of
that class, so a student who changed class mid-year counts in the grade of
the class they were in on each date. Their phase on a date is the `naar` of
their last phase change on or before it, else the `van` of their first one
after it, else their current phase.

Percentiles (medians, 90th percentiles) are computed by PostgreSQL; on
SQLite (the embedded mode) they are None (see zorgbeleid.sql).

CLB: only the frame of a trajectory (its stage, status and outcome: shared
with the school, see clb.policies.trajecten_voor_school) and entries of the
shared layer (`Laag.GEDEELD`) are counted. The CLB's own layer never is.
"""

from __future__ import annotations

import dataclasses
import datetime
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest, TruncDate, TruncMonth
from django.utils import timezone

from clb.models import Consultatie, Doel, HGDTraject, Laag
from klassenraad.models import Actiepunt, Agendapunt, Beslissing, Overleg, OverlegSoort
from leerlingen import domeinen
from leerlingen.models import (
    Aanmelding,
    Inschrijving,
    Maatregel,
    MaatregelEvaluatie,
    Observatie,
    ObservatieSoort,
    Remediering,
    Signaal,
    Vlag,
    VlagKleur,
    VlagOpvolging,
    Zorgfase,
    ZorgfaseWijziging,
)
from zorg.accounts.models import Scholengemeenschap, School, Schooljaar

from .sql import Dagen, Minuten, Percentiel, fasen_op_peildata

# The key of a class without a campus, in a school that has campuses.
ZONDER_CAMPUS = "-"
# The grade of what has no class: a measure or an observation of a student
# without an enrolment in the counted school year, a flag recorded without
# a class. Sorted after the grades.
ZONDER_KLAS = "-"

DOMEINSLEUTELS = {
    domeinen.LEREN: "leren",
    domeinen.LOOPBAAN: "loopbaan",
    domeinen.PSYCHOSOCIAAL: "psychosociaal",
    domeinen.GEZONDHEID: "gezondheid",
}


# Field metadata. A count of students (or of things each about one student:
# a measure, a flag, a decision): `zorgbeleid.kleine_aantallen` shows it as
# "< 5" when it is 1 to 4, in a breakdown together with a neighbour. A
# statistic (a share, a median) names the count it is computed over
# ({"hangt_af_van": "n"}) and is hidden with it.
TELLING = {"telling": True}


@dataclass
class Verdeling:
    """A median and 90th percentile over `n` values (days or minutes)."""

    n: int = field(metadata=TELLING)
    mediaan: float | None = field(metadata={"hangt_af_van": "n"}, default=None)
    p90: float | None = field(metadata={"hangt_af_van": "n"}, default=None)


@dataclass
class Aandeel:
    """`teller` of `noemer`, and the percentage (None when `noemer` is 0).
    `noemer - teller` (e.g. the evaluations that were late) is a count too:
    `teller` is hidden when that one would be."""

    teller: int = field(metadata={**TELLING, "deel_van": "noemer"})
    noemer: int = field(metadata=TELLING)
    procent: float | None = field(metadata={"hangt_af_van": ("teller", "noemer")}, default=None)


def _aandeel(teller: int, noemer: int) -> Aandeel:
    return Aandeel(
        teller=teller, noemer=noemer, procent=round(100 * teller / noemer, 1) if noemer else None
    )


def _verdeling(n, mediaan, p90) -> Verdeling:
    rond = lambda x: None if x is None else round(float(x), 1)  # noqa: E731
    return Verdeling(n=n or 0, mediaan=rond(mediaan) if n else None, p90=rond(p90) if n else None)


# --- the tree ---------------------------------------------------------------------


@dataclass
class Peildatum:
    """Students per phase on one reference date."""

    naam: str  # "oktober", "februari", "juni", "vandaag"
    # ISO date. A group counts each school on its own date of that name;
    # this is the earliest of them (they differ only when the schools'
    # years do).
    datum: str
    # Students enrolled on that date, per phase number ("0".."3").
    per_fase: dict[str, int] = field(metadata=TELLING)
    totaal: int = field(metadata=TELLING, default=0)
    # Per grade (Klas.leerjaar, "1".."7") of the class they were in on that
    # date, per phase.
    per_leerjaar: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    # Per campus name of that class, per phase; empty when the school has no
    # campuses ("-": a class without a campus). In a group's figures the key
    # is "<school name> / <campus name>" (or "<school name> / -"): campuses
    # of different schools never merge.
    per_campus: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)


@dataclass
class Continuum:
    peildata: list[Peildatum]
    # Phase changes dated in the year: moves up (to a higher phase number)
    # and down, counted as changes; and the students with at least one.
    wijzigingen_op: int = field(metadata=TELLING)
    wijzigingen_af: int = field(metadata=TELLING)
    leerlingen_op: int = field(metadata=TELLING)
    leerlingen_af: int = field(metadata=TELLING)
    # Changes dated in the year per "van-naar" (e.g. "1-2").
    per_overgang: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Per phase "1" and "2": the days between entering the phase (a change
    # to it) and leaving it (the change out of it), for stays that ended in
    # the year. A stay whose start is not recorded (the student was in the
    # phase before the record began) is left out.
    verblijf: dict[str, Verdeling] = field(default_factory=dict)
    # On the last reference date: students in the extended-care phase
    # (soort uitbreiding: phase 2; the HGD phase), those of them with an HGD
    # trajectory running on that date, and those per current stage.
    fase2_leerlingen: int = field(metadata=TELLING, default=0)
    fase2_met_traject: int = field(metadata=TELLING, default=0)
    fase2_traject_per_stap: dict[str, int] = field(metadata=TELLING, default_factory=dict)


@dataclass
class Maatregelen:
    # Measures in force at some time in the year (status not "proposed",
    # begin <= last day, no end or end >= first day), per STICORDI kind, per
    # scope (Bereik: all subjects, chosen subjects, tests). Every measure is
    # an individual one (the model has no class-wide measures).
    per_soort: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    totaal: int = field(metadata=TELLING, default=0)
    leerlingen: int = field(metadata=TELLING, default=0)
    # Evaluation deadlines (termijnen: as first set, a moved planned date
    # does not move them) that lie in the year and have passed (before
    # today; a deadline of today can still be met): those of the
    # evaluations recorded (MaatregelEvaluatie.termijn), and the one still
    # open of a measure in force (Maatregel.evaluatietermijn) that did not
    # end before it. On time (teller): evaluated on or before the deadline;
    # an open one never is. Evaluations recorded before deadlines were kept,
    # whose deadline no record holds (termijn None), are not counted.
    tijdig_geevalueerd: Aandeel = field(default_factory=lambda: _aandeel(0, 0))
    # Measures evaluated in the year, by the effect of their last evaluation
    # in the year ("werkt", "werkt_deels", "werkt_niet").
    effect: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Measures that ended in the year: after an evaluation that decided to
    # stop ("na_evaluatie_<effect>"), or without one ("zonder_evaluatie"; the
    # free-text reason is never part of the report).
    gestopt: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # The measures in force (those of `totaal`) per grade (Klas.leerjaar,
    # "1".."7") and per campus of the class the student was in on the
    # measure's first day in the year: its begin, or the year's first day
    # for a measure that began before it. So a measure counts once, in one
    # grade, even when its student changed class later in the year (a
    # measure begun after the change counts in the new class). That class is
    # the one of the student's enrolment of the year begun last on or before
    # that day (of two begun the same day, the later one made); if none had
    # begun yet, the first one of the year. A student without an enrolment
    # in the year counts under "-" (ZONDER_KLAS). Per campus as
    # Peildatum.per_campus: empty when no class counted has a campus.
    per_leerjaar: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    per_campus: dict[str, int] = field(metadata=TELLING, default_factory=dict)


@dataclass
class Observaties:
    # Observations dated in the year (a corrected one only through its
    # correction), per guidance domain ("leren", "loopbaan",
    # "psychosociaal", "gezondheid"), strengths ("sterkte") against concerns
    # ("zorg"). One observation in two domains counts in both.
    per_domein: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    # Students with at least one strength / concern recorded in the year.
    leerlingen_met_sterkte: int = field(metadata=TELLING, default=0)
    leerlingen_met_zorg: int = field(metadata=TELLING, default=0)
    # Those students per grade and per campus ({"sterkte": n, "zorg": n}) of
    # the class they were in on the observation's date (chosen as for a
    # measure, see Maatregelen.per_leerjaar). A student counts once per
    # grade, but in each grade (or campus) where they had one: a student
    # with a concern recorded before and after a change of grade counts in
    # both, so the grades may add up to more than the students.
    per_leerjaar: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    per_campus: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)


@dataclass
class Vlaggen:
    # Flags (incidents) whose moment lies in the year, per colour, per month
    # ("YYYY-MM", Brussels time).
    per_kleur_per_maand: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    per_kleur: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Red flags of the year: minutes from the moment to the acknowledgement
    # by the care team (acknowledged ones only).
    rood_tot_erkenning_minuten: Verdeling = field(default_factory=lambda: _verdeling(0, 0, 0))
    # Red flags of the year with at least one follow-up recorded.
    rood_met_opvolging: Aandeel = field(default_factory=lambda: _aandeel(0, 0))
    # Pattern signals raised in the year, and the students they concern.
    signalen: int = field(metadata=TELLING, default=0)
    signalen_leerlingen: int = field(metadata=TELLING, default=0)
    # The flags of the year per grade and per campus, per colour: of the
    # class the flag was recorded in, which is the class of the incident on
    # its date (its students are enrolled in it then; a later change of
    # class does not move the flag). A flag without a class counts under
    # "-" (ZONDER_KLAS, ZONDER_CAMPUS).
    per_leerjaar: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    per_campus: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)


@dataclass
class Overleggen:
    # Meetings held in the year (status "bezig" or "afgesloten"), per kind
    # (OverlegSoort). Not about students: never hidden.
    gehouden_per_soort: dict[str, int] = field(default_factory=dict)
    # Students discussed (agenda item ticked "besproken") at those meetings,
    # each student once per kind.
    leerlingen_besproken_per_soort: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Decisions at the year's meetings, per BeslissingSoort.
    beslissingen_per_soort: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Action items of the year's meetings due in the year up to the last
    # reference date, not cancelled: done on or before their due date.
    actiepunten_tijdig: Aandeel = field(default_factory=lambda: _aandeel(0, 0))


@dataclass
class Clb:
    # Referrals to the CLB dated in the year, and per source (Aanmelding.Bron).
    aanmeldingen: int = field(metadata=TELLING, default=0)
    aanmeldingen_per_bron: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Days from referral to acceptance (the trajectory's opening), for
    # trajectories opened in the year.
    dagen_tot_aanvaarding: Verdeling = field(default_factory=lambda: _verdeling(0, 0, 0))
    # Trajectories running on the last reference date, by their current
    # stage (the model keeps no history of stages); those closed in the year,
    # by outcome.
    trajecten_per_stap: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    trajecten_per_uitkomst: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Goals of those trajectories in the shared layer, by status. The CLB's
    # own layer is never counted.
    gedeelde_doelen_per_status: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Written consultations (phase 1, shared with the school) in the year.
    consultaties: int = field(metadata=TELLING, default=0)


@dataclass
class Remedieringen:
    # Remediation and differentiation forms of the classes of the counted
    # school year(s), whatever their status, per approach (Remediering.Aanpak)
    # and per grade of their class (Klas.leerjaar, "1".."7"): each a row of
    # "bereikt" (closed with the aim achieved) and "anders" (every other:
    # running, planned, partly or not achieved). Two complementary cells
    # rather than a total and a part, so hiding a small one (kleine_aantallen)
    # also hides the cell that would give it away.
    # A form may concern a whole class, a group or one student; it is
    # counted once, at the level it was recorded at (per_niveau).
    per_aanpak: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    per_leerjaar: dict[str, dict[str, int]] = field(metadata=TELLING, default_factory=dict)
    per_niveau: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    # Closed with a result, per result ("bereikt", "deels", "niet").
    resultaat: dict[str, int] = field(metadata=TELLING, default_factory=dict)
    totaal: int = field(metadata=TELLING, default=0)


@dataclass
class Cijfers:
    # The school counted; None for a group of schools (groepscijfers).
    school_id: int | None
    schooljaar: str
    # ISO dates: the school year's first and last day (a group's: the
    # earliest first and the latest last day of its schools' years).
    begin: str
    einde: str
    continuum: Continuum
    maatregelen: Maatregelen
    observaties: Observaties
    vlaggen: Vlaggen
    overleggen: Overleggen
    clb: Clb
    remedieringen: Remedieringen = field(default_factory=Remedieringen)
    # The schools counted (one, or those of the group with this year).
    scholen: list[int] = field(default_factory=list)

    def als_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class Jaarvergelijking:
    dit_jaar: Cijfers
    vorig_jaar: Cijfers | None

    def als_dict(self) -> dict:
        return dataclasses.asdict(self)


# --- reference dates ------------------------------------------------------------


def peildata(
    jaar: Schooljaar, vandaag: datetime.date | None = None
) -> list[tuple[str, datetime.date]]:
    """1 October, 1 February, 30 June of `jaar`, and today (while it runs;
    its last day once over; left out before it begins)."""
    vandaag = vandaag or timezone.localdate()
    data = [
        ("oktober", datetime.date(jaar.begin.year, 10, 1)),
        ("februari", datetime.date(jaar.einde.year, 2, 1)),
        ("juni", datetime.date(jaar.einde.year, 6, 30)),
    ]
    if vandaag >= jaar.begin:
        data.append(("vandaag", min(vandaag, jaar.einde)))
    return data


# --- what is counted -------------------------------------------------------------


@dataclass(frozen=True)
class _Periode:
    """A school year's period and its last reference date."""

    begin: datetime.date
    einde: datetime.date
    laatste: datetime.date


class _Kring:
    """The school years the figures count over: one school's, or those of
    the schools of a group that have a year of that name. Each school counts
    with its own year: its period, its classes, its reference dates."""

    def __init__(self, jaren: list[Schooljaar], vandaag: datetime.date | None = None):
        self.vandaag = vandaag = vandaag or timezone.localdate()
        self.jaren = [(jaar, peildata(jaar, vandaag)) for jaar in jaren]
        self.perioden: dict[_Periode, list[int]] = {}
        self._schoolnamen: dict[int, str] | None = None
        for jaar, data in self.jaren:
            periode = _Periode(jaar.begin, jaar.einde, data[-1][1])
            self.perioden.setdefault(periode, []).append(jaar.school_id)

    @property
    def scholen(self) -> list[int]:
        return [jaar.school_id for jaar, _ in self.jaren]

    def campussleutel(self, school_id: int, campus: str | None) -> str:
        """The key of a campus in a breakdown per campus: its name ("-"
        without one); in a group's figures prefixed by the school's name,
        so campuses of different schools never merge."""
        sleutel = campus or ZONDER_CAMPUS
        if len(self.jaren) > 1:
            if self._schoolnamen is None:
                self._schoolnamen = {jaar.school_id: jaar.school.naam for jaar, _ in self.jaren}
            sleutel = f"{self._schoolnamen[school_id]} / {sleutel}"
        return sleutel

    def eerste_dag(self, school: str):
        """The first day of the year of the row's school (`school`: the path
        to it), as an SQL expression."""
        perioden = list(self.perioden.items())
        if len(perioden) == 1:
            return Value(perioden[0][0].begin, output_field=DateField())
        return Case(
            *(
                When(Q(**{f"{school}__in": scholen}), then=Value(p.begin))
                for p, scholen in perioden
            ),
            output_field=DateField(),
        )

    def klas_op(self, dag: str) -> tuple[Subquery, Subquery]:
        """The grade and the campus name of the class the row's student
        (`leerling`) was in on the date `dag` (a field or annotation of the
        row): of their enrolments in a class of the counted school year,
        the one begun last on or before that day (of two begun the same day,
        the later one made), else the first one after it. NULL without one.
        A subquery per row on the index of the student's enrolments, inside
        the statement that groups the rows: no row reaches Python."""
        begonnen = Q(begin__lte=OuterRef(dag))
        inschrijvingen = (
            Inschrijving.objects.filter(
                leerling=OuterRef("leerling"),
                klas__schooljaar__in=[jaar.pk for jaar, _ in self.jaren],
            )
            .annotate(
                _later=Case(When(begonnen, then=Value(0)), default=Value(1)),
                _begonnen=Case(When(begonnen, then=F("begin"))),
            )
            .order_by("_later", F("_begonnen").desc(nulls_last=True), "begin", "-pk")
        )
        return (
            Subquery(inschrijvingen.values("klas__leerjaar")[:1], output_field=IntegerField()),
            Subquery(inschrijvingen.values("klas__campus__naam")[:1], output_field=CharField()),
        )

    def q(self, school: str, voorwaarde=None) -> Q:
        """Rows of the counted schools (`school`: the path to the school)
        within each school's year: `voorwaarde` is the name of a date that
        lies in the year's period, or a function of the `_Periode` that
        gives the condition (None: none of that school's rows). The schools
        that share a period share a condition: the SQL grows with the number
        of distinct periods (one, in practice), not with the rows."""
        delen = []
        for periode, scholen in self.perioden.items():
            if voorwaarde is None:
                extra = Q()
            elif isinstance(voorwaarde, str):
                extra = Q(
                    **{f"{voorwaarde}__gte": periode.begin, f"{voorwaarde}__lte": periode.einde}
                )
            else:
                extra = voorwaarde(periode)
                if extra is None:
                    continue
            delen.append(Q(**{f"{school}__in": scholen}) & extra)
        return reduce(operator.or_, delen) if delen else Q(pk__in=[])


# --- the figures ----------------------------------------------------------------


def _leerjaarsleutel(leerjaar: int | None) -> str:
    return ZONDER_KLAS if leerjaar is None else str(leerjaar)


def _per_leerjaar(per_groep: dict) -> dict:
    """A breakdown per grade in order, "-" (no class) last."""
    return dict(sorted(per_groep.items(), key=lambda kv: (kv[0] == ZONDER_KLAS, kv[0])))


def _per_campus(per_groep: dict, heeft_campus: bool) -> dict:
    """A breakdown per campus in order; none when no class counted has a
    campus (the school has none)."""
    return dict(sorted(per_groep.items())) if heeft_campus else {}


def _optellen(per_groep: dict, sleutel: str, cel: str | None, n: int, cellen=()) -> None:
    """Add `n` to the group `sleutel` (to its cell `cel` if it has cells;
    a new group starts with `cellen` at 0)."""
    if cel is None:
        per_groep[sleutel] = per_groep.get(sleutel, 0) + n
        return
    rij = per_groep.setdefault(sleutel, dict.fromkeys(cellen, 0))
    rij[cel] = rij.get(cel, 0) + n


def _peildata(kring: _Kring) -> tuple[list[Peildatum], dict[str, int], dict[str, int]]:
    """Students per phase on every reference date, and the extended-care
    figure of the last one: one statement (zorgbeleid.sql.fasen_op_peildata)
    whose rows are groups (school, grade, campus, and per date whether
    counted and the phase), never students."""
    namen: list[str] = []
    for _, data in kring.jaren:
        namen += [naam for naam, _ in data if naam not in namen]
    if not namen:
        return [], {"fase2_leerlingen": 0, "fase2_met_traject": 0}, {}
    jaren, laatste, datum_van = [], {}, {}
    for jaar, data in kring.jaren:
        per_naam = dict(data)
        laatste[jaar.school_id] = k = namen.index(data[-1][0])
        jaren.append((jaar.school_id, jaar.pk, [per_naam.get(n) for n in namen], k))
        for naam, datum in data:
            datum_van[naam] = min(datum, datum_van.get(naam, datum))
    sql, params, aantal = fasen_op_peildata(connection, jaren, Zorgfase.Soort.UITBREIDING)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rijen = cursor.fetchall()

    per_fase = [{} for _ in namen]
    per_leerjaar = [{} for _ in namen]
    per_campus = [{} for _ in namen]
    heeft_campus = [False for _ in namen]
    fase2 = {"fase2_leerlingen": 0, "fase2_met_traject": 0}
    per_stap: dict[str, int] = {}
    for rij in rijen:
        school_id, leerjaar, campus = rij[0], rij[1], rij[2]
        telt, fasen = rij[3 : 3 + aantal], rij[3 + aantal : 3 + 2 * aantal]
        uitbreiding, stap, n = rij[3 + 2 * aantal :]
        sleutel = kring.campussleutel(school_id, campus)
        for k in range(aantal):
            if not telt[k]:
                continue
            fase = str(fasen[k])
            per_fase[k][fase] = per_fase[k].get(fase, 0) + n
            rij_leerjaar = per_leerjaar[k].setdefault(str(leerjaar), {})
            rij_leerjaar[fase] = rij_leerjaar.get(fase, 0) + n
            rij_campus = per_campus[k].setdefault(sleutel, {})
            rij_campus[fase] = rij_campus.get(fase, 0) + n
            heeft_campus[k] |= campus is not None
        if telt[laatste[school_id]] and uitbreiding:
            fase2["fase2_leerlingen"] += n
            if stap:
                fase2["fase2_met_traject"] += n
                per_stap[stap] = per_stap.get(stap, 0) + n
    peil = [
        Peildatum(
            naam=naam,
            datum=datum_van[naam].isoformat(),
            per_fase=dict(sorted(per_fase[k].items())),
            totaal=sum(per_fase[k].values()),
            per_leerjaar=dict(sorted(per_leerjaar[k].items())),
            per_campus=dict(sorted(per_campus[k].items())) if heeft_campus[k] else {},
        )
        for k, naam in enumerate(namen)
    ]
    return peil, fase2, dict(sorted(per_stap.items()))


def _continuum(kring: _Kring) -> Continuum:
    peil, fase2, per_stap = _peildata(kring)
    wijzigingen = ZorgfaseWijziging.objects.filter(kring.q("leerling__school", "datum"))
    op = Q(naar__nummer__gt=F("van__nummer"))
    af = Q(naar__nummer__lt=F("van__nummer"))
    totalen = wijzigingen.aggregate(
        wijzigingen_op=Count("pk", filter=op),
        wijzigingen_af=Count("pk", filter=af),
        leerlingen_op=Count("leerling", filter=op, distinct=True),
        leerlingen_af=Count("leerling", filter=af, distinct=True),
    )
    per_overgang = {
        f"{r['van__nummer']}-{r['naar__nummer']}": r["n"]
        for r in wijzigingen.values("van__nummer", "naar__nummer")
        .annotate(n=Count("pk"))
        .order_by("van__nummer", "naar__nummer")
    }

    # A stay in a phase ends with a change out of it (`van`) in the year; it
    # began with the student's last change into that phase before it: the
    # latest date of a join to the student's earlier changes into it (a hash
    # join and a GROUP BY per change, not a subquery per change).
    eerder = Q(leerling__zorgfase_wijzigingen__naar=F("van")) & (
        Q(leerling__zorgfase_wijzigingen__datum__lt=F("datum"))
        | Q(
            leerling__zorgfase_wijzigingen__datum=F("datum"),
            leerling__zorgfase_wijzigingen__pk__lt=F("pk"),
        )
    )
    verblijven = (
        wijzigingen.annotate(
            _binnenkomst=FilteredRelation("leerling__zorgfase_wijzigingen", condition=eerder)
        )
        .filter(_binnenkomst__isnull=False)
        .values("pk", "datum", "van__nummer")
        .annotate(_binnen=Max("_binnenkomst__datum"))
    )
    duur = Dagen(F("datum"), F("_binnen"))
    aggregaten = {}
    for fase in (1, 2):
        in_fase = Q(van__nummer=fase)
        aggregaten[f"n{fase}"] = Count("pk", filter=in_fase)
        aggregaten[f"m{fase}"] = Percentiel(duur, 0.5, filter=in_fase)
        aggregaten[f"p{fase}"] = Percentiel(duur, 0.9, filter=in_fase)
    v = verblijven.aggregate(**aggregaten)
    verblijf = {str(f): _verdeling(v[f"n{f}"], v[f"m{f}"], v[f"p{f}"]) for f in (1, 2)}

    return Continuum(
        peildata=peil,
        **totalen,
        per_overgang=per_overgang,
        verblijf=verblijf,
        **fase2,
        fase2_traject_per_stap=dict(sorted(per_stap.items())),
    )


def _maatregelen(kring: _Kring) -> Maatregelen:
    van_school = Maatregel.objects.filter(kring.q("leerling__school"))
    in_jaar = van_school.exclude(status=Maatregel.Status.VOORGESTELD).filter(
        kring.q(
            "leerling__school",
            lambda p: (Q(einde__isnull=True) | Q(einde__gte=p.begin)) & Q(begin__lte=p.einde),
        )
    )
    # Per kind and scope, and per grade and campus of the class on the
    # measure's first day in the year: one GROUP BY.
    leerjaar, campus = kring.klas_op("_dag")
    per_soort: dict[str, dict[str, int]] = {}
    per_leerjaar: dict[str, int] = {}
    per_campus: dict[str, int] = {}
    heeft_campus = False
    for rij in (
        in_jaar.annotate(_dag=Greatest("begin", kring.eerste_dag("leerling__school")))
        .annotate(_leerjaar=leerjaar, _campus=campus)
        .values("soort", "bereik", "leerling__school", "_leerjaar", "_campus")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        _optellen(per_soort, rij["soort"], rij["bereik"], rij["n"])
        _optellen(per_leerjaar, _leerjaarsleutel(rij["_leerjaar"]), None, rij["n"])
        sleutel = kring.campussleutel(rij["leerling__school"], rij["_campus"])
        _optellen(per_campus, sleutel, None, rij["n"])
        heeft_campus |= rij["_campus"] is not None

    # Evaluation deadlines: a deadline belongs to the year whose period holds
    # it and counts once it has passed.
    def verstreken(veld: str):
        return lambda p: Q(
            **{f"{veld}__gte": p.begin, f"{veld}__lte": p.einde, f"{veld}__lt": kring.vandaag}
        )

    # A measure's open deadline that passed was missed (an evaluation would
    # have set the next one), unless the measure ended before it (stopped
    # earlier: it owed no evaluation). Such a measure was in force in the
    # year of its deadline, so it is counted with the measures in force.
    gemist = (
        kring.q("leerling__school", verstreken("evaluatietermijn"))
        & Q(status__in=[Maatregel.Status.ACTIEF, Maatregel.Status.GESTOPT])
        & (Q(einde__isnull=True) | Q(einde__gte=F("evaluatietermijn")))
    )
    totalen = in_jaar.aggregate(
        totaal=Count("pk"),
        leerlingen=Count("leerling", distinct=True),
        _gemist=Count("pk", filter=gemist),
    )
    open_gemist = totalen.pop("_gemist")
    beantwoord = MaatregelEvaluatie.objects.filter(
        kring.q("maatregel__leerling__school", verstreken("termijn"))
    ).aggregate(noemer=Count("pk"), teller=Count("pk", filter=Q(datum__lte=F("termijn"))))
    tijdig = _aandeel(beantwoord["teller"], beantwoord["noemer"] + open_gemist)

    evaluaties_jaar = MaatregelEvaluatie.objects.filter(
        kring.q("maatregel__leerling__school", "datum")
    )
    laatste_effect = evaluaties_jaar.filter(maatregel=OuterRef("pk")).order_by(
        "-datum", "-aangemaakt", "-pk"
    )
    effect = {
        r["_effect"]: r["n"]
        for r in van_school.annotate(_effect=Subquery(laatste_effect.values("effect")[:1]))
        .filter(_effect__isnull=False)
        .values("_effect")
        .annotate(n=Count("pk"))
        .order_by("_effect")
    }
    gestopt: dict[str, int] = {}
    stop = MaatregelEvaluatie.objects.filter(
        maatregel=OuterRef("pk"), beslissing=MaatregelEvaluatie.Beslissing.STOPPEN
    ).order_by("-datum", "-pk")
    for r in (
        van_school.filter(
            kring.q("leerling__school", "einde"),
            status__in=[Maatregel.Status.GEEVALUEERD, Maatregel.Status.GESTOPT],
        )
        .annotate(_effect=Subquery(stop.values("effect")[:1]))
        .values("status", "_effect")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if r["status"] == Maatregel.Status.GEEVALUEERD and r["_effect"]:
            sleutel = f"na_evaluatie_{r['_effect']}"
        else:
            sleutel = "zonder_evaluatie"
        gestopt[sleutel] = gestopt.get(sleutel, 0) + r["n"]
    return Maatregelen(
        per_soort=dict(sorted(per_soort.items())),
        **totalen,
        tijdig_geevalueerd=tijdig,
        effect=effect,
        gestopt=dict(sorted(gestopt.items())),
        per_leerjaar=_per_leerjaar(per_leerjaar),
        per_campus=_per_campus(per_campus, heeft_campus),
    )


def _observaties(kring: _Kring) -> Observaties:
    rijen = (
        Observatie.objects.filter(kring.q("leerling__school", "datum"))
        .exclude(Exists(Observatie.objects.filter(corrigeert=OuterRef("pk"))))
        .alias(**{f"_d{bit}": F("domeinen").bitand(bit) for bit in DOMEINSLEUTELS})
    )
    sterkte = Q(soort=ObservatieSoort.STERKTE)
    zorg = Q(soort=ObservatieSoort.ZORG)
    aggregaten = {}
    for bit, sleutel in DOMEINSLEUTELS.items():
        in_domein = Q(**{f"_d{bit}__gt": 0})
        aggregaten[f"{sleutel}_sterkte"] = Count("pk", filter=in_domein & sterkte)
        aggregaten[f"{sleutel}_zorg"] = Count("pk", filter=in_domein & zorg)
    leerlingen = {
        "_ls": Count("leerling", filter=sterkte, distinct=True),
        "_lz": Count("leerling", filter=zorg, distinct=True),
    }
    a = rijen.aggregate(**aggregaten, **leerlingen)

    # Students per grade and per campus of the class on the observation's
    # date. Distinct students per grade are not the sum of those per class
    # or campus (a student who changed class within a grade), so the grades
    # and the campuses are two GROUP BYs, sent as one statement (UNION ALL);
    # `_deel` tells their rows apart.
    leerjaar, campus = kring.klas_op("datum")
    geen_getal, geen_tekst = Value(None, IntegerField()), Value(None, CharField())
    kolommen = ("_deel", "_leerjaar", "_school", "_campus")
    per_grade = (
        rijen.annotate(_deel=Value(1), _leerjaar=leerjaar, _school=geen_getal, _campus=geen_tekst)
        .values(*kolommen)
        .annotate(**leerlingen)
        .order_by()
    )
    per_campus_rijen = (
        rijen.annotate(
            _deel=Value(2), _leerjaar=geen_getal, _school=F("leerling__school"), _campus=campus
        )
        .values(*kolommen)
        .annotate(**leerlingen)
        .order_by()
    )
    soorten = ("sterkte", "zorg")
    per_leerjaar: dict[str, dict[str, int]] = {}
    per_campus: dict[str, dict[str, int]] = {}
    heeft_campus = False
    for rij in per_grade.union(per_campus_rijen, all=True):
        if rij["_deel"] == 1:
            groepen, sleutel = per_leerjaar, _leerjaarsleutel(rij["_leerjaar"])
        else:
            groepen, sleutel = per_campus, kring.campussleutel(rij["_school"], rij["_campus"])
            heeft_campus |= rij["_campus"] is not None
        _optellen(groepen, sleutel, "sterkte", rij["_ls"], soorten)
        _optellen(groepen, sleutel, "zorg", rij["_lz"], soorten)
    return Observaties(
        per_domein={
            s: {"sterkte": a[f"{s}_sterkte"], "zorg": a[f"{s}_zorg"]}
            for s in DOMEINSLEUTELS.values()
        },
        leerlingen_met_sterkte=a["_ls"],
        leerlingen_met_zorg=a["_lz"],
        per_leerjaar=_per_leerjaar(per_leerjaar),
        per_campus=_per_campus(per_campus, heeft_campus),
    )


def _maanden(begin: datetime.date, einde: datetime.date) -> list[str]:
    maanden, d = [], begin.replace(day=1)
    while d <= einde:
        maanden.append(f"{d:%Y-%m}")
        d = (d + datetime.timedelta(days=32)).replace(day=1)
    return maanden


def _vlaggen(kring: _Kring) -> Vlaggen:
    tz = timezone.get_current_timezone()
    vlaggen = Vlag.objects.alias(_dag=TruncDate("moment", tzinfo=tz))
    vlaggen = vlaggen.filter(kring.q("school", "_dag"))
    maanden = _maanden(
        min((p.begin for p in kring.perioden), default=datetime.date.min),
        max((p.einde for p in kring.perioden), default=datetime.date.min),
    )
    per_kleur_per_maand = {k: dict.fromkeys(maanden, 0) for k in VlagKleur.values}
    per_leerjaar: dict[str, dict[str, int]] = {}
    per_campus: dict[str, dict[str, int]] = {}
    heeft_campus = False
    # Per colour and month, grade and campus of the flag's class: one GROUP BY.
    for r in (
        vlaggen.annotate(_maand=TruncMonth("moment", tzinfo=tz))
        .values("kleur", "_maand", "school", "klas__leerjaar", "klas__campus__naam")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        maand, m = per_kleur_per_maand[r["kleur"]], f"{r['_maand']:%Y-%m}"
        maand[m] = maand.get(m, 0) + r["n"]
        sleutel = _leerjaarsleutel(r["klas__leerjaar"])
        _optellen(per_leerjaar, sleutel, r["kleur"], r["n"], VlagKleur.values)
        campus = r["klas__campus__naam"]
        sleutel = kring.campussleutel(r["school"], campus)
        _optellen(per_campus, sleutel, r["kleur"], r["n"], VlagKleur.values)
        heeft_campus |= campus is not None
    per_kleur = {k: sum(m.values()) for k, m in per_kleur_per_maand.items()}
    rood = vlaggen.filter(kleur=VlagKleur.ROOD)
    erkend = Q(erkend_op__isnull=False)
    wachttijd = Minuten(F("erkend_op"), F("moment"))
    a = rood.aggregate(
        n=Count("pk", filter=erkend),
        mediaan=Percentiel(wachttijd, 0.5, filter=erkend),
        p90=Percentiel(wachttijd, 0.9, filter=erkend),
        totaal=Count("pk"),
        opgevolgd=Count("pk", filter=Exists(VlagOpvolging.objects.filter(vlag=OuterRef("pk")))),
    )
    signalen = Signaal.objects.alias(_dag=TruncDate("aangemaakt", tzinfo=tz))
    s = signalen.filter(kring.q("leerling__school", "_dag")).aggregate(
        n=Count("pk"), leerlingen=Count("leerling", distinct=True)
    )
    return Vlaggen(
        per_kleur_per_maand=per_kleur_per_maand,
        per_kleur=per_kleur,
        rood_tot_erkenning_minuten=_verdeling(a["n"], a["mediaan"], a["p90"]),
        rood_met_opvolging=_aandeel(a["opgevolgd"], a["totaal"]),
        signalen=s["n"],
        signalen_leerlingen=s["leerlingen"],
        per_leerjaar=_per_leerjaar(per_leerjaar),
        per_campus=_per_campus(per_campus, heeft_campus),
    )


def _overleggen(kring: _Kring) -> Overleggen:
    tz = timezone.get_current_timezone()
    overleggen = Overleg.objects.alias(_dag=TruncDate("moment", tzinfo=tz)).filter(
        kring.q("school", "_dag")
    )
    gehouden = overleggen.filter(status__in=[Overleg.Status.BEZIG, Overleg.Status.AFGESLOTEN])
    gehouden_per_soort = dict.fromkeys(OverlegSoort.values, 0)
    for r in gehouden.values("soort").annotate(n=Count("pk")).order_by():
        gehouden_per_soort[r["soort"]] = r["n"]
    besproken = dict.fromkeys(OverlegSoort.values, 0)
    for r in (
        Agendapunt.objects.filter(overleg__in=gehouden, besproken=True)
        .values("overleg__soort")
        .annotate(n=Count("leerling", distinct=True))
        .order_by()
    ):
        besproken[r["overleg__soort"]] = r["n"]
    beslissingen = {
        r["soort"]: r["n"]
        # A class-level decision (the remediation selection) has no agenda item.
        for r in Beslissing.objects.filter(
            Q(agendapunt__overleg__in=overleggen)
            | Q(agendapunt__isnull=True, overleg__in=overleggen)
        )
        .values("soort")
        .annotate(n=Count("pk"))
        .order_by("soort")
    }
    tijdig = _aandeel(0, 0)
    if kring.jaren:
        a = (
            Actiepunt.objects.filter(
                kring.q(
                    "overleg__school",
                    lambda p: Q(vervaldatum__gte=p.begin, vervaldatum__lte=p.laatste),
                ),
                overleg__in=overleggen,
            )
            .exclude(status=Actiepunt.Status.GEANNULEERD)
            .alias(_klaar=TruncDate("afgehandeld_op", tzinfo=tz))
            .aggregate(
                noemer=Count("pk"),
                teller=Count(
                    "pk",
                    filter=Q(status=Actiepunt.Status.AFGEROND, _klaar__lte=F("vervaldatum")),
                ),
            )
        )
        tijdig = _aandeel(a["teller"], a["noemer"])
    return Overleggen(
        gehouden_per_soort=gehouden_per_soort,
        leerlingen_besproken_per_soort=besproken,
        beslissingen_per_soort=beslissingen,
        actiepunten_tijdig=tijdig,
    )


def _clb(kring: _Kring) -> Clb:
    aanmeldingen = Aanmelding.objects.filter(kring.q("leerling__school", "datum"))
    per_bron = {
        r["bron"]: r["n"]
        for r in aanmeldingen.values("bron").annotate(n=Count("pk")).order_by("bron")
    }
    trajecten = HGDTraject.objects.filter(kring.q("leerling__school"))
    geopend = trajecten.filter(kring.q("leerling__school", "geopend_op"))
    wachttijd = Dagen(F("geopend_op"), F("aanmelding__datum"))
    a = geopend.aggregate(
        n=Count("pk"), mediaan=Percentiel(wachttijd, 0.5), p90=Percentiel(wachttijd, 0.9)
    )
    in_jaar = trajecten.filter(
        kring.q(
            "leerling__school",
            lambda p: (
                Q(geopend_op__lte=p.einde)
                & (Q(afgesloten_op__isnull=True) | Q(afgesloten_op__gte=p.begin))
            ),
        )
    )
    per_stap = {
        r["stap"]: r["n"]
        for r in trajecten.filter(
            kring.q(
                "leerling__school",
                lambda p: (
                    Q(geopend_op__lte=p.laatste)
                    & (Q(afgesloten_op__isnull=True) | Q(afgesloten_op__gt=p.laatste))
                ),
            )
        )
        .values("stap")
        .annotate(n=Count("pk"))
        .order_by("stap")
    }
    per_uitkomst = {
        r["uitkomst"]: r["n"]
        for r in trajecten.filter(
            kring.q("leerling__school", "afgesloten_op"), status=HGDTraject.Status.AFGESLOTEN
        )
        .values("uitkomst")
        .annotate(n=Count("pk"))
        .order_by("uitkomst")
    }
    doelen = {
        r["status"]: r["n"]
        for r in Doel.objects.filter(traject__in=in_jaar, laag=Laag.GEDEELD)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
    }
    consultaties = Consultatie.objects.filter(kring.q("leerling__school", "datum")).count()
    return Clb(
        aanmeldingen=sum(per_bron.values()),
        aanmeldingen_per_bron=per_bron,
        dagen_tot_aanvaarding=_verdeling(a["n"], a["mediaan"], a["p90"]),
        trajecten_per_stap=per_stap,
        trajecten_per_uitkomst=per_uitkomst,
        gedeelde_doelen_per_status=doelen,
        consultaties=consultaties,
    )


def _remedieringen(kring: _Kring) -> Remedieringen:
    """One GROUP BY (approach, grade, level, result): a row per group, never
    per form."""
    r = Remedieringen()
    rijen = (
        Remediering.objects.filter(klas__schooljaar__in=[jaar.pk for jaar, _ in kring.jaren])
        .order_by()
        .values("aanpak", "klas__leerjaar", "niveau", "resultaat")
        .annotate(n=Count("pk"))
    )
    cellen = ("bereikt", "anders")
    for rij in rijen:
        n = rij["n"]
        cel = "bereikt" if rij["resultaat"] == Remediering.Resultaat.BEREIKT else "anders"
        for per_groep, sleutel in (
            (r.per_aanpak, rij["aanpak"]),
            (r.per_leerjaar, _leerjaarsleutel(rij["klas__leerjaar"])),
        ):
            _optellen(per_groep, sleutel, cel, n, cellen)
        _optellen(r.per_niveau, rij["niveau"], None, n)
        if rij["resultaat"]:
            _optellen(r.resultaat, rij["resultaat"], None, n)
        r.totaal += n
    r.per_leerjaar = _per_leerjaar(r.per_leerjaar)
    return r


def _cijfers(kring: _Kring, jaarnaam: str, school_id: int | None) -> Cijfers:
    return Cijfers(
        school_id=school_id,
        schooljaar=jaarnaam,
        begin=min(p.begin for p in kring.perioden).isoformat(),
        einde=max(p.einde for p in kring.perioden).isoformat(),
        continuum=_continuum(kring),
        maatregelen=_maatregelen(kring),
        observaties=_observaties(kring),
        vlaggen=_vlaggen(kring),
        overleggen=_overleggen(kring),
        clb=_clb(kring),
        remedieringen=_remedieringen(kring),
        scholen=kring.scholen,
    )


def schoolcijfers(school: School, schooljaar: Schooljaar) -> Cijfers:
    """The exact figures of `school` in `schooljaar` (see the module's
    docstring and each field's comment for what they count)."""
    if schooljaar.school_id != school.pk:
        raise ValueError("The school year belongs to another school")
    return _cijfers(_Kring([schooljaar]), schooljaar.naam, school.pk)


def jaarvergelijking(school: School, schooljaar: Schooljaar) -> Jaarvergelijking:
    """This year's figures and those of the school year before it, if any."""
    vorig = schooljaar.vorige()
    return Jaarvergelijking(
        dit_jaar=schoolcijfers(school, schooljaar),
        vorig_jaar=schoolcijfers(school, vorig) if vorig else None,
    )


def _groepsjaren(scholengemeenschap: Scholengemeenschap):
    return Schooljaar.objects.filter(school__scholengemeenschap=scholengemeenschap)


def groepscijfers(scholengemeenschap: Scholengemeenschap, jaarnaam: str) -> Cijfers:
    """The exact figures of the schools of `scholengemeenschap` that have a
    school year named `jaarnaam`, counted together: each school with its
    own year (period, classes, reference dates), counts summed, medians and
    percentiles over the values of all of them. `school_id` is None,
    `scholen` lists the schools counted. In the same number of statements as
    one school's figures (plus one), whatever the number of students; the
    number of schools only lengthens the SQL. A school outside the group
    never counts. LookupError when none of its schools has such a year."""
    jaren = list(
        _groepsjaren(scholengemeenschap)
        .filter(naam=jaarnaam)
        .select_related("school")
        .order_by("school__naam", "school_id")
    )
    if not jaren:
        raise LookupError(f"No school of {scholengemeenschap} has a school year {jaarnaam}")
    return _cijfers(_Kring(jaren), jaarnaam, None)


def vorige_jaarnaam(scholengemeenschap: Scholengemeenschap, jaarnaam: str) -> str | None:
    """The name of the group's school year before `jaarnaam`: that of the
    latest year of its schools that began before the first of them named
    `jaarnaam` began."""
    eerste = _groepsjaren(scholengemeenschap).filter(naam=jaarnaam).order_by("begin")
    return (
        _groepsjaren(scholengemeenschap)
        .filter(begin__lt=Subquery(eerste.values("begin")[:1]))
        .order_by("-begin", "naam")
        .values_list("naam", flat=True)
        .first()
    )


def groepsvergelijking(scholengemeenschap: Scholengemeenschap, jaarnaam: str) -> Jaarvergelijking:
    """The group's figures of `jaarnaam` and of the school year before it
    (`vorige_jaarnaam`), if any."""
    vorige = vorige_jaarnaam(scholengemeenschap, jaarnaam)
    return Jaarvergelijking(
        dit_jaar=groepscijfers(scholengemeenschap, jaarnaam),
        vorig_jaar=groepscijfers(scholengemeenschap, vorige) if vorige else None,
    )
