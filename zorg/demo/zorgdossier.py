"""The demo's care record: phases, observations, measures with evaluations,
talks and intakes, written through the real services so the demo obeys every
rule the app enforces (and shows on every timeline and in the audit trail).

Deterministic for a seed and a date. A realistic spread: most students stay
in broad basic care, some move to increased care, a few to extended care or
an individually adapted curriculum, and some come back down. The shares are
fixed, not drawn, with a floor for extended care, so the CLB's demo always
has the referrals it needs (kalender says which days the record lies on)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min

from leerlingen import domeinen
from leerlingen.models import (
    Bereik,
    Gesprek,
    Inschrijving,
    Lesopdracht,
    Maatregel,
    MaatregelEvaluatie,
    MaatregelSoort,
    ObservatieSoort,
    Zichtbaarheid,
    Zorgfase,
)
from leerlingen.services.gesprekken import gesprek_maken
from leerlingen.services.intake import intake_opslaan
from leerlingen.services.maatregelen import (
    MaatregelGegevens,
    catalogus_item_maken,
    maatregel_evalueren,
    maatregel_maken,
)
from leerlingen.services.observaties import observatie_maken
from leerlingen.services.zorgfase import zorgfase_wijzigen
from zorg.accounts.models import Rol, School
from zorg.demo import kalender
from zorg.demo.leden import eerste_met_rol

CATALOGUS = [
    (MaatregelSoort.COMPENSEREND, "Extra tijd bij toetsen", Bereik.TOETSEN, domeinen.LEREN),
    (
        MaatregelSoort.COMPENSEREND,
        "Laptop met voorleessoftware",
        Bereik.ALLE_VAKKEN,
        domeinen.LEREN,
    ),
    (
        MaatregelSoort.DISPENSEREND,
        "Geen quotering voor spelling",
        Bereik.ALLE_VAKKEN,
        domeinen.LEREN,
    ),
    (
        MaatregelSoort.DIFFERENTIEREND,
        "Toetsen in een aparte ruimte",
        Bereik.TOETSEN,
        domeinen.LEREN,
    ),
    (MaatregelSoort.COMPENSEREND, "Rekenkaart gebruiken", Bereik.GEKOZEN_VAKKEN, domeinen.LEREN),
    (MaatregelSoort.COMPENSEREND, "Vergrote kopieën", Bereik.ALLE_VAKKEN, domeinen.LEREN),
    (
        MaatregelSoort.STIMULEREND,
        "Positieve feedback na elke les in de schoolagenda",
        Bereik.ALLE_VAKKEN,
        domeinen.PSYCHOSOCIAAL,
    ),
    (
        MaatregelSoort.REMEDIEREND,
        "Wekelijkse remediëring lezen",
        Bereik.GEKOZEN_VAKKEN,
        domeinen.LEREN,
    ),
    (
        MaatregelSoort.DIFFERENTIEREND,
        "Vaste plaats vooraan in de klas",
        Bereik.ALLE_VAKKEN,
        domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
    ),
    (
        MaatregelSoort.STIMULEREND,
        "Time-outkaart: even naar het leerlingensecretariaat",
        Bereik.ALLE_VAKKEN,
        domeinen.PSYCHOSOCIAAL,
    ),
]

STERKTES = [
    (domeinen.PSYCHOSOCIAAL, "Helpt spontaan een klasgenoot die vastzit met de oefeningen."),
    (domeinen.LEREN, "Werkt geconcentreerd en plant zijn taken goed in de schoolagenda."),
    (domeinen.LEREN, "Stelt goede vragen tijdens de les en durft te zeggen wat niet duidelijk is."),
    (domeinen.LOOPBAAN, "Toont veel interesse in techniek; sterk tijdens het STEM-project."),
    (domeinen.PSYCHOSOCIAAL, "Neemt de rol van groepsverantwoordelijke ernstig en met zorg op."),
    (domeinen.GEZONDHEID, "Is opvallend actief en enthousiast tijdens de lessen LO."),
]
ZORGEN = [
    (domeinen.LEREN, "Haalt de deadlines niet; taken zijn vaak onvolledig."),
    (domeinen.LEREN, "Leest erg traag en raadt woorden; begrijpend lezen lukt moeilijk."),
    (domeinen.PSYCHOSOCIAAL, "Zit de laatste weken vaak alleen op de speelplaats."),
    (domeinen.PSYCHOSOCIAAL, "Reageert erg gespannen vóór toetsen; huilde vandaag bij wiskunde."),
    (domeinen.GEZONDHEID, "Komt vaak moe naar school en lijkt niet te ontbijten."),
    (domeinen.LOOPBAAN, "Twijfelt sterk aan de studiekeuze; praat over overstappen."),
    (
        domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
        "Kan zich moeilijk concentreren en stoort daardoor ook anderen.",
    ),
]
OUDERAFSPRAKEN = [
    "Ouders volgen de schoolagenda dagelijks op en tekenen af.",
    "Mama neemt contact op met de huisarts; we bekijken het opnieuw binnen zes weken.",
    "Leerling gebruikt de laptop met voorleessoftware ook thuis; ouders installeren de licentie.",
    "Wekelijks kort mailcontact tussen klastitularis en ouders over de planning.",
]


@dataclass
class Telling:
    leerlingen: int = 0
    fasewijzigingen: int = 0
    observaties: int = 0
    maatregelen: int = 0
    evaluaties: int = 0
    gesprekken: int = 0
    intakes: int = 0


# Referrals to the CLB each school served needs at least (the CLB's demo
# accepts most and keeps one waiting), and students in the IAC.
MINIMUM_UITBREIDING = 7
MINIMUM_IAC = 1


def _datums(rng: random.Random, van: datetime.date, tot: datetime.date, aantal: int):
    """`aantal` non-decreasing school days in [van, tot] (`van` itself when
    there is no school day in between)."""
    dagen = kalender.schooldagen(van, tot) or [van]
    if len(dagen) >= aantal:
        return sorted(rng.sample(dagen, aantal))
    return sorted(rng.choices(dagen, k=aantal))


def _doelen(aantal: int, met_uitbreiding: bool) -> list[str]:
    """Where the chosen students' care leads, most escalated first: fixed
    shares (5 % IAC, 10 % extended care, 30 % increased care) with a floor."""
    iac = max(MINIMUM_IAC, round(aantal * 0.05))
    uitbreiding = max(MINIMUM_UITBREIDING, round(aantal * 0.10)) if met_uitbreiding else 0
    uitbreiding = min(uitbreiding, max(0, aantal - iac))
    iac = min(iac, aantal)
    verhoogd = min(round(aantal * 0.30), aantal - iac - uitbreiding)
    basiszorg = aantal - iac - uitbreiding - verhoogd
    return (
        ["iac"] * iac
        + ["uitbreiding"] * uitbreiding
        + ["verhoogd"] * verhoogd
        + ["basiszorg"] * basiszorg
    )


def zorgdossier_vullen(*, seed: int, vandaag: datetime.date, per_school: int = 150) -> Telling:
    """Give up to `per_school` students per school a care record."""
    rng = random.Random(seed * 7919 + 17)
    telling = Telling()
    for school in School.objects.order_by("pk"):
        with transaction.atomic():
            _school_vullen(school, rng, vandaag, per_school, telling)
    return telling


def _school_vullen(school, rng, vandaag, per_school, telling):
    coordinator = eerste_met_rol(school, Rol.ZORGCOORDINATOR)
    if coordinator is None:
        return
    catalogus = [
        catalogus_item_maken(
            school_id=school.pk,
            soort=soort,
            titel=titel,
            bereik=bereik,
            domeinen=domein,
            door=coordinator,
        )
        for soort, titel, bereik, domein in CATALOGUS
    ]
    fasen = {
        f.soort: f for f in Zorgfase.objects.filter(schooltype=school.schooltype).order_by("nummer")
    }
    inschrijvingen = list(
        Inschrijving.objects.actief()
        .filter(leerling__school=school)
        .select_related("leerling__zorgfase", "klas__schooljaar")
        .order_by("leerling_id")
    )
    if not inschrijvingen:
        return
    van = kalender.geschiedenis_begin(vandaag)
    # A student's record starts when they came to the school.
    sinds = dict(
        Inschrijving.objects.filter(leerling__school=school)
        .values("leerling_id")
        .annotate(eerste=Min("begin"))
        .values_list("leerling_id", "eerste")
    )
    lessen: dict[int, list] = {}
    for les in Lesopdracht.objects.filter(
        klas__in={i.klas_id for i in inschrijvingen}
    ).select_related("leerkracht", "vak"):
        lessen.setdefault(les.klas_id, []).append(les)

    aantal = min(per_school, max(1, len(inschrijvingen) // 4))
    gekozen = rng.sample(inschrijvingen, aantal)
    gekozen.sort(key=lambda i: i.leerling_id)
    begin = {i.leerling_id: max(van, sinds[i.leerling_id]) for i in gekozen}
    # Only a student who has been at school for a while can have come this
    # far up the continuum; newcomers of the first days stay in basic care.
    lang_genoeg = [
        i.leerling_id
        for i in gekozen
        if len(kalender.schooldagen(begin[i.leerling_id], vandaag)) >= kalender.MINIMUM_SCHOOLDAGEN
    ]
    doelen = _doelen(len(lang_genoeg), "uitbreiding" in fasen)
    rng.shuffle(doelen)
    doel_van = dict(zip(lang_genoeg, doelen, strict=True))
    for volgnummer, inschrijving in enumerate(gekozen):
        leerling = inschrijving.leerling
        klaslessen = lessen.get(inschrijving.klas_id) or []
        doel = doel_van.get(leerling.pk, "basiszorg")
        _leerling_vullen(
            leerling=leerling,
            doel=doel,
            fasen=fasen,
            catalogus=catalogus,
            klaslessen=klaslessen,
            coordinator=coordinator,
            rng=rng,
            begin=begin[leerling.pk],
            vandaag=vandaag,
            telling=telling,
            met_intake=volgnummer % 6 == 0,
            afschalen=doel == "verhoogd" and volgnummer % 5 == 0,
        )
        telling.leerlingen += 1


def _leerling_vullen(
    *,
    leerling,
    doel,
    fasen,
    catalogus,
    klaslessen,
    coordinator,
    rng,
    begin,
    vandaag,
    telling,
    met_intake,
    afschalen,
):
    datums = iter(_datums(rng, begin, vandaag, 12))
    leerkracht = rng.choice(klaslessen).leerkracht if klaslessen else coordinator

    if met_intake:
        intake_opslaan(
            leerling=leerling,
            door=coordinator,
            versie=0,
            datum=begin,
            vorige_school=rng.choice(
                ["Basisschool De Regenboog", "GBS De Linde", "VBS Sint-Martinus", ""]
            ),
            onderwijsbehoeften=rng.choice(
                [
                    "Ouders melden dyslexie (diagnose in het vijfde leerjaar). "
                    "Heeft baat bij voorleessoftware en extra tijd.",
                    "Ouders melden faalangst bij toetsen; op de vorige school hielp "
                    "een rustige plaats tijdens toetsen.",
                    "Vermoeden van ADHD, in onderzoek bij de kinderpsychiater.",
                ]
            ),
            attesten=rng.choice(["Diagnoseverslag dyslexie (2024)", "", "Verslag logopedie"]),
        )
        telling.intakes += 1

    # Observations: strengths count too (HGW).
    for _ in range(rng.randint(1, 3)):
        sterkte = rng.random() < 0.45
        domein, tekst = rng.choice(STERKTES if sterkte else ZORGEN)
        observatie_maken(
            leerling=leerling,
            auteur=leerkracht,
            datum=next(datums),
            domeinen=domein,
            soort=ObservatieSoort.STERKTE if sterkte else ObservatieSoort.ZORG,
            tekst=tekst,
            zichtbaarheid=Zichtbaarheid.KLASTEAM,
        )
        telling.observaties += 1
    if doel == "basiszorg":
        return

    gesprek_maken(
        leerling=leerling,
        door=coordinator,
        datum=next(datums),
        soort=Gesprek.Soort.OUDERS,
        deelnemers="Moeder, klastitularis, zorgcoördinator",
        samenvatting="Bezorgdheden van school en thuis besproken; ouders herkennen het beeld.",
        afspraken=rng.choice(OUDERAFSPRAKEN),
        domeinen=domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
    )
    telling.gesprekken += 1
    _fase(leerling, fasen, "verhoogd", coordinator, next(datums), "Begeleidende klassenraad")
    telling.fasewijzigingen += 1

    maatregelen = []
    for item in rng.sample(catalogus, rng.randint(1, 3)):
        vakken = ()
        bereik = item.bereik
        if bereik == Bereik.GEKOZEN_VAKKEN:
            if klaslessen:
                vakken = (rng.choice(klaslessen).vak,)
            else:
                bereik = Bereik.ALLE_VAKKEN
        start = next(datums)
        maatregel = maatregel_maken(
            leerling=leerling,
            gegevens=MaatregelGegevens(
                soort=item.soort,
                titel=item.titel,
                domeinen=item.domeinen,
                bereik=item.bereik
                if vakken or item.bereik != Bereik.GEKOZEN_VAKKEN
                else "alle_vakken",
                vakken=vakken,
                begin=start,
                evaluatiedatum=min(start + datetime.timedelta(days=42), vandaag),
                beslist_waar="Begeleidende klassenraad",
                ouders_akkoord=True,
                ouders_akkoord_op=start,
                stem_leerling="Vindt het fijn dat dit afgesproken is.",
                status=Maatregel.Status.ACTIEF,
            ),
            door=coordinator,
            catalogus_item=item,
        )
        maatregelen.append(maatregel)
        telling.maatregelen += 1

    for maatregel in maatregelen[:1]:
        datum = max(maatregel.evaluatiedatum, maatregel.begin)
        if datum >= vandaag:
            continue
        effect = rng.choice(list(MaatregelEvaluatie.Effect))
        stoppen = afschalen or effect == MaatregelEvaluatie.Effect.WERKT_NIET
        maatregel_evalueren(
            maatregel=maatregel,
            datum=datum,
            effect=effect,
            beslissing=(
                MaatregelEvaluatie.Beslissing.STOPPEN
                if stoppen
                else MaatregelEvaluatie.Beslissing.VERDERZETTEN
            ),
            notities="Besproken op de klassenraad; leerkrachten zien vooruitgang."
            if effect != MaatregelEvaluatie.Effect.WERKT_NIET
            else "Geen verbetering merkbaar; we zoeken een andere aanpak.",
            volgende_evaluatie=None if stoppen else datum + datetime.timedelta(days=56),
            door=coordinator,
        )
        telling.evaluaties += 1

    if afschalen:
        datum = max(next(datums), maatregelen[0].begin)
        if datum <= vandaag:
            _fase(leerling, fasen, "basiszorg", coordinator, datum, "Begeleidende klassenraad")
            telling.fasewijzigingen += 1
        return
    if doel == "verhoogd":
        return

    if "uitbreiding" in fasen:
        _fase(
            leerling,
            fasen,
            "uitbreiding",
            coordinator,
            next(datums),
            "Cel leerlingbegeleiding",
            hulpvraag="Hoe kunnen we de leerling ondersteunen bij lezen en plannen, nu de "
            "maatregelen in de klas onvoldoende helpen?",
        )
        telling.fasewijzigingen += 1
    if doel != "iac":
        return
    gesprek_maken(
        leerling=leerling,
        door=coordinator,
        datum=next(datums),
        soort=Gesprek.Soort.CLB,
        deelnemers="CLB-medewerker, zorgcoördinator",
        samenvatting="HGD-traject overlopen; het CLB adviseert een individueel aangepast "
        "curriculum.",
        afspraken="Het CLB schrijft het verslag voor het IAC.",
        domeinen=domeinen.LEREN | domeinen.LOOPBAAN,
    )
    gesprek_maken(
        leerling=leerling,
        door=coordinator,
        datum=next(datums),
        soort=Gesprek.Soort.OUDERS,
        deelnemers="Ouders, CLB-medewerker, zorgcoördinator, directie",
        samenvatting="Advies van het CLB besproken; ouders gaan akkoord met een IAC.",
        afspraken="Ouders tekenen het verslag; start van het IAC na de vakantie.",
        domeinen=domeinen.LEREN | domeinen.LOOPBAAN,
    )
    telling.gesprekken += 2
    _fase(
        leerling,
        fasen,
        "iac",
        coordinator,
        next(datums),
        "Klassenraad met ouders en CLB",
        maatregelen_ontoereikend=True,
    )
    telling.fasewijzigingen += 1


def _fase(leerling, fasen, soort, door, datum, waar, **extra):
    leerling.refresh_from_db(fields=["zorgfase"])
    van = leerling.zorgfase
    return zorgfase_wijzigen(
        leerling=leerling,
        naar=fasen[soort],
        van=van,
        datum=datum,
        reden={
            "verhoogd": "Maatregelen in de klas nodig: de signalen van de leerkrachten houden aan.",
            "uitbreiding": "De maatregelen in fase 1 volstaan niet; het CLB wordt betrokken.",
            "iac": "Ondanks alle maatregelen en het HGD-traject kan de leerling het "
            "gemeenschappelijk curriculum niet volgen.",
            "basiszorg": "De maatregelen werken; de leerling redt het weer met brede basiszorg.",
        }[soort],
        beslist_waar=waar,
        door=door,
        **extra,
    )
