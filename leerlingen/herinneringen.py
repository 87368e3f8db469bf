"""What the student record reminds of (zorg.herinneringen), and the kinds
of notification it sends (zorg.meldingen.soorten):

- a measure whose evaluation date comes (the school's lead time in school
  days before it) or has passed: to whoever recorded it, if they still may
  read the student's care, and to the care coordinators;
- a red flag nobody acknowledged within the school's escalation time: to
  the director (or the care coordinators of a school without one), on any
  day, once; the flag is marked escalated.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zorg.accounts.models import Rol
from zorg.herinneringen.planners import Planner, Voorstel
from zorg.meldingen.soorten import Modus, Soort

from . import policies
from .models import Maatregel, Vlag

RODE_VLAG = Soort(
    "rode_vlag",
    gettext_lazy("Een rode vlag"),
    Modus.DIRECT,
    vast=True,
    ontvangers=frozenset({Rol.ZORGCOORDINATOR}),
)
RODE_VLAG_ESCALATIE = Soort(
    "rode_vlag_escalatie",
    gettext_lazy("Een rode vlag die niemand opnam"),
    Modus.DIRECT,
    vast=True,
    ontvangers=frozenset({Rol.DIRECTIE}),
)
MAATREGEL_EVALUATIE = Soort(
    "maatregel_evaluatie",
    gettext_lazy("Een maatregel die geëvalueerd moet worden"),
    ontvangers=frozenset({Rol.LEERKRACHT, Rol.ZORGCOORDINATOR, Rol.DIRECTIE}),
)
SOORTEN = [RODE_VLAG, RODE_VLAG_ESCALATIE, MAATREGEL_EVALUATIE]

# How far ahead a planner of due dates looks: the lead time in school days,
# plus room for the holidays in between.
_VOORUIT_EXTRA = datetime.timedelta(days=21)


def herinneringsdag(vervaldatum: datetime.date, voor: int, kalender) -> datetime.date:
    """The school day on which to remind of something due on `vervaldatum`:
    `voor` school days before it, or, without a lead time, the due day
    itself or the first school day after it when it is a free day."""
    if voor:
        return kalender.schooldagen_eerder(vervaldatum, voor)
    return kalender.eerste_schooldag_vanaf(vervaldatum)


def vooruit_tot(vandaag: datetime.date, voor: int) -> datetime.date:
    """The latest due date a reminder `voor` school days ahead can be for."""
    return vandaag + datetime.timedelta(days=voor) + _VOORUIT_EXTRA


def aan_de_beurt(rijen, vervaldatum, voor: int, kalender, vandaag: datetime.date) -> list:
    """The rows whose reminder day (`herinneringsdag` of `vervaldatum(rij)`)
    has come; each distinct due date is worked out once."""
    dagen: dict[datetime.date, datetime.date] = {}
    result = []
    for rij in rijen:
        datum = vervaldatum(rij)
        if datum not in dagen:
            dagen[datum] = herinneringsdag(datum, voor, kalender)
        if dagen[datum] <= vandaag:
            result.append(rij)
    return result


def maatregel_evaluaties(school, nu: datetime.datetime, kalender):
    vandaag = timezone.localdate(nu)
    voor = school.herinnering_evaluatie_dagen
    maatregelen = aan_de_beurt(
        Maatregel.objects.filter(
            leerling__school=school,
            status=Maatregel.Status.ACTIEF,
            evaluatiedatum__lte=vooruit_tot(vandaag, voor),
        )
        .select_related("leerling")
        .only(
            "pk",
            "evaluatiedatum",
            "beslist_door_id",
            "leerling__id",
            "leerling__voornaam",
            "leerling__achternaam",
            "leerling__school_id",
        ),
        lambda m: m.evaluatiedatum,
        voor,
        kalender,
        vandaag,
    )
    if not maatregelen:
        return
    coordinatoren = {u.pk for u in policies.zorgcoordinatoren(school.pk)}
    mogen = policies.zorg_lezers_onder((m.beslist_door_id, m.leerling_id) for m in maatregelen)
    with translation.override(settings.LANGUAGE_CODE):
        for m in maatregelen:
            ontvangers = set(coordinatoren)
            if (m.beslist_door_id, m.leerling_id) in mogen:
                ontvangers.add(m.beslist_door_id)
            if not ontvangers:
                continue
            verlopen = m.evaluatiedatum < vandaag
            yield Voorstel(
                object_id=m.pk,
                vervaldatum=m.evaluatiedatum,
                ontvangers=frozenset(ontvangers),
                titel=(
                    _("Evaluatie van een maatregel voor %(naam)s is over datum")
                    if verlopen
                    else _("Evaluatie van een maatregel voor %(naam)s")
                )
                % {"naam": m.leerling.volledige_naam},
                tekst=_("Te evalueren op %(datum)s.")
                % {"datum": m.evaluatiedatum.strftime("%d/%m/%Y")},
                link=reverse("leerlingen:maatregel_detail", args=[m.leerling_id, m.pk]),
                leerling_id=m.leerling_id,
            )


def rode_vlaggen_te_escaleren(school, nu: datetime.datetime, kalender):
    from .services import vlagalarm

    termijn = datetime.timedelta(minutes=school.escalatie_minuten)
    vlaggen = list(
        vlagalarm.te_escaleren(nu, termijn=termijn).filter(school=school).select_related("klas")
    )
    if not vlaggen:
        return
    ontvangers = frozenset(u.pk for u in vlagalarm.ontvangers_escalatie(school.pk))
    if not ontvangers:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for vlag in vlaggen:
            titel, tekst = vlagalarm.escalatie_bericht(vlag, termijn)
            yield Voorstel(
                object_id=vlag.pk,
                vervaldatum=timezone.localdate(vlag.aangemaakt),
                ontvangers=ontvangers,
                titel=titel,
                tekst=tekst,
                link=vlagalarm.vlag_url(vlag),
            )


def rode_vlaggen_geescaleerd(vlag_ids: list[int]) -> None:
    """Mark the flags escalated and record it in their audit trail (a fixed
    number of queries, however many flags)."""
    from .services import vlagalarm

    nu = timezone.now()
    Vlag.objects.filter(pk__in=vlag_ids).update(geescaleerd_op=nu, versie=F("versie") + 1)
    vlagalarm.escalaties_auditeren(vlag_ids)


PLANNERS = [
    Planner(MAATREGEL_EVALUATIE.code, maatregel_evaluaties),
    Planner(
        RODE_VLAG_ESCALATIE.code,
        rode_vlaggen_te_escaleren,
        alleen_schooldagen=False,
        na_aanmaken=rode_vlaggen_geescaleerd,
    ),
]
