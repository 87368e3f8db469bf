"""The daily reminder run at the scale of `manage.py bench`.

1. `celdagen_instellen()`, `herinneringsmoment()`: a moment to run the reminders at, derived from
   the school's own calendar, whatever day the bench runs on: 07:00 of the
   first school day from today on (in the current school year; else the
   last one before today) on which the care coordinators prepare the next
   care cell.
2. `herinneringen_aanvullen()`: what the reminders read, for a school year
   of a large school and relative to that day, written in bulk: active
   measures with evaluation dates past and coming, action items of the
   cells (most done; open ones due tomorrow, overdue and long overdue), CLB
   HGD trajectories with goals to review, red flags of the day before that
   nobody acknowledged, and the care cell's weekday. Topped up to a number
   per student, so a second bench on the same data writes nothing.
3. `herinneringen_meten()`: the run of every school (what the beat task
   runs), timed, its SQL statements counted, and the reminders and
   notifications it created; then the same run again, which must find
   nothing left.

The first run is the catch-up of a whole school year at once (every past
evaluation and overdue item not yet reminded): far more than a day's work.
"""

from __future__ import annotations

import datetime
import random
import time
import zoneinfo
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from clb.models import Doel, Doeltermijn, HGDTraject, Laag, Trajectstap
from klassenraad.herinneringen import volgende_celdag
from klassenraad.models import Actiepunt, Overleg, OverlegSoort
from leerlingen.herinneringen import herinneringsdag
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Inschrijving,
    Lesopdracht,
    Maatregel,
    MaatregelSoort,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
)
from leerlingen.policies import zorgcoordinatoren
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import CLBMedewerker, Lidmaatschap, Rol, School, Schooljaar, SchoolType
from zorg.demo.overlegdemo import CEL_UUR, CEL_WEEKDAG
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_alle_scholen
from zorg.meldingen.models import Melding

BRUSSEL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
BATCH = 2_000
SEED = 2027
# When the beat task's daily reminders go out.
UUR = datetime.time(7, 0)
# The run must stay under this (issue 12).
MAXIMUM_SECONDEN = 30.0

# Per student of the school, in a school year (see herinneringen_aanvullen):
# about one in eight has an active reasonable adjustment; half an action item
# of a care cell or class council; one in thirty-three an HGD trajectory at
# the CLB, with two or three goals; one in a thousand a red flag yesterday
# that nobody took up.
MAATREGELEN_PER_LEERLING = 0.12
ACTIEPUNTEN_PER_LEERLING = 0.5
TRAJECTEN_PER_LEERLING = 0.03
RODE_VLAGGEN_PER_LEERLING = 0.001

LESUREN = [(8, 25), (9, 15), (10, 20), (11, 10), (12, 55), (13, 45), (14, 50), (15, 40)]
MAATREGELEN = [
    (MaatregelSoort.COMPENSEREND, "Extra tijd bij toetsen", Bereik.TOETSEN),
    (MaatregelSoort.DIFFERENTIEREND, "Rustige werkplek vooraan in de klas", Bereik.ALLE_VAKKEN),
    (MaatregelSoort.STIMULEREND, "Wekelijks gesprek met de leerlingbegeleider", Bereik.ALLE_VAKKEN),
    (MaatregelSoort.DISPENSEREND, "Geen beoordeling van de spelling", Bereik.TOETSEN),
]
ACTIES = [
    "Ouders opbellen over de afspraken.",
    "Gesprek met de leerling over de planning.",
    "Navragen bij de vakleerkrachten hoe het loopt.",
    "Verslag van het gesprek in het dossier zetten.",
]
DOELEN = [
    "De leerling plant het huiswerk zelf in een agenda.",
    "De leerling vraagt hulp wanneer een opdracht niet lukt.",
    "De leerling is op tijd in de les.",
]


def celdagen_instellen() -> int:
    """Give every school with care cells (not the DKO) that has no cell day
    the demo's, Thursday, so its care-cell reminder goes out."""
    return (
        School.objects.exclude(schooltype=SchoolType.DKO)
        .filter(zorgcel_weekdag__isnull=True)
        .update(zorgcel_weekdag=CEL_WEEKDAG)
    )


