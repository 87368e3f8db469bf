"""Keeping the flag counts (models.vlagtellingen) equal to the flags.

Every save and delete of a flag changes the counts of its day, colour,
school and class in the same transaction (the signals below, so no path
that writes a flag can forget it: the service, a correction, the retention
job deleting a student's record, the admin). Paths that bypass signals
(`bulk_create`: the demo and the benchmark data) go through
`vlaggen_bulk_aanmaken`; `vlagtellingen_herbouwen` counts a period again
from the flags (`manage.py vlagtellingen_herbouwen`).

A flag's day is its Brussels calendar day: a flag on Sunday at 23:30
belongs to that Sunday, also on the night the clocks change."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .models import Vlag, VlagtellingKlas, VlagtellingSchool

BRUSSEL = zoneinfo.ZoneInfo(settings.TIME_ZONE)

# (school id, class id or None, colour, Brussels day)
Sleutel = tuple[int, int | None, str, datetime.date]

_TELT = {"school", "school_id", "klas", "klas_id", "kleur", "moment"}


def dag_van(moment: datetime.datetime) -> datetime.date:
    if timezone.is_aware(moment):
        return moment.astimezone(BRUSSEL).date()
    return moment.date()


def sleutel(vlag: Vlag) -> Sleutel:
    return (vlag.school_id, vlag.klas_id, vlag.kleur, dag_van(vlag.moment))


def _upsert(model, kolommen: tuple[str, ...], conflict: tuple[str, ...], rijen) -> None:
    """Add `aantal` to each row's count, creating it when missing: one
    statement for all rows, in a fixed order (two transactions adding to
    the same days never wait on each other in opposite orders)."""
    rijen = sorted(rijen)
    if not rijen:
        return
    tabel = connection.ops.quote_name(model._meta.db_table)
    namen = ", ".join(connection.ops.quote_name(k) for k in (*kolommen, "aantal"))
    plaatsen = ", ".join(["(" + ", ".join(["%s"] * (len(kolommen) + 1)) + ")"] * len(rijen))
    # Table and column names come from the models, every value is a parameter.
    sql = (
        f"INSERT INTO {tabel} ({namen}) VALUES {plaatsen} "  # noqa: S608
        f"ON CONFLICT ({', '.join(conflict)}) "
        f"DO UPDATE SET aantal = {tabel}.aantal + excluded.aantal"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [waarde for rij in rijen for waarde in rij])


def tellingen_bijwerken(verschillen: Counter) -> None:
    """Apply `verschillen` ({Sleutel: +n or -n}) to both tables."""
    school: Counter = Counter()
    klas: Counter = Counter()
    for (school_id, klas_id, kleur, dag), n in verschillen.items():
        school[(school_id, kleur, dag)] += n
        if klas_id is not None:
            klas[(klas_id, school_id, kleur, dag)] += n
    _upsert(
        VlagtellingSchool,
        ("school_id", "kleur", "dag"),
        ("school_id", "dag", "kleur"),
        [(*k, n) for k, n in school.items() if n],
    )
    _upsert(
        VlagtellingKlas,
        ("klas_id", "school_id", "kleur", "dag"),
        ("klas_id", "dag", "kleur"),
        [(*k, n) for k, n in klas.items() if n],
    )


def vlaggen_bulk_aanmaken(vlaggen: list[Vlag], batch_size: int | None = None) -> list[Vlag]:
    """`bulk_create` for flags (the demo, the benchmark data): it sends no
    signals, so the counts of the new flags are added here, at once."""
    with transaction.atomic():
        gemaakt = Vlag.objects.bulk_create(vlaggen, batch_size=batch_size)
        tellingen_bijwerken(Counter(sleutel(vlag) for vlag in gemaakt))
    return gemaakt


def vlagtellingen_herbouwen(
    *, van: datetime.date, tot: datetime.date, school_id: int | None = None
) -> int:
    """Count the flags of [van, tot] (Brussels days) again and replace the
    counts of those days (of one school, or of all). Returns the number of
    flags counted."""
    begin = datetime.datetime.combine(van, datetime.time.min, tzinfo=BRUSSEL)
    einde = datetime.datetime.combine(
        tot + datetime.timedelta(days=1), datetime.time.min, tzinfo=BRUSSEL
    )
    vlaggen = Vlag.objects.filter(moment__gte=begin, moment__lt=einde)
    scholen = VlagtellingSchool.objects.filter(dag__gte=van, dag__lte=tot)
    klassen = VlagtellingKlas.objects.filter(dag__gte=van, dag__lte=tot)
    if school_id is not None:
        vlaggen = vlaggen.filter(school_id=school_id)
        scholen = scholen.filter(school_id=school_id)
        klassen = klassen.filter(school_id=school_id)
    rijen = (
        vlaggen.annotate(dag=TruncDate("moment", tzinfo=BRUSSEL))
        .order_by()
        .values("school_id", "klas_id", "kleur", "dag")
        .annotate(aantal=Count("id"))
    )
    with transaction.atomic():
        scholen.delete()
        klassen.delete()
        tellingen = Counter(
            {(r["school_id"], r["klas_id"], r["kleur"], r["dag"]): r["aantal"] for r in rijen}
        )
        tellingen_bijwerken(tellingen)
    return sum(tellingen.values())


def telling_aantallen(tellingen, *, van, tot, begin_van_periode) -> list[dict]:
    """Counts of `tellingen` (a queryset of either table, filtered) per
    period and colour: one row per day and colour read (a few hundred in a
    school year), summed into periods here."""
    per_periode: Counter = Counter()
    rijen = (
        tellingen.filter(dag__gte=van, dag__lte=tot)
        .order_by()
        .values("dag", "kleur")
        .annotate(n=Sum("aantal"))
    )
    for rij in rijen:
        per_periode[(begin_van_periode(rij["dag"]), rij["kleur"])] += rij["n"]
    return [
        {"periode": periode, "kleur": kleur, "aantal": aantal}
        for (periode, kleur), aantal in per_periode.items()
        if aantal
    ]


# --- the signals ----------------------------------------------------------------------


def _voor_bewaren(sender, instance: Vlag, raw=False, update_fields=None, **kwargs):
    instance._telling_oud = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not (set(update_fields) & _TELT):
        return
    oud = Vlag.objects.filter(pk=instance.pk).values_list("school_id", "klas_id", "kleur", "moment")
    oud = oud.first()
    if oud is not None:
        instance._telling_oud = (*oud[:3], dag_van(oud[3]))


def _na_bewaren(sender, instance: Vlag, created, raw=False, **kwargs):
    if raw:
        return
    nieuw = sleutel(instance)
    oud = getattr(instance, "_telling_oud", None)
    if created:
        tellingen_bijwerken(Counter({nieuw: 1}))
    elif oud is not None and oud != nieuw:
        tellingen_bijwerken(Counter({oud: -1, nieuw: 1}))


def _na_verwijderen(sender, instance: Vlag, **kwargs):
    tellingen_bijwerken(Counter({sleutel(instance): -1}))


def signalen_koppelen() -> None:
    pre_save.connect(_voor_bewaren, sender=Vlag, dispatch_uid="vlagtelling_voor")
    post_save.connect(_na_bewaren, sender=Vlag, dispatch_uid="vlagtelling_na")
    post_delete.connect(_na_verwijderen, sender=Vlag, dispatch_uid="vlagtelling_weg")
