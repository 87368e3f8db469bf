"""The demo's HGD trajectories, written through the CLB's real services so
they obey every rule the app enforces.

For CLB Leiedal (its worker clb@clb-leiedal.example) a few of the referrals
waiting in each school it serves (the demo's phase changes to extended care
made them) are accepted, with trajectories at different stages: intake,
strategy, investigation, advice, follow-up, one closed with the advice
implemented at school and one, for a referred student already in the IAC
phase, closed with the report for an IAC. Each has shared goals (reviews ahead), needs,
advice and agreements, and the CLB's own notes, investigations and
third-party information ("Vertrouwelijk: ..."), and its participants. The
newest referral of each school keeps waiting, so the CLB's start page shows
it. Every stage and both outcomes, whatever the date: the care record
(zorgdossier) always makes enough referrals, and the scenarios are dealt
over all schools' referrals together. Deterministic for a seed and a date."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from clb.models import (
    Behoefte,
    Betrokkene,
    Doeltermijn,
    Laag,
    Trajectnotitie,
    Trajectstap,
    Uitkomst,
)
from clb.services import trajecten as services
from leerlingen.models import Aanmelding, Ouder, Zorgfase
from zorg.accounts.models import CLB, User

CLB_NAAM = "CLB Leiedal"
CLB_EMAIL = "clb@clb-leiedal.example"
# Trajectories per school for students not in the IAC phase (those in it
# all get one, closed with the report): the first school served gets more.
PER_SCHOOL = (5, 2)

# The scenarios, in the order the referrals (oldest first) get them.
INTAKE, STRATEGIE, ONDERZOEK, ADVIES, OPVOLGING, AFGESLOTEN, IAC = (
    "intake",
    "strategie",
    "onderzoek",
    "advies",
    "opvolging",
    "afgesloten",
    "iac",
)
SCENARIOS = [OPVOLGING, INTAKE, ADVIES, AFGESLOTEN, STRATEGIE, ONDERZOEK]
_S = Trajectstap
STAPPEN = {
    INTAKE: [],
    STRATEGIE: [_S.STRATEGIE],
    ONDERZOEK: [_S.STRATEGIE, _S.ONDERZOEK],
    ADVIES: [_S.STRATEGIE, _S.ONDERZOEK, _S.INDICERING, _S.ADVIES],
    OPVOLGING: [_S.STRATEGIE, _S.INDICERING, _S.ADVIES, _S.OPVOLGING],
    AFGESLOTEN: [_S.STRATEGIE, _S.INDICERING, _S.ADVIES, _S.OPVOLGING],
    IAC: [_S.STRATEGIE, _S.ONDERZOEK, _S.INDICERING, _S.ADVIES],
}

PERSPECTIEVEN = [
    "De leerling behaalt een A-attest en kiest met vertrouwen een studierichting.",
    "De leerling voelt zich veilig op school en neemt weer deel aan de lessen.",
    "De leerling leert met de nodige hulpmiddelen zelfstandig werken.",
]
DOELEN = [
    (Doeltermijn.KORT, "De leerling plant elke week zijn huiswerk in de schoolagenda."),
    (Doeltermijn.KORT, "De leerling vraagt zelf om de voorleessoftware bij toetsen."),
    (Doeltermijn.KORT, "De leerling komt elke ochtend op tijd naar school."),
    (Doeltermijn.MIDDELLANG, "De leerling haalt voor Nederlands en wiskunde weer een voldoende."),
    (Doeltermijn.MIDDELLANG, "De leerling werkt in de klas een lesuur zelfstandig door."),
]  # fmt: skip
BEHOEFTEN = [
    (
        Behoefte.Soort.ONDERWIJS,
        Behoefte.Van.LEERLING,
        "Heeft nood aan korte, duidelijke instructies en een stappenplan bij grotere taken.",
    ),
    (
        Behoefte.Soort.ONDERSTEUNING,
        Behoefte.Van.CONTEXT,
        "De leerkrachten hebben nood aan tips om het stappenplan in hun les te gebruiken.",
    ),
    (
        Behoefte.Soort.OPVOEDING,
        Behoefte.Van.CONTEXT,
        "De ouders willen weten hoe ze thuis het huiswerk kunnen ondersteunen zonder strijd.",
    ),
    (
        Behoefte.Soort.ONDERWIJS,
        Behoefte.Van.LEERLING,
        "Heeft baat bij een vaste, rustige plaats in de klas en bij toetsen.",
    ),
]
ADVIEZEN = [
    "Werk in alle vakken met een stappenplan op papier; laat de leerling het zelf afvinken.",
    "Geef bij toetsen extra tijd en de vragen ook digitaal met voorleessoftware.",
    "Voorzie een vaste vertrouwenspersoon bij wie de leerling 's ochtends even binnenloopt.",
]
AFSPRAKEN = [
    "De klastitularis bespreekt het stappenplan met de leerling; evaluatie op de volgende cel.",
    "Ouders en leerling plannen samen het huiswerk op zondagavond; het CLB belt na vier weken.",
    "De zorgcoördinator informeert het lerarenteam over het advies voor de volgende toetsenreeks.",
]
OVERLEG = [
    "Intakegesprek met de leerling en de ouders: de hulpvraag van de school samen bekeken.",
    "Overleg met de klastitularis en de zorgcoördinator over wat al geprobeerd werd.",
]
GEHEIM = {
    Trajectnotitie.Soort.NOTITIE: [
        "Vertrouwelijk: de ouders zijn sinds kort gescheiden; de leerling woont week om week.",
        "Vertrouwelijk: de leerling vertelt over piekeren 's nachts en weinig slaap.",
    ],
    Trajectnotitie.Soort.ONDERZOEK: [
        "Vertrouwelijk: intelligentieonderzoek (WISC-V): gemiddeld profiel, zwakke "
        "verwerkingssnelheid.",
        "Vertrouwelijk: leesonderzoek bevestigt een ernstige leesachterstand.",
    ],
    Trajectnotitie.Soort.DERDEN: [
        "Vertrouwelijk: verslag van de kinderpsychiater (ADHD, medicatie gestart).",
        "Vertrouwelijk: de logopediste meldt vooruitgang in het technisch lezen.",
    ],
}
PARTNERS = [
    (Betrokkene.Soort.LEERSTEUNCENTRUM, "An Desmet", "Leersteuncentrum Leieland"),
    (Betrokkene.Soort.CGG, "Pieter Vanneste", "CGG Zuid-West-Vlaanderen"),
    (Betrokkene.Soort.JAC, "Sara Maes", "JAC Kortrijk"),
]


def trajecten_vullen(*, seed: int) -> int:
    """Trajectories for every school CLB Leiedal serves; returns how many."""
    rng = random.Random(seed * 6151 + 29)
    clb = CLB.objects.filter(naam=CLB_NAAM).first()
    door = User.objects.filter(email=CLB_EMAIL, is_active=True).first()
    if clb is None or door is None:
        return 0
    collegas = list(
        User.objects.filter(
            is_active=True, clb_lidmaatschappen__clb=clb, clb_lidmaatschappen__actief=True
        )
        .exclude(pk=door.pk)
        .order_by("pk")
    )
    per_school = [
        _kandidaten(school, PER_SCHOOL[min(i, len(PER_SCHOOL) - 1)])
        for i, school in enumerate(clb.scholen.order_by("pk"))
    ]
    scenarios = _scenarios([a for lijst in per_school for a in lijst])
    aantal = 0
    for lijst in per_school:
        with transaction.atomic():
            for volgnummer, aanmelding in enumerate(lijst):
                # Most trajectories are led by the demo login, one by a colleague.
                begeleider = collegas[0] if collegas and volgnummer == 3 else door
                _traject(aanmelding, scenarios[aanmelding.pk], begeleider, door, rng)
                aantal += 1
    return aantal


def _is_iac(aanmelding) -> bool:
    return aanmelding.leerling.zorgfase.soort == Zorgfase.Soort.IAC


def _kandidaten(school, maximum) -> list[Aanmelding]:
    """The referrals the CLB accepts in `school`, oldest first: those of
    students in the IAC phase (whose trajectory ends with the report), and
    of the others at most `maximum`. The newest referral of a student in
    extended care keeps waiting."""
    wachtend = list(
        Aanmelding.objects.filter(leerling__school=school, status=Aanmelding.Status.OPEN)
        .select_related("leerling__zorgfase", "leerling__school")
        .order_by("datum", "pk")
    )
    blijft = next((a for a in reversed(wachtend) if not _is_iac(a)), None)
    anderen = [a for a in wachtend if a is not blijft and not _is_iac(a)]
    gekozen = [a for a in wachtend if _is_iac(a)] + anderen[:maximum]
    return sorted(gekozen, key=lambda a: (a.datum, a.pk))


def _scenarios(kandidaten) -> dict[int, str]:
    """A scenario per referral (by pk): the report for an IAC for a student
    in the IAC phase, the others dealt in turn over all schools, so every
    stage and both outcomes occur as soon as six are not in the IAC."""
    scenarios = {a.pk: IAC for a in kandidaten if _is_iac(a)}
    anderen = [a for a in kandidaten if not _is_iac(a)]
    for i, aanmelding in enumerate(anderen):
        scenarios[aanmelding.pk] = SCENARIOS[i % len(SCENARIOS)]
    return scenarios


def _traject(aanmelding, scenario, begeleider, door, rng) -> None:
    vandaag = timezone.localdate()
    traject = services.aanmelding_aanvaarden(
        aanmelding=aanmelding, begeleider=begeleider, door=door
    )
    leerling = aanmelding.leerling
    betrokkenen = [(Betrokkene.Soort.LEERLING, leerling.volledige_naam, "")]
    betrokkenen += [
        (Betrokkene.Soort.OUDERS, ouder.naam, ouder.get_relatie_display())
        for ouder in Ouder.objects.filter(leerling=leerling).order_by("pk")[:2]
    ]
    betrokkenen.append((Betrokkene.Soort.SCHOOL, "Zorgcoördinator", leerling.school.naam))
    for soort, naam, rol in betrokkenen:
        services.betrokkene_toevoegen(traject=traject, soort=soort, naam=naam, rol=rol, door=door)
    services.notitie_toevoegen(
        traject=traject,
        soort=Trajectnotitie.Soort.OVERLEG,
        datum=vandaag,
        tekst=OVERLEG[0],
        deelnemers="Leerling, ouders, CLB-medewerker",
        laag=Laag.GEDEELD,
        door=door,
    )
    _geheime_notitie(traject, Trajectnotitie.Soort.NOTITIE, door, rng, vandaag)
    if scenario == INTAKE:
        return

    for stap in STAPPEN[scenario]:
        traject = services.traject_wijzigen(
            traject=traject,
            versie=traject.versie,
            stap=stap,
            hulpvraag=traject.hulpvraag,
            perspectief=traject.perspectief or rng.choice(PERSPECTIEVEN),
            door=door,
        )
        if stap == Trajectstap.STRATEGIE:
            _strategie(traject, door, rng, vandaag)
        elif stap == Trajectstap.ONDERZOEK:
            _geheime_notitie(traject, Trajectnotitie.Soort.ONDERZOEK, door, rng, vandaag)
        elif stap == Trajectstap.ADVIES:
            _advies(traject, door, rng, vandaag)
        elif stap == Trajectstap.OPVOLGING:
            soort, naam, rol = rng.choice(PARTNERS)
            services.betrokkene_toevoegen(
                traject=traject, soort=soort, naam=naam, rol=rol, door=door
            )
            services.notitie_toevoegen(
                traject=traject,
                soort=Trajectnotitie.Soort.OVERLEG,
                datum=vandaag,
                tekst=OVERLEG[1],
                deelnemers="Klastitularis, zorgcoördinator, CLB-medewerker",
                laag=Laag.GEDEELD,
                door=door,
            )

    if scenario == AFGESLOTEN:
        services.traject_afsluiten(
            traject=traject,
            versie=traject.versie,
            uitkomst=Uitkomst.ADVIES_OP_SCHOOL,
            toelichting="Het advies werkt: de school zet de maatregelen verder in fase 1.",
            door=door,
        )
    elif scenario == IAC:
        services.traject_afsluiten(
            traject=traject,
            versie=traject.versie,
            uitkomst=Uitkomst.VERSLAG_IAC,
            toelichting="Het CLB schreef het verslag voor een individueel aangepast curriculum; "
            "de ouders tekenden het.",
            door=door,
        )


def _geheime_notitie(traject, soort, door, rng, vandaag) -> None:
    """A note that stays with the CLB (its kind's default layer), its text from GEHEIM."""
    services.notitie_toevoegen(
        traject=traject,
        soort=soort,
        datum=vandaag,
        tekst=rng.choice(GEHEIM[soort]),
        door=door,
    )


def _strategie(traject, door, rng, vandaag) -> None:
    for termijn, omschrijving in rng.sample(DOELEN, 2):
        services.doel_toevoegen(
            traject=traject,
            termijn=termijn,
            omschrijving=omschrijving,
            evaluatiedatum=vandaag + datetime.timedelta(days=rng.randint(10, 60)),
            laag=Laag.GEDEELD,
            door=door,
        )
    for soort, van, omschrijving in rng.sample(BEHOEFTEN, 2):
        services.behoefte_toevoegen(
            traject=traject,
            soort=soort,
            van=van,
            omschrijving=omschrijving,
            laag=Laag.GEDEELD,
            door=door,
        )
    _geheime_notitie(traject, Trajectnotitie.Soort.DERDEN, door, rng, vandaag)


def _advies(traject, door, rng, vandaag) -> None:
    services.notitie_toevoegen(
        traject=traject,
        soort=Trajectnotitie.Soort.ADVIES,
        datum=vandaag,
        tekst=rng.choice(ADVIEZEN),
        deelnemers="Leerling, ouders, klastitularis, zorgcoördinator, CLB-medewerker",
        door=door,
    )
    services.notitie_toevoegen(
        traject=traject,
        soort=Trajectnotitie.Soort.AFSPRAAK,
        datum=vandaag,
        tekst=rng.choice(AFSPRAKEN),
        door=door,
    )
    services.doel_toevoegen(
        traject=traject,
        termijn=Doeltermijn.MIDDELLANG,
        omschrijving="De leerling past het advies toe zonder hulp van de leerkracht.",
        evaluatiedatum=vandaag + datetime.timedelta(days=rng.randint(60, 120)),
        laag=Laag.GEDEELD,
        door=door,
    )
