"""Reading SODA reports: a student's scores in a period, summed up.

The summary of a criterion in a period is the median of the subjects'
scores; with an even number of subjects the lower of the two middle ones
(the cautious reading: a teacher's "zwak" is not averaged away). A
criterion is low in a period when that median is a low value of the
scale; the scale keeps its low values at the bottom
(services.soda.soda_schaal_wijzigen), so that is the same as "half or more
of the subjects gave a low value", which a query can count
(`laag_in_periode`). A period is low for a student when some criterion is.

Everything here reads in a fixed number of queries, whatever the number of
students, periods or subjects: the scale's values once per school, the
scores once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from .models import SodaCriterium, SodaPeriode, SodaScore, SodaWaarde

CRITERIA = tuple(SodaCriterium.values)
# The first letter of each column: S, O, D, A.
AFKORTINGEN = {criterium: criterium[0].upper() for criterium in CRITERIA}


@dataclass
class Kolom:
    """One criterion of one student in one period: the values the subjects
    gave, each with its subject's name."""

    criterium: str
    scores: list[tuple[str, SodaWaarde]] = field(default_factory=list)

    @property
    def waarden(self) -> list[SodaWaarde]:
        return sorted((w for _vak, w in self.scores), key=lambda w: w.volgorde)

    @property
    def mediaan(self) -> SodaWaarde | None:
        waarden = self.waarden
        return waarden[(len(waarden) - 1) // 2] if waarden else None

    @property
    def laagste(self) -> SodaWaarde | None:
        waarden = self.waarden
        return waarden[0] if waarden else None

    @property
    def laag(self) -> bool:
        mediaan = self.mediaan
        return mediaan is not None and mediaan.is_laag

    @property
    def label(self) -> str:
        return SodaCriterium(self.criterium).label

    @property
    def afkorting(self) -> str:
        return AFKORTINGEN[self.criterium]


@dataclass
class Samenvatting:
    """A student's SODA report of one period."""

    periode: SodaPeriode
    kolommen: dict[str, Kolom] = field(default_factory=dict)
    vakken: set[str] = field(default_factory=set)

    def __post_init__(self):
        for criterium in CRITERIA:
            self.kolommen.setdefault(criterium, Kolom(criterium))

    @property
    def kolomlijst(self) -> list[Kolom]:
        return [self.kolommen[criterium] for criterium in CRITERIA]

    @property
    def laag(self) -> bool:
        return any(kolom.laag for kolom in self.kolommen.values())

    @property
    def lage_criteria(self) -> list[str]:
        return [str(kolom.label) for kolom in self.kolomlijst if kolom.laag]

    @property
    def aantal_vakken(self) -> int:
        return len(self.vakken)

    def kort(self) -> str:
        """S 3 · O 2 · D 3 · A 4: the medians (– where none)."""
        return " · ".join(
            f"{kolom.afkorting} {kolom.mediaan.code if kolom.mediaan else '–'}"
            for kolom in self.kolomlijst
        )


def schaalwaarden(school_ids: Iterable[int]) -> dict[int, SodaWaarde]:
    """The scale values of these schools by pk, in one query."""
    return {
        waarde.pk: waarde
        for waarde in SodaWaarde.objects.filter(schaal__school_id__in=list(school_ids))
    }


def samenvattingen(
    scores, perioden: Iterable[SodaPeriode], waarden: dict[int, SodaWaarde]
) -> dict[tuple[int, int], Samenvatting]:
    """Per (student id, period id), the summary of `scores` (a SodaScore
    queryset, already narrowed to the students and periods wanted): one
    query."""
    per_pk = {periode.pk: periode for periode in perioden}
    result: dict[tuple[int, int], Samenvatting] = {}
    rijen = (
        scores.filter(periode_id__in=list(per_pk))
        .order_by("lesopdracht__vak__naam", "pk")
        .values_list("leerling_id", "periode_id", "lesopdracht__vak__naam", *CRITERIA)
    )
    for leerling_id, periode_id, vak, *gegeven in rijen:
        samenvatting = result.get((leerling_id, periode_id))
        if samenvatting is None:
            samenvatting = result[(leerling_id, periode_id)] = Samenvatting(per_pk[periode_id])
        for criterium, waarde_id in zip(CRITERIA, gegeven, strict=True):
            waarde = waarden.get(waarde_id)
            if waarde is not None:
                samenvatting.kolommen[criterium].scores.append((vak, waarde))
                samenvatting.vakken.add(vak)
    return result


def per_leerling(
    samenvattingen_: dict[tuple[int, int], Samenvatting], perioden: list[SodaPeriode]
) -> dict[int, list[Samenvatting]]:
    """The summaries of each student, in the order of `perioden`."""
    volgorde = {periode.pk: i for i, periode in enumerate(perioden)}
    result: dict[int, list[Samenvatting]] = defaultdict(list)
    for (leerling_id, _periode_id), samenvatting in samenvattingen_.items():
        result[leerling_id].append(samenvatting)
    for lijst in result.values():
        lijst.sort(key=lambda s: volgorde[s.periode.pk])
    return result


def laatste_samenvattingen(leerling_ids: Iterable[int], school_id: int, aantal: int = 2):
    """Per student, the summaries of their latest `aantal` periods with
    scores, whatever the school year (the portrait class council in
    September reads last June's). Three queries (one without any)."""
    ids = list(leerling_ids)
    if not ids:
        return {}
    perioden = list(
        SodaPeriode.objects.filter(schooljaar__school_id=school_id, scores__leerling_id__in=ids)
        .distinct()
        .select_related("schooljaar")
        .order_by("-schooljaar__begin", "-volgorde")[: aantal * 3]
    )
    if not perioden:
        return {}
    perioden.reverse()
    alle = per_leerling(
        samenvattingen(
            SodaScore.objects.filter(leerling_id__in=ids), perioden, schaalwaarden([school_id])
        ),
        perioden,
    )
    return {leerling_id: lijst[-aantal:] for leerling_id, lijst in alle.items()}


def laag_in_periode(scores):
    """Of `scores`, the (student id, period id) pairs whose period is low, as
    a grouped queryset of `leerling_id`, `periode_id`, `lage` (the criteria
    low, as flags per criterion): in some criterion half or more of the
    subjects that scored it gave a low value (see the module's docstring)."""
    tellingen = {}
    voorwaarde = Q()
    for criterium in CRITERIA:
        tellingen[f"n_{criterium}"] = Count(criterium)
        tellingen[f"l_{criterium}"] = Count(criterium, filter=Q(**{f"{criterium}__is_laag": True}))
    gegroepeerd = scores.order_by().values("leerling_id", "periode_id").annotate(**tellingen)
    for criterium in CRITERIA:
        voorwaarde |= Q(**{f"l_{criterium}__gt": 0}) & Q(
            **{f"n_{criterium}__lte": F(f"l_{criterium}") * 2}
        )
    return gegroepeerd.filter(voorwaarde)


def periode_oordelen(scores):
    """Per (student, period) of `scores`, in one query: (student id, period
    name, period order, period begin, the criteria low in it), for every
    period the student has scores in, low or not."""
    tellingen = {}
    for criterium in CRITERIA:
        tellingen[f"n_{criterium}"] = Count(criterium)
        tellingen[f"l_{criterium}"] = Count(criterium, filter=Q(**{f"{criterium}__is_laag": True}))
    rijen = (
        scores.order_by()
        .values("leerling_id", "periode__naam", "periode__volgorde", "periode__begin")
        .annotate(**tellingen)
        .order_by("leerling_id", "periode__volgorde")
    )
    for rij in rijen:
        laag = [
            str(SodaCriterium(criterium).label)
            for criterium in CRITERIA
            if rij[f"l_{criterium}"] and 2 * rij[f"l_{criterium}"] >= rij[f"n_{criterium}"]
        ]
        yield (
            rij["leerling_id"],
            rij["periode__naam"],
            rij["periode__volgorde"],
            rij["periode__begin"],
            laag,
        )
