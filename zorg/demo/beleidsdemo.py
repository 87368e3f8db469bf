"""The team's reflection on its care policy (zorgbeleid), written through
the real services: for last school year a final reflection on each of the
four quality expectations, decided in the autumn, with actions that were
done, cancelled (with the reason) or are still open, now overdue; for this
school year a draft for two of them, one of which takes up last year's
unfinished action again. So a director of the demo sees last year's
choices come back with what became of their actions.

Dates follow the day the demo runs on (kalender): last year's lie in last
school year, on school days; this year's actions fall due ahead. Last
year's rows get the moments they would have had (the services stamp
`now`), and the notifications their owners got then are read and old."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zorg.accounts.models import Lidmaatschap, Rol, School, Schooljaar, SchoolType, User
from zorg.demo import kalender
from zorg.demo.leden import eerste_met_rol
from zorg.meldingen.models import Melding
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting
from zorgbeleid.services import (
    actie_url,
    reflectie_bewaren,
    reflectie_definitief_maken,
    reflectieactie_afhandelen,
    reflectieactie_toevoegen,
)

AFGEROND, GEANNULEERD, OPEN = "afgerond", "geannuleerd", "open"
DIRECTIE, ZORG, LEERKRACHT, SECRETARIAAT = "directie", "zorg", "leerkracht", "secretariaat"


@dataclass(frozen=True)
class Actie:
    omschrijving: str
    eigenaar: str  # DIRECTIE, ZORG, LEERKRACHT or SECRETARIAAT
    maand: int  # due in this month of the school year (last year's) ...
    weken: int = 0  # ... or this many weeks from today (this year's)
    uitkomst: str = OPEN
    resultaat: str = ""


@dataclass(frozen=True)
class Keuzetekst:
    verwachting: str
    keuze: str
    redenering: str
    acties: tuple[Actie, ...]


VORIG_JAAR = (
    Keuzetekst(
        Verwachting.VISIE,
        Keuze.VERSTERKEN,
        "We volgen de effecten van onze maatregelen te weinig op: evaluaties gebeuren vaak "
        "te laat en het team ziet de cijfers van het zorgcontinuüm maar één keer per jaar.",
        (
            Actie(
                "Evaluatiedata van maatregelen vast op de agenda van de cel zetten",
                ZORG,
                11,
                uitkomst=AFGEROND,
                resultaat="Staat sinds november elke week op de agenda.",
            ),
            Actie(
                "Cijfers van het zorgcontinuüm toelichten op de personeelsvergadering",
                DIRECTIE,
                2,
                uitkomst=AFGEROND,
                resultaat="Toegelicht in februari; het team vroeg om cijfers per graad.",
            ),
        ),
    ),
    Keuzetekst(
        Verwachting.DOMEINEN,
        Keuze.OPSTARTEN,
        "Onderwijsloopbaan en preventieve gezondheidszorg komen in onze observaties bijna "
        "niet voor; we willen ze een vaste plaats geven.",
        (
            Actie(
                "Werkgroep studiekeuze opstarten samen met het CLB",
                ZORG,
                12,
                uitkomst=GEANNULEERD,
                resultaat="Het CLB neemt de studiekeuze op in zijn eigen aanbod voor de "
                "school; een aparte werkgroep is niet nodig.",
            ),
            Actie("Gezondheidsbeleid uitschrijven met de werkgroep welzijn", LEERKRACHT, 3),
        ),
    ),
    Keuzetekst(
        Verwachting.PASSEND,
        Keuze.BEHOUDEN,
        "Het zorgcontinuüm werkt: meer leerlingen gaan van fase 1 terug naar de brede "
        "basiszorg dan het jaar voordien. We houden de aanpak aan.",
        (
            Actie(
                "Vorming over redelijke aanpassingen voor nieuwe leerkrachten",
                ZORG,
                10,
                uitkomst=AFGEROND,
                resultaat="Gegeven aan zeven nieuwe collega's.",
            ),
            Actie("Overzicht van de maatregelen per klas delen bij elk trimester", ZORG, 4),
        ),
    ),
    Keuzetekst(
        Verwachting.SAMEN,
        Keuze.AFBOUWEN,
        "De aparte oudercontactavond voor zorgleerlingen bereikt weinig ouders; we kiezen "
        "voor gesprekken op maat wanneer het nodig is.",
        (
            Actie(
                "Ouders informeren dat de aparte zorgavond stopt",
                DIRECTIE,
                1,
                uitkomst=AFGEROND,
                resultaat="Brief meegegeven in januari.",
            ),
            Actie(
                "Sjabloon voor de uitnodiging tot een oudergesprek herwerken",
                SECRETARIAAT,
                3,
                uitkomst=GEANNULEERD,
                resultaat="Na bespreking volstaat het bestaande sjabloon.",
            ),
        ),
    ),
)

DIT_JAAR = (
    Keuzetekst(
        Verwachting.VISIE,
        Keuze.BEHOUDEN,
        "De cel bespreekt de evaluaties nu elke week en het team kreeg de cijfers te zien. "
        "Dat houden we aan; dit jaar ook per graad.",
        (
            Actie(
                "Cijfers van het zorgcontinuüm per graad voorbereiden voor de "
                "personeelsvergadering",
                DIRECTIE,
                0,
                weken=6,
            ),
        ),
    ),
    Keuzetekst(
        Verwachting.DOMEINEN,
        Keuze.VERSTERKEN,
        "Het gezondheidsbeleid raakte vorig jaar niet af. We nemen het opnieuw op, nu met "
        "een vaste trekker en een tussentijdse stand van zaken.",
        (
            Actie("Gezondheidsbeleid uitschrijven met de werkgroep welzijn", LEERKRACHT, 0, 10),
            Actie("Tussentijdse stand van het gezondheidsbeleid op de cel", ZORG, 0, 4),
        ),
    ),
)

BESLIST = (10, 15)  # last year's reflection was decided in mid-October


def reflecties_vullen(*, leerkracht_emails: list[str]) -> int:
    """The reflections of every school with a director and a care
    coordinator (not the arts academy: no care cell, no CLB); returns how
    many. A named teacher login owns the teacher's actions where there is
    one."""
    vandaag = timezone.localdate()
    aantal = 0
    for school in School.objects.exclude(schooltype=SchoolType.DKO).order_by("pk"):
        with transaction.atomic():
            aantal += _school_vullen(school, vandaag, leerkracht_emails)
    return aantal


def _mensen(school, leerkracht_emails) -> dict[str, User] | None:
    directie = eerste_met_rol(school, Rol.DIRECTIE)
    zorg = eerste_met_rol(school, Rol.ZORGCOORDINATOR)
    if directie is None or zorg is None:
        return None
    leerkracht_id = (
        Lidmaatschap.objects.filter(
            school=school, rol=Rol.LEERKRACHT, actief=True, user__email__in=leerkracht_emails
        )
        .order_by("pk")
        .values_list("user_id", flat=True)
        .first()
    )
    leerkracht = (
        User.objects.get(pk=leerkracht_id)
        if leerkracht_id
        else eerste_met_rol(school, Rol.LEERKRACHT)
    )
    return {
        DIRECTIE: directie,
        ZORG: zorg,
        LEERKRACHT: leerkracht or zorg,
        SECRETARIAAT: eerste_met_rol(school, Rol.SECRETARIAAT) or zorg,
    }


def _school_vullen(school, vandaag, leerkracht_emails) -> int:
    mensen = _mensen(school, leerkracht_emails)
    huidig = Schooljaar.objects.filter(school=school, is_huidig=True).first()
    if mensen is None or huidig is None:
        return 0
    vorig = huidig.vorige()
    aantal = 0
    if vorig is not None:
        for tekst in VORIG_JAAR:
            _vorig_jaar(vorig, tekst, mensen, vandaag)
            aantal += 1
    for tekst in DIT_JAAR:
        _dit_jaar(huidig, tekst, mensen, vandaag)
        aantal += 1
    return aantal


def _schooldag(dag: datetime.date) -> datetime.date:
    """`dag` if it is a school day, else the school day before it."""
    return dag if kalender.is_schooldag(dag) else kalender.vorige_schooldag(dag)


def _moment(dag: datetime.date, uur: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time(uur, 0)))


def _in_jaar(jaar: Schooljaar, maand: int, dag: int) -> datetime.date:
    """The date in `jaar` (September to June) of this month and day."""
    return datetime.date(jaar.begin.year + (maand < 9), maand, dag)


def _vorig_jaar(jaar: Schooljaar, tekst: Keuzetekst, mensen, vandaag) -> None:
    zorg, directie = mensen[ZORG], mensen[DIRECTIE]
    beslisdag = _schooldag(_in_jaar(jaar, *BESLIST))
    reflectie = reflectie_bewaren(
        schooljaar=jaar,
        verwachting=tekst.verwachting,
        keuze=tekst.keuze,
        redenering=tekst.redenering,
        versie=None,
        door=zorg,
    )
    acties = []
    for actie in tekst.acties:
        vervaldatum = _schooldag(_in_jaar(jaar, actie.maand, 20))
        rij = reflectieactie_toevoegen(
            reflectie=reflectie,
            omschrijving=actie.omschrijving,
            eigenaar=mensen[actie.eigenaar],
            vervaldatum=vervaldatum,
            door=zorg,
            vandaag=beslisdag,  # added when the team decided, last year
        )
        acties.append((actie, rij))
    reflectie.refresh_from_db()
    reflectie = reflectie_definitief_maken(
        reflectie=reflectie, versie=reflectie.versie, door=directie
    )
    beslist = _moment(beslisdag, 16)
    Reflectie.objects.filter(pk=reflectie.pk).update(aangemaakt=beslist, beslist_op=beslist)
    for actie, rij in acties:
        Reflectieactie.objects.filter(pk=rij.pk).update(aangemaakt=beslist)
        # What the owners heard then, read long ago.
        Melding.objects.filter(link=actie_url(rij)).update(
            aangemaakt=beslist,
            gelezen_op=beslist + datetime.timedelta(days=1),
            email_gevraagd=False,
            voor_samenvatting=False,
        )
        if actie.uitkomst == OPEN:
            continue  # still open: overdue since last school year
        rij = reflectieactie_afhandelen(
            actie=rij,
            status=actie.uitkomst,
            resultaat=actie.resultaat,
            versie=rij.versie,
            door=rij.eigenaar,
        )
        afgehandeld = _schooldag(rij.vervaldatum - datetime.timedelta(days=3))
        Reflectieactie.objects.filter(pk=rij.pk).update(afgehandeld_op=_moment(afgehandeld, 15))


def _dit_jaar(jaar: Schooljaar, tekst: Keuzetekst, mensen, vandaag) -> None:
    zorg = mensen[ZORG]
    reflectie = reflectie_bewaren(
        schooljaar=jaar,
        verwachting=tekst.verwachting,
        keuze=tekst.keuze,
        redenering=tekst.redenering,
        versie=None,
        door=zorg,
    )
    for actie in tekst.acties:
        reflectieactie_toevoegen(
            reflectie=reflectie,
            omschrijving=actie.omschrijving,
            eigenaar=mensen[actie.eigenaar],
            vervaldatum=kalender.volgende_schooldag(
                vandaag + datetime.timedelta(weeks=actie.weken)
            ),
            door=zorg,
        )
