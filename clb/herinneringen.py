"""What the CLB reminds of (zorg.herinneringen): a goal of a running
trajectory whose review date comes (the school's lead time in school days
before it) or has passed: to the trajectory's CLB lead; a goal shared with
the school also to the school's care coordinators, who read it on the
student's page (the trajectory itself is the CLB's)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen.herinneringen import aan_de_beurt, vooruit_tot
from leerlingen.policies import zorgcoordinatoren
from zorg.accounts.models import Rol
from zorg.herinneringen.planners import Planner, Voorstel
from zorg.meldingen.soorten import CLB, Soort

from .models import Doel, HGDTraject, Laag

DOEL_EVALUATIE = Soort(
    "doel_evaluatie",
    gettext_lazy("Een CLB-doel dat besproken moet worden"),
    ontvangers=frozenset({CLB, Rol.ZORGCOORDINATOR}),
)
SOORTEN = [DOEL_EVALUATIE]


def doelen_te_evalueren(school, nu: datetime.datetime, kalender):
    vandaag = timezone.localdate(nu)
    voor = school.herinnering_doel_dagen
    doelen = aan_de_beurt(
        Doel.objects.filter(
            traject__leerling__school=school,
            traject__status=HGDTraject.Status.LOPEND,
            status=Doel.Status.LOPEND,
            evaluatiedatum__lte=vooruit_tot(vandaag, voor),
        ).select_related("traject__begeleider", "traject__leerling"),
        lambda d: d.evaluatiedatum,
        voor,
        kalender,
        vandaag,
    )
    if not doelen:
        return
    coordinatoren = frozenset(u.pk for u in zorgcoordinatoren(school.pk))
    with translation.override(settings.LANGUAGE_CODE):
        for doel in doelen:
            traject, leerling = doel.traject, doel.traject.leerling
            titel = _("CLB-doel voor %(naam)s: bespreken op %(datum)s") % {
                "naam": leerling.volledige_naam,
                "datum": doel.evaluatiedatum.strftime("%d/%m/%Y"),
            }
            begeleider = traject.begeleider
            if begeleider is not None and begeleider.is_active:
                yield Voorstel(
                    object_id=doel.pk,
                    vervaldatum=doel.evaluatiedatum,
                    ontvangers=frozenset({begeleider.pk}),
                    titel=titel,
                    link=reverse("clb:traject_detail", args=[traject.pk]),
                    leerling_id=leerling.pk,
                )
            if doel.laag == Laag.GEDEELD and coordinatoren:
                yield Voorstel(
                    object_id=doel.pk,
                    vervaldatum=doel.evaluatiedatum,
                    ontvangers=coordinatoren,
                    titel=titel,
                    link=reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#clb",
                    leerling_id=leerling.pk,
                )


PLANNERS = [Planner(DOEL_EVALUATIE.code, doelen_te_evalueren)]
