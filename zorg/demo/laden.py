"""Loading the demo school group: `demo_laden()` builds the plan of a seed
(zorg.demo.plan), writes it with bulk inserts in batches inside one
transaction, without a query per student (`laad_plan()`), and then fills
the care record, the flags, the meetings, the CLB's trajectories and the
team's reflection on its care policy through the real services.

No audit events are written for the school group itself: loading a seed is
not a user action.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from leerlingen.models import Inschrijving, Klas, Leerling, Lesopdracht, Ouder, Vak, Zorgfase
from zorg.accounts.models import (
    CLB,
    Campus,
    CLBMedewerker,
    Groepsdirectie,
    Lidmaatschap,
    Scholengemeenschap,
    School,
    Schooljaar,
    SchoolType,
    User,
)
from zorg.demo.afwezigheiddemo import afwezigheden_vullen
from zorg.demo.beleidsdemo import reflecties_vullen
from zorg.demo.clbdemo import trajecten_vullen
from zorg.demo.levensloopdemo import levensloop_vullen
from zorg.demo.ouderbriefdemo import ouderbrieven_vullen
from zorg.demo.overlegdemo import overleggen_vullen
from zorg.demo.plan import (
    BAS,
    CLB_NAAM,
    DEMO_INSTELLINGSNUMMER,
    DEMO_WACHTWOORD,
    HUIDIG,
    LOGINS,
    SCHOLEN,
    SCHOLENGEMEENSCHAP,
    SEC,
    SEC_DOMEIN,
    VORIG,
    Plan,
    maak_plan,
)
from zorg.demo.portaaldemo import portaal_vullen
from zorg.demo.remedieringdemo import remedieringen_vullen
from zorg.demo.sodademo import soda_vullen
from zorg.demo.vlagdemo import vlaggen_vullen
from zorg.demo.zorgdossier import Telling, zorgdossier_vullen

BATCH = 2000
LEERLING_BLOK = 5000  # students written per round (with their enrolments and guardians)


class DemoFout(Exception):
    """The demo cannot be loaded into this database; the message says why."""


@dataclass(frozen=True)
class Geladen:
    """What demo_laden() wrote, and how long each step took (seconds)."""

    plan: Plan
    telling: dict[str, int]  # rows of the school group, by kind (see laad_plan)
    zorg: Telling
    vlaggen: int
    overleggen: int
    trajecten: int
    reflecties: int
    duur_plan: float
    duur_database: float
    duur_zorg: float

    @property
    def duur(self) -> float:
        return self.duur_plan + self.duur_database + self.duur_zorg


def demo_geladen() -> bool:
    return School.objects.filter(instellingsnummer=DEMO_INSTELLINGSNUMMER).exists()


def demo_laden(*, seed: int, studenten: int, dko: bool = False) -> Geladen:
    """Load the demo school group of `seed` into a database that holds none of
    its names (DemoFout otherwise), with its care record, flags, meetings,
    CLB trajectories and care-policy reflections up to today."""
    bezet = _bestaande_demo_gegevens()
    if bezet:
        raise DemoFout(
            "The database already holds data with the demo's names "
            f"({', '.join(bezet)}); load the demo into an empty database."
        )
    start = time.perf_counter()
    plan = maak_plan(seed=seed, studenten=studenten, dko=dko)
    gepland = time.perf_counter()
    telling = laad_plan(plan)
    _analyseer()
    geladen = time.perf_counter()
    # The demo's people are made up: the notifications its services raise
    # stay in the app, and no e-mail of theirs reaches the console (where
    # it would bury the logins) or a mail server.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        zorg = zorgdossier_vullen(seed=seed, vandaag=timezone.localdate())
        vlaggen = vlaggen_vullen(seed=seed, titularis_email=f"titularis@{SEC_DOMEIN}")
        overleggen = overleggen_vullen(
            seed=seed,
            titularis_email=f"titularis@{SEC_DOMEIN}",
            leerkracht_email=f"leerkracht@{SEC_DOMEIN}",
        )
        trajecten = trajecten_vullen(seed=seed)
        soda_vullen(seed=seed, leerkracht_email=f"leerkracht@{SEC_DOMEIN}")
        remedieringen_vullen(leerkracht_email=f"leerkracht@{SEC_DOMEIN}")
        afwezigheden_vullen(secretariaat_email=f"secretariaat@{SEC_DOMEIN}")
        ouderbrieven_vullen(vandaag=timezone.localdate())
        reflecties = reflecties_vullen(
            leerkracht_emails=[f"leerkracht@{SCHOLEN[s].domein}" for s in (SEC, BAS)]
        )
        portaal_vullen()
        levensloop_vullen(directie_email=f"directie@{SEC_DOMEIN}", vandaag=timezone.localdate())
    klaar = time.perf_counter()
    return Geladen(
        plan=plan,
        telling=telling,
        zorg=zorg,
        vlaggen=vlaggen,
        overleggen=overleggen,
        trajecten=trajecten,
        reflecties=reflecties,
        duur_plan=gepland - start,
        duur_database=geladen - gepland,
        duur_zorg=klaar - geladen,
    )


def _in_blokken(reeks, grootte):
    for i in range(0, len(reeks), grootte):
        yield reeks[i : i + grootte]


def laad_plan(plan: Plan) -> dict[str, int]:
    """Write a plan in one transaction with bulk inserts. Returns row counts."""
    fasen = {f.schooltype: f for f in Zorgfase.objects.filter(nummer=0, schooltype__in=SchoolType)}
    ontbrekend = {SCHOLEN[s].schooltype for s in plan.scholen} - set(fasen)
    if ontbrekend:
        raise DemoFout(
            f"Phase 0 is missing for school type(s) {', '.join(sorted(ontbrekend))}: "
            "run `manage.py migrate` first."
        )
    telling: dict[str, int] = {}
    with transaction.atomic():
        groep = Scholengemeenschap.objects.create(naam=SCHOLENGEMEENSCHAP)
        scholen = {
            s: School.objects.create(
                naam=SCHOLEN[s].naam,
                instellingsnummer=SCHOLEN[s].instellingsnummer,
                schooltype=SCHOLEN[s].schooltype,
                scholengemeenschap=groep,
            )
            for s in plan.scholen
        }
        campussen = {
            (s, naam): Campus(school=scholen[s], naam=naam)
            for s in plan.scholen
            for naam in SCHOLEN[s].campussen
        }
        Campus.objects.bulk_create(campussen.values())
        jaren = {}
        for s in plan.scholen:
            jaren[(s, HUIDIG)] = _schooljaar(scholen[s], plan.jaar, is_huidig=True)
            jaren[(s, VORIG)] = _schooljaar(scholen[s], plan.jaar - 1, is_huidig=False)
        Schooljaar.objects.bulk_create(jaren.values())
        vakken = {
            (s, naam): Vak(school=scholen[s], naam=naam)
            for s in plan.scholen
            for naam in SCHOLEN[s].vakken
        }
        Vak.objects.bulk_create(vakken.values())
        clb = CLB.objects.create(naam=CLB_NAAM)
        clb.scholen.add(*(scholen[s] for s in (SEC, BAS) if s in scholen))

        # Staff: one password hash for everyone (hashing is deliberately slow).
        wachtwoord = make_password(DEMO_WACHTWOORD)
        personen = [
            p for p in plan.personen if p.rollen or p.clb or p.superuser or p.groepsdirectie
        ]
        users = User.objects.bulk_create(
            [
                User(
                    email=p.email,
                    first_name=p.voornaam,
                    last_name=p.achternaam,
                    password=wachtwoord,
                    is_staff=p.superuser,
                    is_superuser=p.superuser,
                )
                for p in personen
            ],
            batch_size=BATCH,
        )
        user_id = {p.email: u.pk for p, u in zip(personen, users, strict=True)}
        pid = [user_id.get(p.email) for p in plan.personen]
        Lidmaatschap.objects.bulk_create(
            [
                Lidmaatschap(user_id=user_id[p.email], school_id=scholen[s].pk, rol=rol)
                for p in personen
                for s, rol in p.rollen
            ],
            batch_size=BATCH,
        )
        CLBMedewerker.objects.bulk_create(
            [CLBMedewerker(user_id=user_id[p.email], clb=clb) for p in personen if p.clb]
        )
        Groepsdirectie.objects.bulk_create(
            [
                Groepsdirectie(user_id=user_id[p.email], scholengemeenschap=groep)
                for p in personen
                if p.groepsdirectie
            ]
        )
        telling["gebruikers"] = len(users)

        klassen = Klas.objects.bulk_create(
            [
                Klas(
                    schooljaar_id=jaren[(k.school, k.jaar)].pk,
                    campus_id=campussen[(k.school, k.campus)].pk if k.campus else None,
                    naam=k.naam,
                    leerjaar=k.leerjaar,
                )
                for k in plan.klassen
            ],
            batch_size=BATCH,
        )
        klas_ids = [k.pk for k in klassen]
        Titularis = Klas.klastitularissen.through
        Titularis.objects.bulk_create(
            [
                Titularis(klas_id=klas_ids[i], user_id=pid[p])
                for i, k in enumerate(plan.klassen)
                for p in k.titularissen
            ],
            batch_size=BATCH,
        )
        lesopdrachten = [
            Lesopdracht(leerkracht_id=pid[p], klas_id=klas_ids[i], vak_id=vakken[(k.school, v)].pk)
            for i, k in enumerate(plan.klassen)
            for p, v in k.lesopdrachten
        ]
        Lesopdracht.objects.bulk_create(lesopdrachten, batch_size=BATCH)
        telling["klassen"] = len(klassen)
        telling["lesopdrachten"] = len(lesopdrachten)

        school_id = {s: scholen[s].pk for s in plan.scholen}
        fase_id = {s: fasen[SCHOLEN[s].schooltype].pk for s in plan.scholen}
        telling["leerlingen"] = telling["inschrijvingen"] = telling["ouders"] = 0
        for blok in _in_blokken(plan.leerlingen, LEERLING_BLOK):
            rijen = Leerling.objects.bulk_create(
                [
                    Leerling(
                        school_id=school_id[ll.school],
                        leerlingnummer=ll.leerlingnummer,
                        voornaam=ll.voornaam,
                        achternaam=ll.achternaam,
                        geboortedatum=ll.geboortedatum,
                        zorgfase_id=fase_id[ll.school],
                    )
                    for ll in blok
                ],
                batch_size=BATCH,
            )
            inschrijvingen = [
                Inschrijving(
                    leerling_id=rij.pk,
                    klas_id=klas_ids[k],
                    begin=begin,
                    einde=einde,
                    reden_einde=reden,
                )
                for ll, rij in zip(blok, rijen, strict=True)
                for k, begin, einde, reden in ll.inschrijvingen
            ]
            Inschrijving.objects.bulk_create(inschrijvingen, batch_size=BATCH)
            ouders = [
                Ouder(
                    leerling_id=rij.pk,
                    naam=o.naam,
                    relatie=o.relatie,
                    telefoon=o.telefoon,
                    email=o.email,
                    adres=o.adres,
                    is_contactpersoon=o.is_contactpersoon,
                )
                for ll, rij in zip(blok, rijen, strict=True)
                for o in ll.ouders
            ]
            Ouder.objects.bulk_create(ouders, batch_size=BATCH)
            telling["leerlingen"] += len(rijen)
            telling["inschrijvingen"] += len(inschrijvingen)
            telling["ouders"] += len(ouders)
    return telling


def _schooljaar(school: School, startjaar: int, *, is_huidig: bool) -> Schooljaar:
    return Schooljaar(
        school=school,
        naam=f"{startjaar}-{startjaar + 1}",
        begin=date(startjaar, 9, 1),
        # The school year runs until 31 August: in the summer the current
        # school year is the one that is ending.
        einde=date(startjaar + 1, 8, 31),
        is_huidig=is_huidig,
    )


def _bestaande_demo_gegevens() -> list[str]:
    """What of the demo's fixed names is already taken by other data."""
    gevonden = []
    nummers = [s.instellingsnummer for s in SCHOLEN.values()]
    for nummer in School.objects.filter(instellingsnummer__in=nummers).values_list(
        "instellingsnummer", flat=True
    ):
        gevonden.append(f"school {nummer}")
    if Scholengemeenschap.objects.filter(naam=SCHOLENGEMEENSCHAP).exists():
        gevonden.append(SCHOLENGEMEENSCHAP)
    if CLB.objects.filter(naam=CLB_NAAM).exists():
        gevonden.append(CLB_NAAM)
    emails = [email for _, email in LOGINS]
    gevonden.extend(User.objects.filter(email__in=emails).values_list("email", flat=True))
    return gevonden


def _analyseer() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would do a
    little later."""
    if connection.vendor != "postgresql":
        return
    tabellen = [
        m._meta.db_table
        for m in (User, Lidmaatschap, Klas, Lesopdracht, Leerling, Inschrijving, Ouder)
    ]
    tabellen.append(Klas.klastitularissen.through._meta.db_table)
    with connection.cursor() as cursor:
        for tabel in tabellen:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(tabel)}")
