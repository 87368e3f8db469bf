"""The demo's behaviour flags: a school year of them in bulk (with each
student's timeline entries and the pattern signals they add up to), and two
red flags of this morning logged through the real service, so the care
coordinator's start page shows the alert waiting to be acknowledged."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from leerlingen.models import (
    Inschrijving,
    Klas,
    Signaal,
    TijdlijnItem,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
)
from leerlingen.services.vlaggen import patroon_begin, tijdlijn_items_voor_vlag, vlag_registreren
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from zorg.accounts.models import School, SchoolType, User
from zorg.demo import kalender
from zorg.demo.vlaggen import bulk_vlaggen

PER_LEERLING = 10
MAXIMUM_PER_SCHOOL = 25_000
BATCH = 2_000


def vlaggen_vullen(*, seed: int, titularis_email: str) -> int:
    totaal = 0
    for school in School.objects.exclude(schooltype=SchoolType.DKO).order_by("pk"):
        leerlingen = Inschrijving.objects.actief().filter(klas__schooljaar__school=school).count()
        aantal = min(leerlingen * PER_LEERLING, MAXIMUM_PER_SCHOOL)
        totaal += bulk_vlaggen(school, aantal, seed + school.pk)
        totaal += _patroon_verzekeren(school)
    _tijdlijn_aanvullen()
    _signalen_berekenen()
    totaal += _rode_vlaggen_van_vanochtend(titularis_email)
    return totaal


@transaction.atomic
def _tijdlijn_aanvullen() -> None:
    """Timeline entries, from each student's side, for the bulk flags."""
    namen = {u.pk: str(u) for u in User.objects.all()}
    betrokkenen: dict[int, list[tuple[int, str]]] = {}
    for vlag_id, leerling_id, rol in VlagBetrokkene.objects.order_by("pk").values_list(
        "vlag_id", "leerling_id", "rol"
    ):
        betrokkenen.setdefault(vlag_id, []).append((leerling_id, rol))
    items: list[TijdlijnItem] = []
    for vlag in Vlag.objects.order_by("pk").iterator(chunk_size=BATCH):
        items += tijdlijn_items_voor_vlag(
            vlag, betrokkenen.get(vlag.pk, []), namen.get(vlag.gemeld_door_id, "")
        )
        if len(items) >= BATCH:
            TijdlijnItem.objects.bulk_create(items)
            items = []
    TijdlijnItem.objects.bulk_create(items)


def _patroon_verzekeren(school) -> int:
    """The README promises pattern signals: whether random flags add up to
    one in the last window is chance. If none does in `school`, the student
    with most yellow and orange flags there gets the missing yellow ones on
    the school days before the last flag, in the class of their last flag,
    as a teacher would log them. Returns the number of flags added."""
    laatste = Vlag.objects.filter(school=school).aggregate(laatste=Max("moment"))["laatste"]
    if laatste is None:
        return 0
    per_leerling = (
        VlagBetrokkene.objects.filter(
            vlag__school=school,
            vlag__kleur__in=[VlagKleur.GEEL, VlagKleur.ORANJE],
            vlag__moment__gte=patroon_begin(laatste, school.patroon_dagen),
            vlag__moment__lte=laatste,
        )
        .values("leerling_id")
        .annotate(aantal=Count("vlag_id"))
        .order_by("-aantal", "leerling_id")
    )
    kandidaat = per_leerling.first()
    tekort = school.patroon_aantal - (kandidaat["aantal"] if kandidaat else 0)
    if tekort <= 0:
        return 0
    betrokkenen = VlagBetrokkene.objects.filter(vlag__school=school)
    if kandidaat:
        betrokkenen = betrokkenen.filter(leerling_id=kandidaat["leerling_id"])
    vorige = betrokkenen.select_related("vlag").order_by("-vlag__moment").first()
    # On the school days before the last flag, mid-morning: within the window.
    dagen, dag = [], timezone.localdate(laatste)
    for _ in range(tekort):
        dag = kalender.vorige_schooldag(dag)
        dagen.append(dag)
    nieuw = [
        Vlag(
            school_id=school.pk,
            klas_id=vorige.vlag.klas_id,
            kleur=VlagKleur.GEEL,
            moment=timezone.make_aware(datetime.datetime.combine(dag, datetime.time(10, 15))),
            vak_id=vorige.vlag.vak_id,
            omschrijving="Zit op de gsm in de les.",
            gemeld_door_id=vorige.vlag.gemeld_door_id,
        )
        for dag in dagen
    ]
    vlaggen_bulk_aanmaken(nieuw)
    VlagBetrokkene.objects.bulk_create(
        VlagBetrokkene(vlag=vlag, leerling_id=vorige.leerling_id, rol="betrokken") for vlag in nieuw
    )
    return tekort


