"""The demo's meetings, written through the real services so they obey every
rule the app enforces: the last weekly care cells (agenda taken from Zorg's
proposals, notes, decisions that write measures and action items, closed
minutes), a portrait class council at the start of the year and a guiding
class council for the class teacher's class, a few requests to discuss a
student, and the next care cell, planned, its agenda still to be prepared.

Meetings fall on school days (kalender). Early in a school year and in the
summer the last cells are those of the end of the previous school year, and
the next one is the first after today, in September if need be; a class
council that lies ahead is planned, not yet held.

Action items of past meetings are a mix of done, open and overdue by the
cell's place among the last ones (not by the date), so the owners' start
pages show what a real school's would on any day. Deterministic for a seed
and a date."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from klassenraad.agenda import voorstellen
from klassenraad.models import Actiepunt, BeslissingSoort, Bespreekvraag, OverlegSoort
from klassenraad.services.actiepunten import (
    ActiepuntGegevens,
    actiepunt_afhandelen,
    is_mogelijke_eigenaar,
)
from klassenraad.services.agenda import agenda_aanvaarden, bespreekvraag_maken, leerling_toevoegen
from klassenraad.services.beslissingen import beslissing_registreren
from klassenraad.services.overleggen import (
    notities_opslaan,
    notulen_opslaan,
    overleg_afsluiten,
    overleg_plannen,
)
from klassenraad.services.remediering import Keuze, remedieringen_selecteren
from leerlingen import domeinen
from leerlingen.models import Bereik, Klas, Lesopdracht, MaatregelSoort, Vak
from leerlingen.services.maatregelen import MaatregelGegevens
from zorg.accounts.models import CLBMedewerker, Rol, School, SchoolType, User
from zorg.demo import kalender
from zorg.demo.leden import eerste_met_rol

# Past care cells per school (the most recent weeks) and students per cell.
CELLEN = 8
PER_CEL = 5
CEL_UUR = 13  # the cell meets over lunch
CEL_WEEKDAG = 3  # on Thursday
# Of the past cells, newest first: the last OPEN_CELLEN leave their action
# items open (due ahead), the ACHTERSTALLIGE_CELLEN before them overdue, the
# rest done.
OPEN_CELLEN = 2
ACHTERSTALLIGE_CELLEN = 2

NOTITIES = [
    "Besproken met de klastitularis: de leerling trekt zich terug in de klas.",
    "Ouders zijn op de hoogte; thuis merken ze hetzelfde.",
    "Leerkrachten zien vooruitgang sinds de maatregel loopt.",
    "Vlaggen vooral in de namiddag; de leerling is dan moe.",
    "De leerling vraagt zelf om een vast aanspreekpunt.",
]
MAATREGELEN = [
    (MaatregelSoort.COMPENSEREND, "Extra tijd bij toetsen", Bereik.TOETSEN, domeinen.LEREN),
    (
        MaatregelSoort.STIMULEREND,
        "Dagelijkse check-in bij de leerlingbegeleider",
        Bereik.ALLE_VAKKEN,
        domeinen.PSYCHOSOCIAAL,
    ),
    (
        MaatregelSoort.DIFFERENTIEREND,
        "Rustige werkplek vooraan in de klas",
        Bereik.ALLE_VAKKEN,
        domeinen.LEREN,
    ),
]
ACTIES = [
    "Ouders opbellen en de afspraken van de cel toelichten",
    "Met de leerling een gesprek voeren over de vlaggen van deze week",
    "Klasleerkrachten informeren over de nieuwe maatregel",
    "Oudergesprek plannen en voeren",
]


def overleggen_vullen(*, seed: int, titularis_email: str, leerkracht_email: str) -> int:
    """Meetings for every school with a care coordinator; returns how many."""
    rng = random.Random(seed * 104729 + 3)
    aantal = 0
    vandaag = timezone.localdate()
    for school in School.objects.exclude(schooltype=SchoolType.DKO).order_by("pk"):
        with transaction.atomic():
            aantal += _school_vullen(school, rng, vandaag, titularis_email, leerkracht_email)
    return aantal


def _school_vullen(school, rng, vandaag, titularis_email, leerkracht_email) -> int:
    coordinator = eerste_met_rol(school, Rol.ZORGCOORDINATOR)
    if coordinator is None:
        return 0
    # The school's settings say when its cell meets: the reminder to prepare
    # the agenda comes the school day before.
    School.objects.filter(pk=school.pk).update(
        zorgcel_weekdag=CEL_WEEKDAG, zorgcel_uur=datetime.time(CEL_UUR, 0)
    )
    directie = eerste_met_rol(school, Rol.DIRECTIE)
    clb = [
        m.user
        for m in CLBMedewerker.objects.filter(clb__scholen=school, actief=True).select_related(
            "user"
        )[:1]
    ]
    klassen = list(
        Klas.objects.filter(schooljaar__school=school, schooljaar__is_huidig=True)
        .select_related("schooljaar")
        .prefetch_related("klastitularissen")
        .order_by("leerjaar", "naam")
    )
    if not klassen:
        return 0
    jaarbegin = klassen[0].schooljaar.begin
    titularis = User.objects.filter(email=titularis_email, titularis_van__in=klassen).first()
    titularis_klas = next(
        (k for k in klassen if titularis and titularis in k.klastitularissen.all()), None
    )
    aantal = 0

    # The portrait class councils of the first days of the year.
    for klas in ([titularis_klas] if titularis_klas else []) + [
        k for k in klassen[:2] if k != titularis_klas
    ]:
        aantal += _portret(klas, coordinator, rng, jaarbegin, vandaag)

    # Requests to discuss a student, by a teacher of their class.
    leerkracht = User.objects.filter(email=leerkracht_email).first()
    _bespreekvragen(school, leerkracht, rng)

    # The last weekly care cells, oldest first.
    dagen = []
    dag = vandaag
    while len(dagen) < CELLEN:
        dag = kalender.vorige_schooldag(dag)
        if dag.weekday() == CEL_WEEKDAG:
            dagen.append(dag)
    deelnemers = [u for u in (coordinator, directie, *clb) if u]
    eigenaren = [coordinator] + ([titularis] if titularis else [])
    for rang, dag in reversed(list(enumerate(dagen))):
        _cel(school, dag, rang, coordinator, deelnemers, eigenaren, rng, vandaag, titularis_klas)
        aantal += 1

    # A guiding class council for the class teacher's class, last week.
    if titularis_klas and titularis:
        _begeleidend(titularis_klas, coordinator, titularis, rng, vandaag)
        aantal += 1

    # The next cell: planned, its agenda still to be prepared.
    overleg_plannen(
        school=school,
        soort=OverlegSoort.CEL,
        moment=_moment(kalender.volgende_schooldag(vandaag, CEL_WEEKDAG)),
        voorzitter=coordinator,
        deelnemers=deelnemers,
        door=coordinator,
    )
    return aantal + 1


def _moment(dag: datetime.date, uur: int = CEL_UUR) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time(uur, 0)))


def _portret(klas, coordinator, rng, jaarbegin, vandaag) -> int:
    dag = kalender.volgende_schooldag(jaarbegin + datetime.timedelta(days=1))
    team = list(User.objects.filter(lesopdrachten__klas=klas).distinct().order_by("pk")[:4]) + list(
        klas.klastitularissen.all()
    )
    overleg = overleg_plannen(
        school=klas.schooljaar.school,
        soort=OverlegSoort.PORTRET,
        moment=_moment(dag, 16),
        voorzitter=coordinator,
        deelnemers=team,
        klas=klas,
        door=coordinator,
    )
    if overleg.moment > timezone.now():
        return 1  # the first days of the year: still ahead
    for punt in list(overleg.agendapunten.select_related("leerling")[:6]):
        notities_opslaan(
            agendapunt=punt,
            notities=rng.choice(NOTITIES),
            besproken=True,
            versie=punt.versie,
            door=coordinator,
        )
    overleg.refresh_from_db()
    overleg_afsluiten(overleg=overleg, versie=overleg.versie, door=coordinator)
    return 1


def _remediering_selecteren(overleg, klas, coordinator) -> None:
    """The council selects who gets remediation: the whole class first, one
    student in the same subject."""
    vak = Vak.objects.filter(lesopdrachten__klas=klas).order_by("naam").first()
    leerlingen = klas.huidige_leerlingen()
    if vak is None or not leerlingen:
        return
    remedieringen_selecteren(
        overleg=overleg,
        keuzes=[
            Keuze(vak=vak, aanpak="differentiatie"),
            Keuze(vak=vak, aanpak="remediering", leerling=leerlingen[-1]),
        ],
        begin=timezone.localdate(overleg.moment),
        aantal_weken=6,
        door=coordinator,
    )


def _bespreekvragen(school, leerkracht, rng) -> None:
    if leerkracht is None:
        return
    klas_ids = list(
        Lesopdracht.objects.filter(leerkracht=leerkracht, klas__schooljaar__school=school)
        .values_list("klas_id", flat=True)
        .distinct()[:1]
    )
    if not klas_ids:
        return
    klas = Klas.objects.get(pk=klas_ids[0])
    for leerling, waar, reden in zip(
        klas.huidige_leerlingen()[3:5],
        (Bespreekvraag.Waar.CEL, Bespreekvraag.Waar.KLASSENRAAD),
        (
            "Komt de laatste weken vaak te laat en lijkt afwezig in de les.",
            "Haalt sinds de herfstvakantie veel lagere punten voor wiskunde.",
        ),
        strict=False,
    ):
        bespreekvraag_maken(leerling=leerling, waar=waar, reden=reden, door=leerkracht)


def _cel(school, dag, rang, coordinator, deelnemers, eigenaren, rng, vandaag, titularis_klas):
    overleg = overleg_plannen(
        school=school,
        soort=OverlegSoort.CEL,
        moment=_moment(dag),
        voorzitter=coordinator,
        deelnemers=deelnemers,
        door=coordinator,
    )
    gekozen = [v.leerling.pk for v in voorstellen(overleg)[:PER_CEL]]
    if not gekozen:
        overleg.refresh_from_db()
        overleg_afsluiten(overleg=overleg, versie=overleg.versie, door=coordinator)
        return
    punten = agenda_aanvaarden(overleg=overleg, leerling_ids=gekozen, door=coordinator)
    if titularis_klas is not None and OPEN_CELLEN <= rang < OPEN_CELLEN + ACHTERSTALLIGE_CELLEN:
        # The class teacher brings one of their students to the cells whose
        # action items are now overdue, so their start page has some too,
        # whichever students the signals of those weeks happened to propose.
        klasleerlingen = sorted(titularis_klas.huidige_leerlingen(), key=lambda lln: lln.pk)
        if klasleerlingen and not {p.leerling_id for p in punten} & {
            leerling.pk for leerling in klasleerlingen
        }:
            leerling = klasleerlingen[rang % len(klasleerlingen)]
            if leerling.pk not in gekozen:
                punten.append(
                    leerling_toevoegen(
                        overleg=overleg,
                        leerling=leerling,
                        reden="Gevraagd door de klastitularis.",
                        door=coordinator,
                    )
                )
    for i, punt in enumerate(punten):
        notities_opslaan(
            agendapunt=punt,
            notities=rng.choice(NOTITIES),
            besproken=True,
            versie=punt.versie,
            door=coordinator,
        )
        _beslissing(overleg, punt.leerling, i, rang, coordinator, eigenaren, dag, vandaag)
    overleg.refresh_from_db()
    notulen_opslaan(
        overleg=overleg,
        notulen="Alle voorgestelde leerlingen besproken. Volgende cel zelfde uur.",
        versie=overleg.versie,
        door=coordinator,
    )
    overleg.refresh_from_db()
    overleg_afsluiten(overleg=overleg, versie=overleg.versie, door=coordinator)


def _beslissing(overleg, leerling, i, rang, coordinator, eigenaren, dag, vandaag) -> None:
    # Only who may read the student's care content owns an item about them:
    # the class teacher for the students they teach, else the coordinator,
    # who also takes the first item of every cell (so both have overdue
    # items, whichever students the signals happened to propose).
    eigenaar = next(
        (u for u in reversed(eigenaren) if i > 0 and is_mogelijke_eigenaar(u, leerling)),
        coordinator,
    )
    # Due dates lie ahead when recorded (the rule); some are moved into the
    # past below to show overdue items, as a school year would have them.
    actie = ActiepuntGegevens(
        omschrijving=ACTIES[i % len(ACTIES)],
        eigenaar=eigenaar,
        vervaldatum=vandaag + datetime.timedelta(days=7 + i),
    )
    if i % 3 == 0:
        soort, titel, bereik, domein = MAATREGELEN[i % len(MAATREGELEN)]
        beslissing = beslissing_registreren(
            overleg=overleg,
            leerling=leerling,
            soort=BeslissingSoort.MAATREGEL_STARTEN,
            tekst=f"We starten met ‘{titel}’.",
            door=coordinator,
            maatregel_gegevens=MaatregelGegevens(
                soort=soort,
                titel=titel,
                domeinen=domein,
                bereik=bereik,
                begin=dag,
                evaluatiedatum=dag + datetime.timedelta(weeks=8),
                beslist_waar=str(overleg),
            ),
            actiepunt=actie,
        )
    elif i % 3 == 1:
        beslissing = beslissing_registreren(
            overleg=overleg,
            leerling=leerling,
            soort=BeslissingSoort.OUDERGESPREK,
            tekst="De ouders uitnodigen om samen te kijken wat thuis en op school helpt.",
            door=coordinator,
            actiepunt=actie,
        )
    else:
        beslissing = beslissing_registreren(
            overleg=overleg,
            leerling=leerling,
            soort=BeslissingSoort.ACTIEPUNT,
            tekst="Opvolgen bij de klastitularis.",
            door=coordinator,
            actiepunt=actie,
        )
    actiepunt = Actiepunt.objects.get(beslissing=beslissing)
    if rang >= OPEN_CELLEN + ACHTERSTALLIGE_CELLEN:
        actiepunt_afhandelen(
            actiepunt=actiepunt,
            status=Actiepunt.Status.AFGEROND,
            resultaat="Gedaan; besproken op de volgende cel.",
            versie=actiepunt.versie,
            door=actiepunt.eigenaar,
        )
    elif rang >= OPEN_CELLEN:
        # Overdue: what the owner's start page highlights.
        verval = min(dag + datetime.timedelta(days=14), vandaag - datetime.timedelta(days=1))
        Actiepunt.objects.filter(pk=actiepunt.pk).update(vervaldatum=verval)


def _begeleidend(klas, coordinator, titularis, rng, vandaag) -> None:
    dag = kalender.vorige_schooldag(vandaag - datetime.timedelta(days=4))
    if dag < klas.schooljaar.begin:
        # The class's first guiding council is still ahead.
        dag = kalender.volgende_schooldag(
            max(vandaag, klas.schooljaar.begin) + datetime.timedelta(weeks=3)
        )
    team = list(User.objects.filter(lesopdrachten__klas=klas).distinct().order_by("pk")[:6])
    overleg = overleg_plannen(
        school=klas.schooljaar.school,
        soort=OverlegSoort.BEGELEIDEND,
        moment=_moment(dag, 16),
        voorzitter=coordinator,
        deelnemers=[titularis, *team],
        klas=klas,
        door=coordinator,
    )
    if overleg.moment > timezone.now():
        return
    gekozen = [v.leerling.pk for v in voorstellen(overleg)[:4]]
    if gekozen:
        punten = agenda_aanvaarden(overleg=overleg, leerling_ids=gekozen, door=coordinator)
        for i, punt in enumerate(punten):
            notities_opslaan(
                agendapunt=punt,
                notities=rng.choice(NOTITIES),
                besproken=True,
                versie=punt.versie,
                door=titularis,
            )
            if i == 0:
                beslissing_registreren(
                    overleg=overleg,
                    leerling=punt.leerling,
                    soort=BeslissingSoort.AFSPRAAK,
                    tekst="Alle leerkrachten geven de leerling een vaste plaats vooraan.",
                    door=coordinator,
                    actiepunt=ActiepuntGegevens(
                        omschrijving="Na twee weken bij de collega's navragen of het helpt",
                        eigenaar=titularis,
                        vervaldatum=vandaag + datetime.timedelta(days=8),
                    ),
                )
    _remediering_selecteren(overleg, klas, coordinator)
    overleg.refresh_from_db()
    overleg_afsluiten(overleg=overleg, versie=overleg.versie, door=coordinator)
