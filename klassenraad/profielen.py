"""What a meeting page shows beside each student on its agenda.

- A portrait class council (start of the year) walks through each
  student's profile: phase, measures in force, strengths, the intake and
  last year's key decisions, so what the school learned carries over to the
  new class team.
- A guiding class council has each student's latest timeline entries at
  hand, with the phase and the number of measures in force.
- Both class councils show each student's SODA summary of the latest
  periods (the medians per criterion, low ones marked).
- Other meetings show the reasons and the phase only (on the agenda item
  itself; nothing is loaded here).

Everything is loaded for the whole agenda at once, in a fixed number of
queries however many students are on it, and filtered on what the reader
may see of these students (`zichtbaarheden_in_overleg`): a teacher never
gets care-team-only content through a meeting page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from leerlingen.models import (
    Bereik,
    Intake,
    Maatregel,
    Observatie,
    ObservatieSoort,
    TijdlijnItem,
    Vak,
    Zichtbaarheid,
    ZorgfaseWijziging,
)
from leerlingen.policies import (
    ALLE_ZICHTBAARHEDEN,
    KLASTEAM_ZICHTBAARHEID,
    lesklassen,
    te_openen_links,
)
from leerlingen.services.zorgfase import fase_titel
from leerlingen.soda import laatste_samenvattingen
from zorg.accounts.models import Schooljaar, schooljaar_begin
from zorg.accounts.policies import toegang

from .models import KLASSENRADEN, Beslissing, Overleg, OverlegSoort

STERKTES = 3
TIJDLIJN = 5


@dataclass
class Profiel:
    """One student's content beside their agenda item."""

    maatregelen: list[Maatregel] = field(default_factory=list)
    aantal_maatregelen: int = 0
    sterktes: list[Observatie] = field(default_factory=list)
    intake: Intake | None = None
    # Last school year's decisions and phase changes, oldest first:
    # {"datum", "titel", "tekst", "waar"}.
    vorig_jaar: list[dict] = field(default_factory=list)
    tijdlijn: list[TijdlijnItem] = field(default_factory=list)
    # The SODA reports of the latest periods with scores, oldest first
    # (leerlingen.soda.Samenvatting): both class councils show them.
    soda: list = field(default_factory=list)


def zichtbaarheden_in_overleg(user, overleg: Overleg) -> frozenset[str]:
    """The levels of care content this user reads about the students on the
    agenda, decided once for the meeting with the rule of
    leerlingen.policies.zichtbaarheden: the school's care team and the CLB
    read everything; a teacher reads the class team's level, and only ever
    sees the agenda items of students they teach now (klassenraad.policies
    .agendapunten_visible_to), where that rule gives the same answer."""
    t = toegang(user)
    if overleg.school_id in t.zorg_school_ids or overleg.school_id in t.clb_school_ids:
        return ALLE_ZICHTBAARHEDEN
    if overleg.is_klassenraad and lesklassen(user).alle_ids:
        return KLASTEAM_ZICHTBAARHEID
    return frozenset()


def profielen(user, overleg: Overleg, leerling_ids: Iterable[int]) -> dict[int, Profiel]:
    """The profile per student id for the students of the visible agenda
    items of `overleg`."""
    ids = list(dict.fromkeys(leerling_ids))
    result = {leerling_id: Profiel() for leerling_id in ids}
    niveaus = zichtbaarheden_in_overleg(user, overleg)
    if not ids or not niveaus:
        return result
    if overleg.soort == OverlegSoort.PORTRET:
        _portret(result, ids, niveaus, overleg)
    elif overleg.soort == OverlegSoort.BEGELEIDEND:
        _begeleidend(user, result, ids, niveaus)
    if overleg.soort in (OverlegSoort.PORTRET, OverlegSoort.BEGELEIDEND):
        # SODA reports are the class team's reading (both levels).
        for leerling_id, lijst in laatste_samenvattingen(ids, overleg.school_id).items():
            result[leerling_id].soda = lijst
    return result


# --- the portrait class council -------------------------------------------------------


def _bereik_tekst(maatregel: Maatregel) -> str:
    if maatregel.bereik == Bereik.GEKOZEN_VAKKEN:
        return ", ".join(vak.naam for vak in maatregel.vakken.all())
    return str(maatregel.get_bereik_display())


def _laatste_per_leerling(queryset, aantal: int, *volgorde):
    """The latest `aantal` rows per student in one query: a row number per
    student (a window function), filtered in the outer query."""
    return (
        queryset.annotate(
            rang=Window(RowNumber(), partition_by=[F("leerling_id")], order_by=list(volgorde))
        )
        .filter(rang__lte=aantal)
        .order_by("leerling_id", "rang")
    )