def herinneringsmoment(school: School) -> datetime.datetime:
    """07:00 on a school day of `school`'s current school year on which its
    care-cell reminder falls due (the school day before its cell day): the
    first from today on, else the last before today (in the summer holiday).
    The school needs `zorgcel_weekdag`."""
    if school.zorgcel_weekdag is None:
        raise ValueError(f"{school} has no care-cell weekday")
    kalender = schoolkalender(school.pk)
    jaar = Schooljaar.objects.filter(school=school, is_huidig=True).first()
    vandaag = timezone.localdate()
    begin, einde = (jaar.begin, jaar.einde) if jaar else (vandaag, vandaag)
    een = datetime.timedelta(days=1)
    vooruit = (vandaag + een * i for i in range(max(0, (einde - vandaag).days) + 1))
    achteruit = (vandaag - een * i for i in range(1, max(0, (vandaag - begin).days) + 1))
    for dag in (*vooruit, *achteruit):
        if not kalender.is_schooldag(dag):
            continue
        celdag = volgende_celdag(school, dag, kalender)
        if celdag is not None and herinneringsdag(celdag, 1, kalender) <= dag:
            return datetime.datetime.combine(dag, UUR, tzinfo=BRUSSEL)
    raise ValueError(f"{school}'s current school year has no care-cell day")


def _bulk(model, objecten) -> list:
    return model.objects.bulk_create(objecten, batch_size=BATCH)


class _Mensen:
    """The school's students with their class, and who could own their
    care: a teacher of the class (who may read it), a care coordinator, or
    another teacher (who may not, and is then not reminded)."""

    def __init__(self, school: School, rng: random.Random):
        self.rng = rng
        self.klas_van: dict[int, int] = {}
        for leerling_id, klas_id in (
            Inschrijving.objects.actief()
            .filter(klas__schooljaar__school=school)
            .order_by("leerling_id", "klas_id")
            .values_list("leerling_id", "klas_id")
        ):
            self.klas_van.setdefault(leerling_id, klas_id)
        self.leerlingen = list(self.klas_van)
        self.leraren: dict[int, list[int]] = defaultdict(list)
        for klas_id, user_id in (
            Lesopdracht.objects.filter(
                klas__schooljaar__school=school, klas__schooljaar__is_huidig=True
            )
            .order_by("pk")
            .values_list("klas_id", "leerkracht_id")
        ):
            self.leraren[klas_id].append(user_id)
        self.coordinatoren = [u.pk for u in zorgcoordinatoren(school.pk)]
        self.personeel = list(
            Lidmaatschap.objects.filter(school=school, rol=Rol.LEERKRACHT, actief=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        ) or list(self.coordinatoren)

    def eigenaar(self, leerling_id: int) -> int:
        kans = self.rng.random()
        leraren = self.leraren.get(self.klas_van[leerling_id])
        if kans < 0.75 and leraren:
            return self.rng.choice(leraren)
        if kans < 0.9 or not self.personeel:
            return self.rng.choice(self.coordinatoren)
        return self.rng.choice(self.personeel)


def herinneringen_aanvullen(school: School, nu: datetime.datetime) -> dict:
    """Top up what `school`'s reminders read, around the day of `nu`, to a
    school year's worth for its number of students (see the constants), in
    bulk; each kind is skipped when there is enough of it."""
    rng = random.Random(SEED)
    dag = timezone.localdate(nu)
    kalender = schoolkalender(school.pk)
    start = time.perf_counter()
    mensen = _Mensen(school, rng)
    n = len(mensen.leerlingen)
    if not n or not mensen.coordinatoren:
        return {"students": n, "seconds": 0.0}
    gemaakt: dict[str, int] = {}
    with transaction.atomic():
        gemaakt["measures"] = _maatregelen(school, mensen, dag, round(n * MAATREGELEN_PER_LEERLING))
        gemaakt["action_items"] = _actiepunten(
            school, mensen, dag, round(n * ACTIEPUNTEN_PER_LEERLING), kalender
        )
        gemaakt["trajectories"], gemaakt["goals"] = _trajecten(
            school, mensen, dag, round(n * TRAJECTEN_PER_LEERLING)
        )
        gemaakt["red_flags"] = _rode_vlaggen(
            school, mensen, dag, max(1, round(n * RODE_VLAGGEN_PER_LEERLING)), kalender
        )
        gemaakt["care_cell"] = _cel(school, dag, kalender)
    if any(gemaakt.values()):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "students": n,
        "created": gemaakt,
        "seconds": round(time.perf_counter() - start, 2),
    }


def _maatregelen(school, mensen: _Mensen, dag, doel: int) -> int:
    """Active measures begun this school year, their evaluation dates from
    six weeks ago (not evaluated yet) to twenty weeks ahead."""
    rng = mensen.rng
    tekort = (
        doel
        - Maatregel.objects.filter(leerling__school=school, status=Maatregel.Status.ACTIEF).count()
    )
    if tekort <= 0:
        return 0
    maatregelen = []
    for leerling_id in rng.sample(mensen.leerlingen, min(tekort, len(mensen.leerlingen))):
        soort, titel, bereik = rng.choice(MAATREGELEN)
        begin = dag - datetime.timedelta(days=rng.randint(20, 200))
        evaluatiedatum = max(begin, dag + datetime.timedelta(days=rng.randint(-42, 140)))
        maatregelen.append(
            Maatregel(
                leerling_id=leerling_id,
                soort=soort,
                titel=titel,
                domeinen=1,
                bereik=bereik,
                begin=begin,
                evaluatiedatum=evaluatiedatum,
                evaluatietermijn=evaluatiedatum,
                beslist_waar="begeleidende klassenraad",
                beslist_door_id=mensen.eigenaar(leerling_id),
                status=Maatregel.Status.ACTIEF,
            )
        )
    return len(_bulk(Maatregel, maatregelen))


