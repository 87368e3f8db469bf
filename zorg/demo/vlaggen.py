"""A school year of behaviour flags, written in bulk: for the demo and for
`manage.py bench` (the trend views at the scale of a large school).

Realistic rather than uniform: about 35 % green, 35 % yellow, 22 % orange and
8 % red; most incidents concern one student, some two or three of the same
class; yellow, orange and red flags cluster on a minority of students (so
patterns show), green flags are spread evenly; flags fall on school days in
lesson hours, logged by a teacher of the class with that teacher's subject.
Red flags are acknowledged by a care coordinator within the hour; older
flags are closed (a red one with a restorative conversation first).

Written with bulk inserts in batches, without a query per flag. No audit
events or notifications: loading a seed is not a user action. Timeline
entries are left to the flag service's own bulk path (the demo adds them)."""

from __future__ import annotations

import datetime
import random
import zoneinfo
from itertools import accumulate

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from leerlingen.models import (
    Inschrijving,
    Lesopdracht,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    VlagOpvolging,
)
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from zorg.accounts.models import Lidmaatschap, Rol, Schooljaar
from zorg.demo import kalender

BRUSSEL = zoneinfo.ZoneInfo(settings.TIME_ZONE)
KLEURMIX = [
    (VlagKleur.GROEN, 35),
    (VlagKleur.GEEL, 35),
    (VlagKleur.ORANJE, 22),
    (VlagKleur.ROOD, 8),
]
# Lesson starts of a secondary school; Wednesday afternoon is free.
LESUREN = [(8, 25), (9, 15), (10, 20), (11, 10), (12, 55), (13, 45), (14, 50), (15, 40)]
BATCH = 2000
AFGESLOTEN_NA = datetime.timedelta(days=14)

OMSCHRIJVINGEN = {
    VlagKleur.GROEN: [
        "Hielp spontaan een klasgenoot met de oefening.",
        "Werkte de hele les geconcentreerd door.",
        "Stelde een goede vraag en bracht de klas verder.",
        "Nam het initiatief in de groepsopdracht.",
        "Zat klaar met het materiaal bij het begin van de les.",
    ],
    VlagKleur.GEEL: [
        "Zat op de gsm tijdens de uitleg.",
        "Had het materiaal niet bij.",
        "Zat te dromen en begon niet aan de opdracht.",
        "Kwam te laat in de les.",
        "Taak niet gemaakt.",
    ],
    VlagKleur.ORANJE: [
        "Praatte voortdurend en stoorde de klasgenoten.",
        "Maakte lawaai tijdens de toets.",
        "Liep rond in de klas en hield anderen van het werk.",
        "Lachte een klasgenoot uit tijdens een presentatie.",
    ],
    VlagKleur.ROOD: [
        "Verbale agressie tegenover de leerkracht; lesgeven werd onmogelijk.",
        "Vechtpartij in de klas.",
        "Weigerde herhaaldelijk de klas te verlaten na een time-out.",
        "Gooide met materiaal; een klasgenoot raakte gekwetst.",
    ],
}
REEDS_GEDAAN = {
    VlagKleur.GEEL: ["Aangesproken in de les.", "Gsm laten wegleggen."],
    VlagKleur.ORANJE: ["Van plaats laten veranderen.", "Kort gesprek na de les."],
    VlagKleur.ROOD: [
        "Time-out gegeven en leerlingbegeleiding gebeld.",
        "Leerling naar het onthaal gestuurd.",
    ],
}


def _periode() -> tuple[datetime.date, datetime.date]:
    """From where the demo's history begins until yesterday: flags are never
    in the future. Early in a school year that reaches back into the
    previous one (see kalender)."""
    vandaag = timezone.localdate()
    return kalender.geschiedenis_begin(vandaag), vandaag - datetime.timedelta(days=1)


