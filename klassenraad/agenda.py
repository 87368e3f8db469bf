"""The generated agenda: which students a meeting should discuss, and why.

For the weekly care cell Zorg proposes, per student and with every reason
that applies: red flags and pattern signals since the last cell, teachers'
requests to discuss a student, measures due for evaluation and action items
due by the day of the cell, referrals to the CLB still waiting, the
students of the previous cell with open follow-up, and what apps built on
the student record register (`redenbron_registreren`: the CLB's shared
goals due for review; they write their dates with `dag_op_agenda`). The
guiding class council gets the students of its class with an open request,
an open signal, a recent red flag or an open action item; the portrait class
council every student of the class.

The proposals are ranked (`GEWICHTEN`): each reason adds its points, the
highest total first; equal totals go by the oldest date among the reasons
(the flag, the request, the due date: what waits longest first), then by
name. A care cell discusses what fits in an hour: the view ticks the top
`Agendavoorstel.voorselectie` (the school's `agenda_voorselectie`) and lists
the rest below, unticked.

Cost: a fixed number of queries whatever the data: one per kind of reason
(each over an index of the school or the class, one per registered source
too), and one for the students with their current class and whether they are
on the agenda already.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db.models import Exists, F, Lookup, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from leerlingen.models import (
    Aanmelding,
    Afwezigheidsdrempel,
    Inschrijving,
    Leerling,
    Maatregel,
    Signaal,
    SodaScore,
    VlagBetrokkene,
    VlagKleur,
)
from leerlingen.soda import periode_oordelen
from zorg.accounts.models import schooljaar_begin, zelfde_schooljaar

from .models import Actiepunt, Agendapunt, Agendareden, Bespreekvraag, Overleg, OverlegSoort

# Without an earlier meeting of the same kind, how far back "since the last
# one" reaches.
ZONDER_VORIGE_CEL = datetime.timedelta(days=14)
ZONDER_VORIGE_KLASSENRAAD = datetime.timedelta(weeks=6)
# What a proposal carries of the student (the rest is deferred).
_LEERLING_VELDEN = (
    "id",
    "school_id",
    "leerlingnummer",
    "voornaam",
    "achternaam",
    "geboortedatum",
)

# Points per reason, added up over all of a student's reasons (two red flags
# weigh twice). A red flag always reaches the care team, so one outweighs
# any likely mix of the others; then what is late (an action item past its
# date), what is due (a measure's or an HGD goal's evaluation), patterns,
# a colleague's request, a referral waiting, and the follow-up of the last
# cell. Problematic absences (the CLB must be involved) weigh like a late
# item; a low SODA score in two periods in a row like a pattern. A class
# council's "student of the class" adds nothing: its order is the other
# reasons', then the name.
GEWICHTEN = {
    Agendareden.RODE_VLAG: 100,
    Agendareden.ACTIEPUNT: 30,
    Agendareden.EVALUATIE: 20,
    Agendareden.DOEL: 20,
    Agendareden.AFWEZIGHEID: 25,
    Agendareden.SIGNAAL: 15,
    Agendareden.SODA: 12,
    Agendareden.BESPREEKVRAAG: 10,
    Agendareden.AANMELDING: 8,
    Agendareden.OPVOLGING: 5,
    Agendareden.KLAS: 0,
    Agendareden.TOEGEVOEGD: 0,
}
# An action item due by the day of the cell but not yet past it.
ACTIEPUNT_NOG_NIET_VERLOPEN = 15

# Reasons for the care cell that apps built on the student record add
# without this app importing them: callables (overleg, datum_cel) -> an
# iterable of (leerling_id, Agendareden value, tekst) or (..., tekst, date
# the reason dates from, for the ranking), each evaluated in one
# query, whatever the number of rows. Registered from an AppConfig.ready().
_EXTRA_BRONNEN: list = []


def redenbron_registreren(functie) -> None:
    """Add a source of reasons to the care cell's proposals (e.g. the CLB's
    shared goals due for review). Registering twice is harmless."""
    if functie not in _EXTRA_BRONNEN:
        _EXTRA_BRONNEN.append(functie)


class _EenVan(Lookup):
    """`kolom = ANY(%s)`: the ids as one array parameter. The students to
    read come from a dozen queries merged in Python, so a list it is; as an
    IN list of 300-700 parameters it cost 8-12 ms a call at 10,000 students
    (Django builds and quotes every one, PostgreSQL parses and plans every
    one) and pg_stat_statements counts a new statement for every length.
    Elsewhere (SQLite, the embedded mode) a plain IN."""

    lookup_name = "een_van"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        waarden = list(self.rhs)
        if not waarden:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(waarden))})", (*params, *waarden)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        soort = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{soort}[])", (*params, list(self.rhs))


@dataclass
class Voorstel:
    """One student proposed for the agenda, with why. The student carries
    its id, school, number and name, and huidige_klas_id/_naam; other fields
    are deferred (reading them costs a query per student)."""

    leerling: Leerling
    klas_naam: str
    # [(Agendareden value, explanation)], most telling first.
    redenen: list[tuple[str, str]] = field(default_factory=list)
    al_op_agenda: bool = False
    # The ranking: the reasons' points added up, and the oldest date among them.
    gewicht: int = 0
    oudste: datetime.date | None = None

    @property
    def heeft_rode_vlag(self) -> bool:
        return any(soort == Agendareden.RODE_VLAG for soort, _tekst in self.redenen)

    def redenen_json(self) -> list[dict]:
        """As Agendapunt.redenen stores them."""
        return [{"soort": soort, "tekst": tekst} for soort, tekst in self.redenen]


@dataclass
class Agendavoorstel:
    """The proposals and the period they cover."""

    overleg: Overleg
    voorstellen: list[Voorstel]
    # Red flags and signals are counted from here (the previous meeting of
    # this kind, or a default period) up to the meeting itself.
    sinds: datetime.datetime | None = None
    vorige: Overleg | None = None
    # How many of the proposals to tick beforehand; None: all of them.
    voorselectie: int | None = None

    @property
    def sinds_begin_schooljaar(self) -> bool:
        """The previous meeting was in an earlier school year, so the window
        starts on 1 September instead."""
        # As instants: Python never finds a local time in the repeated hour of
        # October equal to a time in another zone (PEP 495).
        return self.vorige is not None and self.sinds.timestamp() != self.vorige.moment.timestamp()


def voorstellen(overleg: Overleg) -> list[Voorstel]:
    return agendavoorstel(overleg).voorstellen


def agendavoorstel(overleg: Overleg) -> Agendavoorstel:
    if overleg.soort == OverlegSoort.CEL:
        return _Cel(overleg).uitvoeren()
    if overleg.soort == OverlegSoort.BEGELEIDEND:
        return _Begeleidend(overleg).uitvoeren()
    if overleg.soort == OverlegSoort.PORTRET:
        return _Portret(overleg).uitvoeren()
    # Multidisciplinary consultations and parent meetings are about the
    # students someone puts on them.
    return Agendavoorstel(overleg=overleg, voorstellen=[])


def agenda_voorselectie(overleg: Overleg) -> int:
    """How many proposals of this meeting's agenda are ticked beforehand:
    the school's setting (a page for the school's settings comes later; the
    field is edited in the admin until then)."""
    return overleg.school.agenda_voorselectie


def dag_op_agenda(waarde, referentie: datetime.date) -> str:
    """12/11 for a day in the school year of `referentie` (the meeting's
    day): the year goes without saying. A day of another school year (the
    follow-up of June's last cell on September's first) carries its year:
    23/06/2026."""
    if isinstance(waarde, datetime.datetime):
        waarde = timezone.localtime(waarde)
        dag = waarde.date()
    else:
        dag = waarde
    if zelfde_schooljaar(dag, referentie):
        return waarde.strftime("%d/%m")
    return waarde.strftime("%d/%m/%Y")


class _Generator:
    """Collects reasons per student, then fetches the students once."""

    soort_vorige = OverlegSoort.CEL
    zonder_vorige = ZONDER_VORIGE_CEL
    # A class council is about one class: all of it may be ticked.
    met_voorselectie = False

    def __init__(self, overleg: Overleg):
        self.overleg = overleg
        self.school_id = overleg.school_id
        self.datum = timezone.localtime(overleg.moment).date()
        self.vandaag = timezone.localdate()
        self.redenen: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.gewicht: dict[int, int] = defaultdict(int)
        self.oudste: dict[int, datetime.date] = {}

    # -- the frame ------------------------------------------------------------

    def vorige_filter(self) -> Q:
        return Q(school_id=self.school_id, soort=self.soort_vorige)

    def vorige_zoeken(self) -> Overleg | None:
        return (
            Overleg.objects.filter(self.vorige_filter(), moment__lt=self.overleg.moment)
            .exclude(pk=self.overleg.pk)
            .order_by("-moment", "-pk")
            .only("pk", "moment", "soort", "school_id", "klas_id")
            .first()
        )

    def dag(self, waarde) -> str:
        return dag_op_agenda(waarde, self.datum)

    def sinds_bepalen(self) -> datetime.datetime:
        """Where "since the last meeting" starts: the previous meeting of this
        kind, or without one, the same clock time `zonder_vorige` earlier in
        Brussels (14 days before a cell at 10:00 is 10:00, also across a DST
        change); but never before 1 September of the meeting's school year.
        The first cell in September does not bring back last June's flags:
        they belong to last year's classes and were handled then."""
        moment = timezone.localtime(self.overleg.moment)
        if self.vorige is not None:
            sinds = timezone.localtime(self.vorige.moment)
        else:
            # Wall-clock arithmetic: zoneinfo recomputes the UTC offset.
            sinds = moment - self.zonder_vorige
        begin = datetime.datetime.combine(
            schooljaar_begin(self.datum), datetime.time.min, tzinfo=moment.tzinfo
        )
        return max(sinds, begin)

    def uitvoeren(self) -> Agendavoorstel:
        self.vorige = self.vorige_zoeken()
        self.sinds = self.sinds_bepalen()
        self.redenen_verzamelen()
        return Agendavoorstel(
            overleg=self.overleg,
            voorstellen=self.samenstellen(),
            sinds=self.sinds,
            vorige=self.vorige,
            voorselectie=agenda_voorselectie(self.overleg) if self.met_voorselectie else None,
        )

    def redenen_verzamelen(self) -> None:
        raise NotImplementedError

    def voeg_toe(
        self,
        leerling_id: int,
        soort: str,
        tekst: str,
        *,
        wanneer: datetime.date | datetime.datetime | None = None,
        gewicht: int | None = None,
    ) -> None:
        """One reason, with the day it dates from and its points (the kind's
        weight unless given)."""
        self.redenen[leerling_id].append((soort, tekst))
        self.gewicht[leerling_id] += GEWICHTEN.get(soort, 0) if gewicht is None else gewicht
        if isinstance(wanneer, datetime.datetime):
            wanneer = timezone.localtime(wanneer).date()
        if wanneer is not None:
            vorige = self.oudste.get(leerling_id)
            self.oudste[leerling_id] = wanneer if vorige is None else min(vorige, wanneer)

    def inschrijvingen(self):
        """Enrolments that count: the students enrolled now."""
        return Inschrijving.objects.actief()

    def samenstellen(self) -> list[Voorstel]:
        """The students with their reasons, ranked: the most points first,
        then the oldest date among the reasons, then the name (`GEWICHTEN`).

        One query reads each student with their class now, from the
        enrolments (which also leaves out whoever is not enrolled now): a join,
        where met_huidige_klas() runs a subquery per student; with hundreds of
        proposals that is the difference between a few and tens of ms."""
        if not self.redenen:
            return []
        rijen = (
            self.inschrijvingen()
            .filter(_EenVan(F("leerling_id"), list(self.redenen)))
            .filter(leerling__school_id=self.school_id)
            .order_by("leerling__achternaam", "leerling__voornaam", "leerling_id", "-begin", "-pk")
            .values_list(
                *(f"leerling__{veld}" for veld in _LEERLING_VELDEN),
                "klas_id",
                "klas__naam",
                # Read along with the student, not in a query of its own.
                Exists(
                    Agendapunt.objects.filter(
                        overleg_id=self.overleg.pk, leerling_id=OuterRef("leerling_id")
                    )
                ),
            )
        )
        leerlingen: dict[int, Leerling] = {}
        op_agenda: set[int] = set()
        for *waarden, klas_id, klas_naam, al_op_agenda in rijen:
            if waarden[0] in leerlingen:
                continue  # a second enrolment now: the latest one counts
            leerling = Leerling.from_db(None, _LEERLING_VELDEN, waarden)
            # As met_huidige_klas() annotates them.
            leerling.huidige_klas_id = klas_id
            leerling.huidige_klas_naam = klas_naam
            leerlingen[leerling.pk] = leerling
            if al_op_agenda:
                op_agenda.add(leerling.pk)
        volgorde = {soort: i for i, soort in enumerate(Agendareden.values)}
        gesorteerd = []
        for naam_rang, leerling in enumerate(leerlingen.values()):
            redenen = sorted(self.redenen[leerling.pk], key=lambda r: volgorde[r[0]])
            voorstel = Voorstel(
                leerling=leerling,
                klas_naam=leerling.huidige_klas_naam or "",
                redenen=redenen,
                al_op_agenda=leerling.pk in op_agenda,
                gewicht=self.gewicht[leerling.pk],
                oudste=self.oudste.get(leerling.pk),
            )
            gesorteerd.append(
                (-voorstel.gewicht, voorstel.oudste or datetime.date.max, naam_rang, voorstel)
            )
        gesorteerd.sort(key=lambda rij: rij[:3])
        return [rij[3] for rij in gesorteerd]

    # -- the reasons, one query each -------------------------------------------
    # Rows are read as tuples and each message is translated once per
    # query, not per row: a busy week has hundreds of rows.

    def rode_vlaggen(self, extra: Q | None = None) -> None:
        rijen = (
            VlagBetrokkene.objects.filter(
                vlag__school_id=self.school_id,
                vlag__kleur=VlagKleur.ROOD,
                vlag__moment__gte=self.sinds,
                vlag__moment__lt=self.overleg.moment,
            )
            .filter(extra or Q())
            .order_by("vlag__moment", "vlag_id")
            .values_list("leerling_id", "vlag__moment", "vlag__klas__naam", "rol")
        )
        met_klas = _("Rode vlag op %(dag)s (%(klas)s)")
        zonder_klas = _("Rode vlag op %(dag)s")
        met_rol = _("%(tekst)s, als %(rol)s")
        rollen = {rol.value: str(rol.label) for rol in VlagBetrokkene.Rol}
        for leerling_id, moment, klas_naam, rol in rijen:
            if klas_naam:
                tekst = met_klas % {"dag": self.dag(moment), "klas": klas_naam}
            else:
                tekst = zonder_klas % {"dag": self.dag(moment)}
            if rol != VlagBetrokkene.Rol.BETROKKEN:
                tekst = met_rol % {"tekst": tekst, "rol": rollen.get(rol, rol)}
            self.voeg_toe(leerling_id, Agendareden.RODE_VLAG, tekst, wanneer=moment)

    def signalen(self, voorwaarde: Q, extra: Q | None = None) -> None:
        rijen = (
            Signaal.objects.filter(leerling__school_id=self.school_id)
            .filter(voorwaarde)
            .filter(extra or Q())
            .order_by("aangemaakt", "pk")
            .values_list("leerling_id", "aantal", "van", "tot")
        )
        bericht = _("%(aantal)d gele/oranje vlaggen tussen %(van)s en %(tot)s")
        for leerling_id, aantal, van, tot in rijen:
            self.voeg_toe(
                leerling_id,
                Agendareden.SIGNAAL,
                bericht % {"aantal": aantal, "van": self.dag(van), "tot": self.dag(tot)},
                wanneer=van,
            )

    def bespreekvragen(self, waar: list[str], extra: Q | None = None) -> None:
        rijen = (
            Bespreekvraag.objects.filter(
                status=Bespreekvraag.Status.OPEN,
                waar__in=waar,
                leerling__school_id=self.school_id,
            )
            .filter(extra or Q())
            .order_by("aangemaakt", "pk")
            .values_list(
                "leerling_id", "waar", "reden", "aangemaakt", *_naamvelden("gevraagd_door")
            )
        )
        bericht = _("Gevraagd door %(naam)s: %(reden)s")
        voor_de_cel = _("%(tekst)s (voor de cel)")
        for leerling_id, vraag_waar, reden, aangemaakt, *naam in rijen:
            tekst = bericht % {"naam": _naam(*naam), "reden": reden}
            if len(waar) > 1 and vraag_waar == Bespreekvraag.Waar.CEL:
                tekst = voor_de_cel % {"tekst": tekst}
            self.voeg_toe(leerling_id, Agendareden.BESPREEKVRAAG, tekst, wanneer=aangemaakt)

    def actiepunten(self, *, tot: datetime.date | None, extra: Q | None = None) -> None:
        rijen = (
            Actiepunt.objects.open()
            .filter(leerling__school_id=self.school_id)
            .exclude(overleg_id=self.overleg.pk)
            .filter(Q(vervaldatum__lte=tot) if tot else Q())
            .filter(extra or Q())
            .order_by("vervaldatum", "pk")
            .values_list("leerling_id", "omschrijving", "vervaldatum", *_naamvelden("eigenaar"))
        )
        verliep = _("Actiepunt van %(naam)s verliep op %(dag)s: %(wat)s")
        verloopt = _("Actiepunt van %(naam)s verloopt op %(dag)s: %(wat)s")
        for leerling_id, omschrijving, vervaldatum, *naam in rijen:
            verlopen = vervaldatum < self.vandaag
            self.voeg_toe(
                leerling_id,
                Agendareden.ACTIEPUNT,
                (verliep if verlopen else verloopt)
                % {"naam": _naam(*naam), "dag": self.dag(vervaldatum), "wat": omschrijving},
                wanneer=vervaldatum,
                gewicht=None if verlopen else ACTIEPUNT_NOG_NIET_VERLOPEN,
            )