def _actiepunten(school, mensen: _Mensen, dag, doel: int, kalender) -> int:
    """Action items of the school's cells due from 36 weeks ago to five
    weeks ahead: nearly all old ones done, a quarter of the last six weeks'
    still open (overdue), most of the coming ones open (some due tomorrow)."""
    rng = mensen.rng
    tekort = doel - Actiepunt.objects.filter(overleg__school=school).count()
    cellen = list(
        Overleg.objects.cellen()
        .filter(school=school)
        .order_by("moment")
        .values_list("pk", flat=True)
    )
    if tekort <= 0 or not cellen:
        return 0
    nu = timezone.now()
    acties = []
    for _ in range(tekort):
        leerling_id = rng.choice(mensen.leerlingen)
        verval = dag + datetime.timedelta(days=rng.randint(-250, 35))
        if verval < dag - datetime.timedelta(days=42):
            klaar = rng.random() < 0.97
        elif verval < dag:
            klaar = rng.random() < 0.75
        else:
            klaar = rng.random() < 0.1
        acties.append(
            Actiepunt(
                overleg_id=rng.choice(cellen),
                leerling_id=leerling_id,
                eigenaar_id=mensen.eigenaar(leerling_id),
                omschrijving=rng.choice(ACTIES),
                vervaldatum=verval,
                status=Actiepunt.Status.AFGEROND if klaar else Actiepunt.Status.OPEN,
                afgehandeld_op=nu if klaar else None,
            )
        )
    return len(_bulk(Actiepunt, acties))


def _trajecten(school, mensen: _Mensen, dag, doel: int) -> tuple[int, int]:
    """Running HGD trajectories of the CLB that serves the school, each on an
    accepted referral, with two or three goals to review from three weeks
    ago to seventeen weeks ahead (a third for the CLB alone)."""
    rng = mensen.rng
    medewerkers = list(
        CLBMedewerker.objects.filter(clb__scholen=school, actief=True, user__is_active=True)
        .order_by("pk")
        .values_list("user_id", "clb_id")
    )
    tekort = (
        doel
        - HGDTraject.objects.filter(
            leerling__school=school, status=HGDTraject.Status.LOPEND
        ).count()
    )
    if tekort <= 0 or not medewerkers:
        return 0, 0
    al = set(
        HGDTraject.objects.filter(leerling__school=school).values_list("leerling_id", flat=True)
    )
    kandidaten = [ll for ll in mensen.leerlingen if ll not in al]
    leerlingen = rng.sample(kandidaten, min(tekort, len(kandidaten)))
    hulpvraag = "Hoe ondersteunen we deze leerling het best?"
    aanmeldingen = _bulk(
        Aanmelding,
        (
            Aanmelding(
                leerling_id=leerling_id,
                datum=dag - datetime.timedelta(days=rng.randint(20, 200)),
                hulpvraag=hulpvraag,
                bron=Aanmelding.Bron.CEL,
                status=Aanmelding.Status.AANVAARD,
                aangemaakt_door_id=rng.choice(mensen.coordinatoren),
            )
            for leerling_id in leerlingen
        ),
    )
    stappen = [Trajectstap.STRATEGIE, Trajectstap.ONDERZOEK, Trajectstap.OPVOLGING]
    trajecten = _bulk(
        HGDTraject,
        (
            HGDTraject(
                aanmelding_id=a.pk,
                leerling_id=a.leerling_id,
                clb_id=clb_id,
                begeleider_id=begeleider_id,
                stap=rng.choice(stappen),
                hulpvraag=hulpvraag,
                geopend_op=a.datum + datetime.timedelta(days=7),
                status=HGDTraject.Status.LOPEND,
            )
            for a in aanmeldingen
            for begeleider_id, clb_id in [rng.choice(medewerkers)]
        ),
    )
    doelen = _bulk(
        Doel,
        (
            Doel(
                traject_id=t.pk,
                termijn=rng.choice(Doeltermijn.values),
                omschrijving=rng.choice(DOELEN),
                evaluatiedatum=dag + datetime.timedelta(days=rng.randint(-21, 120)),
                status=Doel.Status.LOPEND,
                laag=Laag.CLB if rng.random() < 0.35 else Laag.GEDEELD,
                door_id=t.begeleider_id,
            )
            for t in trajecten
            for _ in range(rng.randint(2, 3))
        ),
    )
    return len(trajecten), len(doelen)