def _klassen(inschrijvingen) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Per class its students, and per student their class (the first)."""
    per_klas: dict[int, list[int]] = {}
    klas_van: dict[int, int] = {}
    for klas_id, leerling_id in inschrijvingen.order_by("klas_id", "leerling_id").values_list(
        "klas_id", "leerling_id"
    ):
        if leerling_id not in klas_van:
            per_klas.setdefault(klas_id, []).append(leerling_id)
            klas_van[leerling_id] = klas_id
    return per_klas, klas_van


def bulk_vlaggen(school, aantal: int, seed: int, *, batch: int = BATCH) -> int:
    """Write `aantal` flags for the students currently enrolled in `school`
    (with their VlagBetrokkene rows, and follow-ups of closed red flags).
    Same seed, same flags (bar the random `sleutel`). Returns the number of
    flags written; 0 when the school has no students this year."""
    rng = random.Random(seed)
    per_klas, klas_van = _klassen(
        Inschrijving.objects.actief().filter(klas__schooljaar__school=school)
    )
    if not klas_van or aantal <= 0:
        return 0
    # Flags on days of last school year are in the class the student was in
    # then (when they were at the school).
    jaar = Schooljaar.objects.filter(school=school, is_huidig=True).first()
    vorige_per_klas, vorige_klas_van = _klassen(
        Inschrijving.objects.filter(
            klas__schooljaar__school=school,
            klas__schooljaar__is_huidig=False,
            leerling_id__in=list(klas_van),
        )
    )
    per_klas.update(vorige_per_klas)
    lessen: dict[int, list[tuple[int, int]]] = {}
    for klas_id, leerkracht_id, vak_id in (
        Lesopdracht.objects.filter(klas_id__in=list(per_klas))
        .order_by("pk")
        .values_list("klas_id", "leerkracht_id", "vak_id")
    ):
        lessen.setdefault(klas_id, []).append((leerkracht_id, vak_id))
    leden = list(
        Lidmaatschap.objects.filter(school=school, actief=True)
        .order_by("pk")
        .values_list("user_id", "rol")
    )
    zorg = [u for u, rol in leden if rol == Rol.ZORGCOORDINATOR] or [
        u for u, rol in leden if rol == Rol.DIRECTIE
    ]
    melders = [u for u, rol in leden if rol == Rol.LEERKRACHT] or zorg
    if not melders:
        raise ValueError(f"{school} has no staff to log flags")

    van, tot = _periode()
    dagen = kalender.schooldagen(van, tot)
    # A heavy tail: a minority of students collects most non-green flags,
    # the same students in both school years.
    gewicht = {ll: min(rng.paretovariate(1.3), 30.0) for ll in klas_van}
    pools = {}
    for naam, klassen in (("huidig", klas_van), ("vorig", vorige_klas_van)):
        leerlingen = list(klassen)
        pools[naam] = (klassen, leerlingen, list(accumulate(gewicht[ll] for ll in leerlingen)))
    kleuren = [k for k, _ in KLEURMIX]
    kleur_gewichten = [g for _, g in KLEURMIX]
    nu = timezone.now()

    geschreven = 0
    with transaction.atomic():
        while geschreven < aantal:
            n = min(batch, aantal - geschreven)
            vlaggen: list[Vlag] = []
            groepen: list[list[int]] = []
            for kleur in rng.choices(kleuren, weights=kleur_gewichten, k=n):
                dag = rng.choice(dagen)
                vorig = jaar is not None and dag < jaar.begin and vorige_klas_van
                klassen, leerlingen, gewichten = pools["vorig" if vorig else "huidig"]
                if kleur == VlagKleur.GROEN:
                    hoofd = rng.choice(leerlingen)
                else:
                    hoofd = rng.choices(leerlingen, cum_weights=gewichten)[0]
                klas_id = klassen[hoofd]
                groep = [hoofd]
                extra = rng.choices((0, 1, 2), weights=(80, 15, 5))[0]
                klasgenoten = [x for x in per_klas[klas_id] if x != hoofd]
                groep += rng.sample(klasgenoten, min(extra, len(klasgenoten)))
                uren = LESUREN[:4] if dag.weekday() == 2 else LESUREN
                uur, minuut = rng.choice(uren)
                moment = datetime.datetime.combine(
                    dag, datetime.time(uur, minuut), tzinfo=BRUSSEL
                ) + datetime.timedelta(minutes=rng.randint(0, 45))
                melder, vak = (
                    rng.choice(lessen[klas_id])
                    if lessen.get(klas_id)
                    else (rng.choice(melders), None)
                )
                oud = nu - moment > AFGESLOTEN_NA
                vlag = Vlag(
                    school_id=school.pk,
                    klas_id=klas_id,
                    kleur=kleur,
                    moment=moment,
                    vak_id=vak,
                    omschrijving=rng.choice(OMSCHRIJVINGEN[kleur]),
                    reeds_gedaan=rng.choice(REEDS_GEDAAN[kleur]) if kleur in REEDS_GEDAAN else "",
                    gemeld_door_id=melder,
                    status=Vlag.Status.AFGESLOTEN if oud else Vlag.Status.OPEN,
                    aangemaakt=moment,
                )
                if kleur == VlagKleur.ROOD and zorg:
                    coordinator = rng.choice(zorg)
                    vlag.erkend_op = moment + datetime.timedelta(minutes=rng.randint(5, 60))
                    vlag.erkend_door_id = coordinator
                    vlag.opgenomen_door_id = coordinator
                    if not oud:
                        vlag.status = Vlag.Status.IN_OPVOLGING
                elif kleur == VlagKleur.ROOD:
                    vlag.status = Vlag.Status.OPEN
                vlaggen.append(vlag)
                groepen.append(groep)
            vlaggen_bulk_aanmaken(vlaggen)
            rollen = (VlagBetrokkene.Rol.GETROFFEN, VlagBetrokkene.Rol.GETUIGE)
            VlagBetrokkene.objects.bulk_create(
                VlagBetrokkene(
                    vlag_id=vlag.pk,
                    leerling_id=leerling_id,
                    rol=VlagBetrokkene.Rol.BETROKKEN if i == 0 else rng.choice(rollen),
                )
                for vlag, groep in zip(vlaggen, groepen, strict=True)
                for i, leerling_id in enumerate(groep)
            )
            VlagOpvolging.objects.bulk_create(
                VlagOpvolging(
                    vlag_id=vlag.pk,
                    soort=VlagOpvolging.Soort.HERSTELGESPREK,
                    datum=timezone.localtime(vlag.erkend_op, BRUSSEL).date(),
                    notities="Herstelgesprek met de leerling en de leerkracht.",
                    door_id=vlag.erkend_door_id,
                )
                for vlag in vlaggen
                if vlag.kleur == VlagKleur.ROOD and vlag.status == Vlag.Status.AFGESLOTEN
            )
            geschreven += n
    return geschreven