def _naamvelden(relatie: str) -> tuple[str, ...]:
    """The fields of a user's name, read along with a row."""
    return (f"{relatie}__first_name", f"{relatie}__last_name", f"{relatie}__email")


def _naam(voornaam: str, achternaam: str, email: str) -> str:
    """As User.__str__ shows a user: the full name, else the e-mail address."""
    return f"{voornaam} {achternaam}".strip() or email


class _Cel(_Generator):
    met_voorselectie = True

    def redenen_verzamelen(self) -> None:
        self.rode_vlaggen()
        self.signalen(
            Q(aangemaakt__gte=self.sinds, aangemaakt__lt=self.overleg.moment)
            | Q(afgehandeld_op__isnull=True)
        )
        self.bespreekvragen([Bespreekvraag.Waar.CEL])
        self.evaluaties()
        self.actiepunten(tot=self.datum)
        self.aanmeldingen()
        self.afwezigheden()
        self.opvolging()
        self.soda()
        self.extra_bronnen()

    def extra_bronnen(self) -> None:
        """The registered sources, merged like the reasons above."""
        for bron in _EXTRA_BRONNEN:
            for leerling_id, soort, tekst, *wanneer in bron(self.overleg, self.datum):
                self.voeg_toe(leerling_id, soort, tekst, wanneer=(wanneer or [None])[0])

    def evaluaties(self) -> None:
        rijen = (
            Maatregel.objects.filter(
                leerling__school_id=self.school_id,
                status=Maatregel.Status.ACTIEF,
                evaluatiedatum__lte=self.datum,
            )
            .order_by("evaluatiedatum", "pk")
            .values_list("leerling_id", "titel", "evaluatiedatum")
        )
        bericht = _("Evaluatie van ‘%(titel)s’ gepland op %(dag)s")
        for leerling_id, titel, evaluatiedatum in rijen:
            self.voeg_toe(
                leerling_id,
                Agendareden.EVALUATIE,
                bericht % {"titel": titel, "dag": self.dag(evaluatiedatum)},
                wanneer=evaluatiedatum,
            )

    def soda(self) -> None:
        """Students whose SODA report is low in their latest period with
        scores (begun by the day of the cell, this school year) and in the
        period just before it. Low as leerlingen.soda sums it up: in some
        criterion the median of the subjects is a low value (half or more
        of the subjects gave one). Periods are numbered 1, 2, 3, ... in
        their order (services.soda keeps it so): "just before" is one less.
        One query: a row per student and period with scores."""
        rijen = periode_oordelen(
            SodaScore.objects.filter(
                leerling__school_id=self.school_id,
                periode__schooljaar__school_id=self.school_id,
                periode__schooljaar__is_huidig=True,
                periode__begin__lte=self.datum,
            )
        )
        bericht = _("Lage SODA-score in %(vorige)s en %(laatste)s (%(criteria)s)")
        per_leerling: dict[int, dict[int, tuple]] = defaultdict(dict)
        for leerling_id, naam, volgorde, begin, laag in rijen:
            per_leerling[leerling_id][volgorde] = (naam, begin, laag)
        for leerling_id, perioden in per_leerling.items():
            laatste = max(perioden)
            naam, begin, laag = perioden[laatste]
            vorige = perioden.get(laatste - 1)
            if laag and vorige is not None and vorige[2]:
                self.voeg_toe(
                    leerling_id,
                    Agendareden.SODA,
                    bericht % {"vorige": vorige[0], "laatste": naam, "criteria": ", ".join(laag)},
                    wanneer=begin,
                )

    def aanmeldingen(self) -> None:
        rijen = (
            Aanmelding.objects.filter(
                leerling__school_id=self.school_id, status=Aanmelding.Status.OPEN
            )
            .order_by("datum", "pk")
            .values_list("leerling_id", "datum")
        )
        bericht = _("Aanmelding bij het CLB wacht sinds %(dag)s")
        for leerling_id, datum in rijen:
            self.voeg_toe(
                leerling_id,
                Agendareden.AANMELDING,
                bericht % {"dag": self.dag(datum)},
                wanneer=datum,
            )

    def afwezigheden(self) -> None:
        """Students who reached the threshold of problematic half days this
        school year: since the previous cell, or earlier but not discussed
        at a cell since (one query, the "not discussed" an EXISTS)."""
        besproken = Agendapunt.objects.filter(
            leerling_id=OuterRef("leerling_id"),
            besproken=True,
            overleg__school_id=self.school_id,
            overleg__soort=OverlegSoort.CEL,
            overleg__moment__gte=OuterRef("bereikt_op"),
            overleg__moment__lt=self.overleg.moment,
        ).exclude(overleg_id=self.overleg.pk)
        rijen = (
            # A record withdrawn by a correction, or found only after its
            # school year, is no reason to discuss the student.
            Afwezigheidsdrempel.objects.te_bespreken()
            .filter(
                leerling__school_id=self.school_id,
                schooljaar=schooljaar_begin(self.datum),
                bereikt_op__lt=self.overleg.moment,
            )
            .filter(Q(bereikt_op__gte=self.sinds) | ~Exists(besproken))
            .order_by("bereikt_op", "pk")
            .values_list("leerling_id", "aantal", "bereikt_op")
        )
        bericht = _("%(aantal)d problematisch afwezige halve dagen (drempel bereikt op %(dag)s)")
        for leerling_id, aantal, bereikt_op in rijen:
            self.voeg_toe(
                leerling_id,
                Agendareden.AFWEZIGHEID,
                bericht % {"aantal": aantal, "dag": self.dag(bereikt_op)},
                wanneer=bereikt_op,
            )

    def opvolging(self) -> None:
        """Students discussed at the previous cell with an action item of that
        cell still open."""
        if self.vorige is None:
            return
        rijen = (
            Actiepunt.objects.open()
            .filter(overleg_id=self.vorige.pk)
            .filter(
                Exists(
                    Agendapunt.objects.filter(
                        overleg_id=self.vorige.pk, leerling_id=OuterRef("leerling_id")
                    )
                )
            )
            .order_by("leerling_id")
            .values_list("leerling_id", flat=True)
            .distinct()
        )
        tekst = _("Opvolging van de cel van %(dag)s") % {"dag": self.dag(self.vorige.moment)}
        for leerling_id in rijen:
            self.voeg_toe(leerling_id, Agendareden.OPVOLGING, tekst, wanneer=self.vorige.moment)