def _vorig_schooljaar(overleg: Overleg) -> Schooljaar | None:
    """The school's year just before its current one."""
    huidig = Schooljaar.objects.filter(school_id=overleg.school_id, is_huidig=True)
    return (
        Schooljaar.objects.filter(
            school_id=overleg.school_id,
            is_huidig=False,
            begin__lt=Subquery(huidig.values("begin")[:1]),
        )
        .order_by("-begin")
        .first()
    )


def _tot_31_augustus(schooljaar: Schooljaar) -> tuple[datetime.date, datetime.date]:
    """The days of a school year for "what was decided last year": its
    lessons may end on 30 June (`einde`), but the deliberating class council
    in early July and a phase change decided in August are that year's too.
    A school year runs until 31 August."""
    begin = schooljaar_begin(schooljaar.begin)
    return schooljaar.begin, max(schooljaar.einde, datetime.date(begin.year + 1, 8, 31))


def _portret(result: dict[int, Profiel], ids: list[int], niveaus, overleg: Overleg) -> None:
    # The measures in force: the class team applies them, so both levels
    # read them.
    for m in (
        Maatregel.objects.actief()
        .filter(leerling_id__in=ids)
        .prefetch_related(Prefetch("vakken", queryset=Vak.objects.order_by("naam")))
        .order_by("soort", "titel", "pk")
    ):
        m.bereik_tekst = _bereik_tekst(m)
        result[m.leerling_id].maatregelen.append(m)
    for profiel in result.values():
        profiel.aantal_maatregelen = len(profiel.maatregelen)

    sterktes = Observatie.objects.filter(
        leerling_id__in=ids, soort=ObservatieSoort.STERKTE, zichtbaarheid__in=niveaus
    )
    for o in _laatste_per_leerling(
        sterktes, STERKTES, F("datum").desc(), F("aangemaakt").desc(), F("pk").desc()
    ):
        result[o.leerling_id].sterktes.append(o)

    # The class team reads the intake (leerlingen.policies.can_view_intake).
    for intake in Intake.objects.filter(leerling_id__in=ids):
        result[intake.leerling_id].intake = intake

    vorig = _vorig_schooljaar(overleg)
    if vorig is None:
        return
    van, tot = _tot_31_augustus(vorig)
    zorgteam = Zichtbaarheid.ZORGTEAM in niveaus
    beslissingen = Beslissing.objects.filter(
        agendapunt__leerling_id__in=ids,
        agendapunt__overleg__school_id=overleg.school_id,
        agendapunt__overleg__moment__date__gte=van,
        agendapunt__overleg__moment__date__lte=tot,
    ).select_related("agendapunt__overleg__klas")
    if not zorgteam:
        # What was decided at a care cell or a parent meeting is the care
        # team's; a class council's decisions are the class team's.
        beslissingen = beslissingen.filter(agendapunt__overleg__soort__in=list(KLASSENRADEN))
    for b in beslissingen.order_by("aangemaakt", "pk"):
        o = b.agendapunt.overleg
        result[b.agendapunt.leerling_id].vorig_jaar.append(
            {
                "datum": timezone.localtime(o.moment).date(),
                "titel": b.get_soort_display(),
                "tekst": b.tekst,
                "waar": str(o),
            }
        )
    for w in ZorgfaseWijziging.objects.filter(
        leerling_id__in=ids, datum__gte=van, datum__lte=tot
    ).select_related("van", "naar"):
        # Teachers see the phase and so the move; its reason is the care
        # team's (as on the timeline).
        result[w.leerling_id].vorig_jaar.append(
            {
                "datum": w.datum,
                "titel": fase_titel(w.van, w.naar),
                "tekst": w.reden if zorgteam else "",
                "waar": w.beslist_waar if zorgteam else "",
            }
        )
    for profiel in result.values():
        profiel.vorig_jaar.sort(key=lambda rij: rij["datum"])


# --- the guiding class council ----------------------------------------------------------


def _begeleidend(user, result: dict[int, Profiel], ids: list[int], niveaus) -> None:
    items = list(
        _laatste_per_leerling(
            TijdlijnItem.objects.filter(leerling_id__in=ids, zichtbaarheid__in=niveaus),
            TIJDLIJN,
            F("datum").desc(),
            F("tijdstip").desc(),
            F("pk").desc(),
        )
    )
    # An entry links only where its reader may follow it (a measure no
    # longer in force is not the class team's to open).
    open_urls = te_openen_links(user, niveaus, [item.url for item in items])
    for item in items:
        item.toon_link = item.url in open_urls
        result[item.leerling_id].tijdlijn.append(item)
    for leerling_id, aantal in (
        Maatregel.objects.actief()
        .filter(leerling_id__in=ids)
        .order_by()
        .values("leerling_id")
        .annotate(aantal=Count("pk"))
        .values_list("leerling_id", "aantal")
    ):
        result[leerling_id].aantal_maatregelen = aantal
