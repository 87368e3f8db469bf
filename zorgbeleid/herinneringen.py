"""What the team's reflection reminds of (zorg.herinneringen), as a
meeting's action items do (klassenraad.herinneringen), on the school's
calendar and with the school's settings:

- an action due on the next school day: to its owner;
- an overdue action: to its owner; still open the school's number of
  school days after its due date (`achterstallig_escalatie_dagen`, the
  setting of action items): also to the care coordinators.

The owner is reminded only while they may still open the action (on the
school's staff, zorgbeleid.policies); the care coordinators always may. A
reflection's action names no student: the notification carries its title
and due date, nothing else (and e-mail not even that).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from leerlingen.policies import zorgcoordinatoren
from zorg.accounts.models import Rol
from zorg.herinneringen.planners import Planner, Voorstel
from zorg.meldingen.soorten import Soort

from .models import Reflectieactie
from .policies import mogelijke_actie_eigenaars

# Whoever may own an action of a reflection (policies.mogelijke_actie_eigenaars).
_EIGENAARS = frozenset({Rol.LEERKRACHT, Rol.ZORGCOORDINATOR, Rol.DIRECTIE, Rol.SECRETARIAAT})
BELEIDSACTIE_MORGEN = Soort(
    "beleidsactie_morgen",
    gettext_lazy("Een actie uit de reflectie op het zorgbeleid voor de volgende schooldag"),
    ontvangers=_EIGENAARS,
)
BELEIDSACTIE_ACHTERSTALLIG = Soort(
    "beleidsactie_achterstallig",
    gettext_lazy("Een achterstallige actie uit de reflectie op het zorgbeleid"),
    ontvangers=_EIGENAARS,
)
BELEIDSACTIE_ESCALATIE = Soort(
    "beleidsactie_escalatie",
    gettext_lazy("Een actie uit de reflectie op het zorgbeleid die lang achterstallig blijft"),
    ontvangers=frozenset({Rol.ZORGCOORDINATOR}),
)
SOORTEN = [BELEIDSACTIE_MORGEN, BELEIDSACTIE_ACHTERSTALLIG, BELEIDSACTIE_ESCALATIE]

# Room for the rest of a title in a notification's 200 characters.
_TITEL_LENGTE = 120


def _acties(queryset, school) -> list[Reflectieactie]:
    return list(
        queryset.filter(reflectie__school=school).only(
            "pk", "omschrijving", "vervaldatum", "eigenaar_id"
        )
    )


def _eigenaars_die_mogen(school, acties) -> set[int]:
    """The owners who still open their action: on the school's staff."""
    eigenaars = {a.eigenaar_id for a in acties}
    if not eigenaars:
        return set()
    return set(
        mogelijke_actie_eigenaars(school.pk)
        .filter(pk__in=eigenaars)
        .order_by()
        .values_list("pk", flat=True)
    )


def _voorstel(actie: Reflectieactie, ontvangers, titel: str) -> Voorstel:
    return Voorstel(
        object_id=actie.pk,
        vervaldatum=actie.vervaldatum,
        ontvangers=frozenset(ontvangers),
        titel=titel % {"titel": Truncator(actie.omschrijving).chars(_TITEL_LENGTE)},
        tekst=_("Tegen %(datum)s.") % {"datum": actie.vervaldatum.strftime("%d/%m/%Y")},
        link=reverse("zorgbeleid:actie_detail", args=[actie.pk]),
    )


def beleidsacties_morgen(school, nu: datetime.datetime, kalender):
    vandaag = timezone.localdate(nu)
    morgen = kalender.schooldagen_later(vandaag, 1)
    acties = _acties(
        Reflectieactie.objects.open().filter(vervaldatum__gt=vandaag, vervaldatum__lte=morgen),
        school,
    )
    mogen = _eigenaars_die_mogen(school, acties)
    with translation.override(settings.LANGUAGE_CODE):
        for a in acties:
            if a.eigenaar_id in mogen:
                yield _voorstel(a, {a.eigenaar_id}, _("Actie zorgbeleid morgen te doen: %(titel)s"))


def beleidsacties_achterstallig(school, nu: datetime.datetime, kalender):
    acties = _acties(Reflectieactie.objects.achterstallig(op=timezone.localdate(nu)), school)
    mogen = _eigenaars_die_mogen(school, acties)
    with translation.override(settings.LANGUAGE_CODE):
        for a in acties:
            if a.eigenaar_id in mogen:
                yield _voorstel(
                    a, {a.eigenaar_id}, _("Actie zorgbeleid is achterstallig: %(titel)s")
                )


def beleidsacties_escaleren(school, nu: datetime.datetime, kalender):
    vandaag = timezone.localdate(nu)
    dagen = school.achterstallig_escalatie_dagen
    acties = [
        a
        for a in _acties(Reflectieactie.objects.achterstallig(op=vandaag), school)
        if kalender.schooldagen_later(a.vervaldatum, dagen) <= vandaag
    ]
    if not acties:
        return
    coordinatoren = {u.pk for u in zorgcoordinatoren(school.pk)}
    if not coordinatoren:
        return
    with translation.override(settings.LANGUAGE_CODE):
        titel = ngettext(
            "Actie zorgbeleid al %(dagen)d schooldag achterstallig: %%(titel)s",
            "Actie zorgbeleid al %(dagen)d schooldagen achterstallig: %%(titel)s",
            dagen,
        ) % {"dagen": dagen}
        for a in acties:
            yield _voorstel(a, coordinatoren, titel)


PLANNERS = [
    Planner(BELEIDSACTIE_MORGEN.code, beleidsacties_morgen),
    Planner(BELEIDSACTIE_ACHTERSTALLIG.code, beleidsacties_achterstallig),
    Planner(BELEIDSACTIE_ESCALATIE.code, beleidsacties_escaleren),
]