def _signalen_berekenen() -> None:
    """An open pattern signal for every student with enough yellow or orange
    flags in the weeks before the last flag, as logging them one by one
    would have raised. Nobody handled them yet: on the first school day or
    in the summer, those are the signals of the last weeks of lessons."""
    laatste = Vlag.objects.aggregate(laatste=Max("moment"))["laatste"]
    if laatste is None:
        return
    # The service's own window, so the demo's signals are the ones it raises.
    sinds = patroon_begin(laatste)
    patronen = (
        VlagBetrokkene.objects.filter(
            vlag__kleur__in=[VlagKleur.GEEL, VlagKleur.ORANJE],
            vlag__moment__gte=sinds,
            vlag__moment__lte=laatste,
        )
        .values("leerling_id")
        .annotate(aantal=Count("vlag_id"), van=Min("vlag__moment"), tot=Max("vlag__moment"))
        .filter(aantal__gte=settings.ZORG_PATROON_AANTAL)
    )
    Signaal.objects.bulk_create(
        Signaal(
            leerling_id=rij["leerling_id"],
            soort=Signaal.Soort.PATROON,
            van=timezone.localtime(rij["van"]).date(),
            tot=timezone.localtime(rij["tot"]).date(),
            aantal=rij["aantal"],
            aangemaakt=rij["tot"],
        )
        for rij in patronen
    )


def _vanochtend(nu: datetime.datetime, minuten: int, deel: float) -> datetime.datetime:
    """`minuten` before now, but today (local time) even just after
    midnight: then at `deel` of the time since midnight. Never in the future."""
    middernacht = timezone.localtime(nu).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(nu - datetime.timedelta(minutes=minuten), middernacht + (nu - middernacht) * deel)


def _rode_vlaggen_van_vanochtend(titularis_email: str) -> int:
    titularis = User.objects.filter(email=titularis_email).first()
    klas = Klas.objects.filter(klastitularissen=titularis, schooljaar__is_huidig=True).first()
    if klas is None:
        return 0
    leerlingen = [
        i.leerling
        for i in Inschrijving.objects.actief()
        .filter(klas=klas)
        .select_related("leerling")
        .order_by("leerling__achternaam")[:3]
    ]
    if len(leerlingen) < 3:
        return 0
    nu = timezone.now()
    vlag_registreren(
        klas=klas,
        door=titularis,
        kleur=VlagKleur.ROOD,
        moment=_vanochtend(nu, 40, 1 / 3),
        leerlingen_met_rol=[(leerlingen[0], "betrokken"), (leerlingen[1], "getroffen")],
        omschrijving="Ruzie liep uit de hand: duwen en roepen, de les kon niet verder.",
        reeds_gedaan="Beide leerlingen apart gezet en de leerlingbegeleiding gebeld.",
        sleutel=uuid.uuid5(uuid.NAMESPACE_URL, f"zorg-demo-rood-1-{klas.pk}"),
    )
    vlag_registreren(
        klas=klas,
        door=titularis,
        kleur=VlagKleur.ROOD,
        moment=_vanochtend(nu, 10, 2 / 3),
        leerlingen_met_rol=[(leerlingen[2], "betrokken")],
        omschrijving="Weigerde na een time-out terug te keren en verliet het lokaal.",
        reeds_gedaan="Onthaal verwittigd.",
        sleutel=uuid.uuid5(uuid.NAMESPACE_URL, f"zorg-demo-rood-2-{klas.pk}"),
    )
    return 2
