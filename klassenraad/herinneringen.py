"""What the meetings remind of (zorg.herinneringen):

- an action item due on the next school day: to its owner;
- an overdue action item: to its owner; still open the school's number of
  school days after its due date: also to the care coordinators;
- the care cell: on the school day before the school's care-cell day, to
  the care coordinators, "prepare the agenda", with the number of students
  Zorg proposes when the cell is planned.

The owner of an action item is reminded only while they may still read the
student's care (a teacher who no longer teaches the student is not: the
link would not open for them); the care coordinators always are.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from leerlingen.herinneringen import herinneringsdag
from leerlingen.policies import zorg_lezers_onder, zorgcoordinatoren
from zorg.accounts.models import CLBMedewerker, Rol
from zorg.herinneringen.planners import Planner, Voorstel
from zorg.meldingen.soorten import CLB, Soort

from .models import Actiepunt, Overleg, OverlegSoort

# Whoever takes part in a meeting can own an action item.
_EIGENAARS = frozenset({Rol.LEERKRACHT, Rol.ZORGCOORDINATOR, Rol.DIRECTIE, CLB})
ACTIEPUNT_MORGEN = Soort(
    "actiepunt_morgen",
    gettext_lazy("Een actiepunt voor de volgende schooldag"),
    ontvangers=_EIGENAARS,
)
ACTIEPUNT_ACHTERSTALLIG = Soort(
    "actiepunt_achterstallig", gettext_lazy("Een achterstallig actiepunt"), ontvangers=_EIGENAARS
)
ACTIEPUNT_ESCALATIE = Soort(
    "actiepunt_escalatie",
    gettext_lazy("Een actiepunt dat lang achterstallig blijft"),
    ontvangers=frozenset({Rol.ZORGCOORDINATOR}),
)
ZORGCEL_VOORBEREIDEN = Soort(
    "zorgcel_voorbereiden",
    gettext_lazy("De cel voorbereiden"),
    ontvangers=frozenset({Rol.ZORGCOORDINATOR}),
)
SOORTEN = [ACTIEPUNT_MORGEN, ACTIEPUNT_ACHTERSTALLIG, ACTIEPUNT_ESCALATIE, ZORGCEL_VOORBEREIDEN]


def _eigenaars_die_mogen(school, actiepunten) -> set[tuple[int, int]]:
    """(owner, student) pairs in which the owner may still read the care:
    school staff by the student-record policy, CLB staff while active at a
    CLB that serves the school (they own items of the care cells they sit
    in)."""
    paren = {(a.eigenaar_id, a.leerling_id) for a in actiepunten}
    mogen = zorg_lezers_onder(paren)
    clb = set(
        CLBMedewerker.objects.filter(
            user_id__in={u for u, _ in paren - mogen},
            actief=True,
            user__is_active=True,
            clb__scholen=school,
        ).values_list("user_id", flat=True)
    )
    return mogen | {(u, leerling) for u, leerling in paren if u in clb}


def _voorstel(actiepunt, ontvangers, titel) -> Voorstel:
    return Voorstel(
        object_id=actiepunt.pk,
        vervaldatum=actiepunt.vervaldatum,
        ontvangers=frozenset(ontvangers),
        titel=titel % {"naam": actiepunt.leerling.volledige_naam},
        tekst=_("Tegen %(datum)s.") % {"datum": actiepunt.vervaldatum.strftime("%d/%m/%Y")},
        link=reverse("klassenraad:actiepunt_detail", args=[actiepunt.pk]),
        leerling_id=actiepunt.leerling_id,
    )


def _actiepunten(queryset, school):
    return list(
        queryset.filter(overleg__school=school)
        .select_related("leerling")
        .only(
            "pk",
            "vervaldatum",
            "eigenaar_id",
            "leerling__id",
            "leerling__voornaam",
            "leerling__achternaam",
        )
    )


def actiepunten_morgen(school, nu: datetime.datetime, kalender):
    vandaag = timezone.localdate(nu)
    morgen = kalender.schooldagen_later(vandaag, 1)
    actiepunten = _actiepunten(
        Actiepunt.objects.open().filter(vervaldatum__gt=vandaag, vervaldatum__lte=morgen), school
    )
    mogen = _eigenaars_die_mogen(school, actiepunten)
    with translation.override(settings.LANGUAGE_CODE):
        for a in actiepunten:
            if (a.eigenaar_id, a.leerling_id) in mogen:
                yield _voorstel(a, {a.eigenaar_id}, _("Actiepunt voor %(naam)s: morgen te doen"))


def actiepunten_achterstallig(school, nu: datetime.datetime, kalender):
    actiepunten = _actiepunten(Actiepunt.objects.achterstallig(op=timezone.localdate(nu)), school)
    mogen = _eigenaars_die_mogen(school, actiepunten)
    with translation.override(settings.LANGUAGE_CODE):
        for a in actiepunten:
            if (a.eigenaar_id, a.leerling_id) in mogen:
                yield _voorstel(a, {a.eigenaar_id}, _("Actiepunt voor %(naam)s is achterstallig"))


def actiepunten_escaleren(school, nu: datetime.datetime, kalender):
    vandaag = timezone.localdate(nu)
    dagen = school.achterstallig_escalatie_dagen
    actiepunten = [
        a
        for a in _actiepunten(Actiepunt.objects.achterstallig(op=vandaag), school)
        if kalender.schooldagen_later(a.vervaldatum, dagen) <= vandaag
    ]
    coordinatoren = {u.pk for u in zorgcoordinatoren(school.pk)}
    if not coordinatoren:
        return
    with translation.override(settings.LANGUAGE_CODE):
        for a in actiepunten:
            titel = ngettext(
                "Actiepunt voor %%(naam)s al %(dagen)d schooldag achterstallig",
                "Actiepunt voor %%(naam)s al %(dagen)d schooldagen achterstallig",
                dagen,
            ) % {"dagen": dagen}
            yield _voorstel(a, coordinatoren, titel)


def volgende_celdag(school, vandaag: datetime.date, kalender) -> datetime.date | None:
    """The next day after `vandaag` on the school's care-cell weekday that is
    a school day (no cell in a holiday), within four weeks."""
    if school.zorgcel_weekdag is None:
        return None
    dag = vandaag
    for _i in range(28):
        dag += datetime.timedelta(days=1)
        if dag.weekday() == school.zorgcel_weekdag and kalender.is_schooldag(dag):
            return dag
    return None


def zorgcel_voorbereiden(school, nu: datetime.datetime, kalender):
    from .agenda import voorstellen

    vandaag = timezone.localdate(nu)
    celdag = volgende_celdag(school, vandaag, kalender)
    if celdag is None or herinneringsdag(celdag, 1, kalender) > vandaag:
        return
    coordinatoren = {u.pk for u in zorgcoordinatoren(school.pk)}
    if not coordinatoren:
        return
    begin = timezone.make_aware(datetime.datetime.combine(celdag, datetime.time.min))
    cel = (
        Overleg.objects.filter(
            school=school,
            soort=OverlegSoort.CEL,
            moment__gte=begin,
            moment__lt=begin + datetime.timedelta(days=1),
        )
        .exclude(status=Overleg.Status.AFGESLOTEN)
        .order_by("moment")
        .first()
    )
    with translation.override(settings.LANGUAGE_CODE):
        datum = celdag.strftime("%d/%m/%Y")
        if cel is None:
            titel = _("Cel van %(datum)s: nog niet gepland") % {"datum": datum}
            tekst = _("Plan de cel en stel de agenda op.")
            link = reverse("klassenraad:overleg_nieuw")
        else:
            aantal = len(voorstellen(cel))
            titel = _("Cel van %(datum)s: bereid de agenda voor") % {"datum": datum}
            tekst = ngettext(
                "Zorg stelt %(aantal)d leerling voor.",
                "Zorg stelt %(aantal)d leerlingen voor.",
                aantal,
            ) % {"aantal": aantal}
            link = reverse("klassenraad:agenda_voorstel", args=[cel.pk])
    yield Voorstel(
        object_id=school.pk,
        vervaldatum=celdag,
        ontvangers=frozenset(coordinatoren),
        titel=titel,
        tekst=tekst,
        link=link,
    )


PLANNERS = [
    Planner(ACTIEPUNT_MORGEN.code, actiepunten_morgen),
    Planner(ACTIEPUNT_ACHTERSTALLIG.code, actiepunten_achterstallig),
    Planner(ACTIEPUNT_ESCALATIE.code, actiepunten_escaleren),
    Planner(ZORGCEL_VOORBEREIDEN.code, zorgcel_voorbereiden),
]