class _Klassenraad(_Generator):
    def __init__(self, overleg: Overleg):
        super().__init__(overleg)
        # Students in the class now: a subquery, not a query of its own.
        self.in_klas = Q(
            leerling_id__in=Inschrijving.objects.actief()
            .filter(klas_id=overleg.klas_id)
            .values("leerling_id")
        )

    def vorige_filter(self) -> Q:
        return Q(school_id=self.school_id, soort=self.soort_vorige, klas_id=self.overleg.klas_id)

    def inschrijvingen(self):
        return Inschrijving.objects.actief().filter(klas_id=self.overleg.klas_id)


class _Begeleidend(_Klassenraad):
    soort_vorige = OverlegSoort.BEGELEIDEND
    zonder_vorige = ZONDER_VORIGE_KLASSENRAAD

    def redenen_verzamelen(self) -> None:
        self.bespreekvragen(
            [Bespreekvraag.Waar.KLASSENRAAD, Bespreekvraag.Waar.CEL], extra=self.in_klas
        )
        self.signalen(Q(afgehandeld_op__isnull=True), extra=self.in_klas)
        self.rode_vlaggen(extra=self.in_klas)
        self.actiepunten(tot=None, extra=self.in_klas)


class _Portret(_Klassenraad):
    soort_vorige = OverlegSoort.PORTRET
    zonder_vorige = ZONDER_VORIGE_KLASSENRAAD

    def vorige_zoeken(self) -> Overleg | None:
        return None

    def redenen_verzamelen(self) -> None:
        klas_naam = self.overleg.klas.naam if self.overleg.klas_id else ""
        tekst = _("Leerling van de klas %(klas)s") % {"klas": klas_naam}
        for leerling_id in self.inschrijvingen().values_list("leerling_id", flat=True):
            self.voeg_toe(leerling_id, Agendareden.KLAS, tekst)
