"""Talks with the student, the parents, the CLB or external partners.

A talk note is written once and never edited: there is no edit view, and a
correction or follow-up is a new talk note. Reading follows the talk's
visibility (`policies.zichtbaarheden`), so a care-team-only talk is a 404 for
a teacher, exactly like a talk that does not exist."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren

from .. import policies
from ..forms.gesprekken import GesprekForm
from ..models import Gesprek
from ..services.gesprekken import gesprek_maken

IN_SECTIE = 10
OUDERAFSPRAKEN_IN_SECTIE = 10
VOLGORDE = ("-datum", "-aangemaakt", "-pk")


def zichtbare_gesprekken(user, leerling, vanaf: datetime.date | None = None):
    """The talks this user reads (the student page, the care file), newest
    first, from `vanaf` on when given."""
    gesprekken = policies.gesprekken_visible_to(user, leerling)
    if vanaf is not None:
        gesprekken = gesprekken.filter(datum__gte=vanaf)
    return gesprekken.select_related("door").order_by(*VOLGORDE)


def sectie(request, leerling) -> dict:
    """The latest talks the user may read, with the agreements made with the
    parents on top: parents are partners, and what was agreed with them is
    what the class team needs first."""
    user = request.user
    if not policies.can_view_zorg(user, leerling):
        return {}
    zichtbaar = zichtbare_gesprekken(user, leerling)
    gesprekken = list(zichtbaar[: IN_SECTIE + 1])
    ouderafspraken = list(
        zichtbaar.filter(soort=Gesprek.Soort.OUDERS).exclude(afspraken="")[
            : OUDERAFSPRAKEN_IN_SECTIE + 1
        ]
    )
    return {
        "onderdeel": "gesprekken",
        "gesprekken": gesprekken[:IN_SECTIE],
        "meer_gesprekken": len(gesprekken) > IN_SECTIE,
        "ouderafspraken": ouderafspraken[:OUDERAFSPRAKEN_IN_SECTIE],
        "meer_ouderafspraken": len(ouderafspraken) > OUDERAFSPRAKEN_IN_SECTIE,
        "mag_schrijven": policies.can_add_gesprek(user, leerling),
    }


@require_http_methods(["GET", "POST"])
def gesprek_nieuw(request, pk):
    user = request.user
    leerling = policies.get_leerling_for_user(user, pk)
    if not policies.can_add_gesprek(user, leerling):
        raise Http404
    if request.method == "POST":
        form = GesprekForm(request.POST)
        gesprek, nieuw = None, False
        if form.is_valid():
            try:
                gesprek, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: gesprek_maken(leerling=leerling, door=user, **form.cleaned_data),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
        if gesprek is not None:
            if gesprek.zichtbaarheid in policies.zichtbaarheden(user, leerling):
                messages.success(request, _("Het gesprek is bewaard.") if nieuw else AL_BEWAARD)
                return redirect("leerlingen:gesprek_detail", leerling.pk, gesprek.pk)
            messages.success(
                request,
                _(
                    "Het gesprek is bewaard, enkel voor het zorgteam: je ziet het zelf niet "
                    "in het dossier."
                )
                if nieuw
                else AL_BEWAARD,
            )
            return redirect(
                reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#gesprekken"
            )
    else:
        soort = request.GET.get("soort")
        form = GesprekForm(initial={"soort": soort} if soort in Gesprek.Soort.values else {})
    return render(request, "leerlingen/gesprekken/nieuw.html", {"leerling": leerling, "form": form})


@require_GET
def gesprek_detail(request, pk, gesprek_pk):
    user = request.user
    leerling = policies.get_leerling_for_user(user, pk)
    if not policies.can_view_zorg(user, leerling):
        raise Http404
    gesprek = policies.get_gesprek_for_user(user, leerling, gesprek_pk)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="gesprek",
        leerlingen=[leerling],
        object_id=gesprek.pk,
    )
    return render(
        request,
        "leerlingen/gesprekken/detail.html",
        {
            "leerling": leerling,
            "gesprek": gesprek,
            "mag_schrijven": policies.can_add_gesprek(user, leerling),
        },
    )


urlpatterns = [
    path("leerlingen/<int:pk>/gesprekken/nieuw/", gesprek_nieuw, name="gesprek_nieuw"),
    path("leerlingen/<int:pk>/gesprekken/<int:gesprek_pk>/", gesprek_detail, name="gesprek_detail"),
]