def _rode_vlaggen(school, mensen: _Mensen, dag, doel: int, kalender) -> int:
    """Red flags logged in lessons of the school day before `dag` that
    nobody acknowledged: each is escalated to the director."""
    rng = mensen.rng
    gisteren = kalender.schooldagen_eerder(dag, 1)
    begin = datetime.datetime.combine(gisteren, datetime.time.min, tzinfo=BRUSSEL)
    tekort = (
        doel
        - Vlag.objects.filter(
            school=school,
            kleur=VlagKleur.ROOD,
            erkend_op__isnull=True,
            aangemaakt__gte=begin,
            aangemaakt__lt=begin + datetime.timedelta(days=1),
        ).count()
    )
    if tekort <= 0:
        return 0
    vlaggen, betrokkenen = [], []
    for _ in range(tekort):
        leerling_id = rng.choice(mensen.leerlingen)
        klas_id = mensen.klas_van[leerling_id]
        uur, minuut = rng.choice(LESUREN)
        moment = datetime.datetime.combine(
            gisteren, datetime.time(uur, minuut), tzinfo=BRUSSEL
        ) + datetime.timedelta(minutes=rng.randint(0, 45))
        vlaggen.append(
            Vlag(
                school_id=school.pk,
                klas_id=klas_id,
                kleur=VlagKleur.ROOD,
                moment=moment,
                omschrijving="Vechtpartij in de klas.",
                reeds_gedaan="Leerling naar het onthaal gestuurd.",
                gemeld_door_id=rng.choice(mensen.leraren.get(klas_id) or mensen.personeel),
                status=Vlag.Status.OPEN,
                aangemaakt=moment,
            )
        )
        betrokkenen.append(leerling_id)
    vlaggen = vlaggen_bulk_aanmaken(vlaggen, batch_size=BATCH)
    _bulk(
        VlagBetrokkene,
        (
            VlagBetrokkene(vlag_id=v.pk, leerling_id=ll, rol=VlagBetrokkene.Rol.BETROKKEN)
            for v, ll in zip(vlaggen, betrokkenen, strict=True)
        ),
    )
    return len(vlaggen)


def _cel(school, dag, kalender) -> int:
    """The cell the care coordinators prepare on `dag`, planned (the demo
    plans its next cell by its own simpler calendar: a holiday may differ)."""
    celdag = volgende_celdag(school, dag, kalender)
    if celdag is None:
        return 0
    moment = datetime.datetime.combine(celdag, datetime.time(CEL_UUR), tzinfo=BRUSSEL)
    if (
        Overleg.objects.cellen()
        .filter(school=school, moment__date=celdag)
        .exclude(status=Overleg.Status.AFGESLOTEN)
        .exists()
    ):
        return 0
    coordinator = zorgcoordinatoren(school.pk)[0]
    Overleg.objects.create(
        school=school,
        soort=OverlegSoort.CEL,
        moment=moment,
        voorzitter=coordinator,
        aangemaakt_door=coordinator,
    )
    return 1


class _Teller:
    """Counts the SQL statements executed (connection.execute_wrapper), by
    their first word, without the debug cursor's copies of every query."""

    def __init__(self):
        self.soorten: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.soorten[sql.lstrip(" (").split(None, 1)[0].upper()] += 1
        return execute(sql, params, many, context)

    @property
    def totaal(self) -> int:
        return sum(self.soorten.values())


def _run(nu: datetime.datetime) -> dict:
    voor_h = Herinnering.objects.aggregate(m=Max("pk"))["m"] or 0
    voor_m = Melding.objects.count()
    teller = _Teller()
    # The demo's people are made up: should Celery run eagerly (no Redis),
    # the e-mails go nowhere.
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
        connection.execute_wrapper(teller),
    ):
        start = time.perf_counter()
        aantal = herinneringen_alle_scholen(nu=nu)
        seconden = time.perf_counter() - start
    per_soort = dict(
        Counter(
            Herinnering.objects.filter(pk__gt=voor_h).values_list("soort", flat=True).iterator()
        ).most_common()
    )
    return {
        "seconds": round(seconden, 2),
        "queries": teller.totaal,
        "queries_by_kind": dict(teller.soorten.most_common()),
        "reminders": aantal,
        "reminders_by_kind": per_soort,
        "notifications": Melding.objects.count() - voor_m,
    }


def herinneringen_meten(nu: datetime.datetime) -> dict:
    """The reminder run of every school at `nu`, twice: the figures of each."""
    eerste = _run(nu)
    tweede = _run(nu)
    return {
        "at": nu.isoformat(timespec="minutes"),
        "schools": School.objects.count(),
        "celery_eager": bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)),
        "limit_seconds": MAXIMUM_SECONDEN,
        "first_run": eerste,
        "second_run": tweede,
    }
