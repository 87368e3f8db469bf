"""Requests to discuss a student ("bespreken op de cel"), and the meetings
section of the student page: the button to ask, the open requests, and the
meetings where the student was on the agenda (as far as the reader may see
those meetings)."""

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerlingen.policies import can_view_zorg, get_leerling_for_user
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form

from .. import policies
from ..forms.bespreekvragen import BespreekvraagForm
from ..models import Agendapunt, Beslissing, Bespreekvraag
from ..services import agenda as services

IN_SECTIE = 10


def sectie(request, leerling):
    """For whoever reads the student's care: ask for a discussion, the open
    requests (one's own; the care team's all), and the meeting history."""
    user = request.user
    if not can_view_zorg(user, leerling):
        return None
    kan_vragen = policies.can_request_bespreking(user, leerling)
    vragen = list(
        policies.bespreekvragen_visible_to(user)
        .filter(leerling=leerling, status=Bespreekvraag.Status.OPEN)
        .select_related("gevraagd_door")
        .order_by("aangemaakt", "pk")
    )
    for vraag in vragen:
        vraag.leerling = leerling
        vraag.kan_intrekken = policies.can_withdraw_bespreekvraag(user, vraag)
    punten = besproken(user, leerling, aantal=IN_SECTIE)
    if not (kan_vragen or vragen or punten):
        return None
    return {
        "onderdeel": "overleg",
        "template": "klassenraad/secties/overleg.html",
        "kan_vragen": kan_vragen,
        "vragen": vragen,
        "punten": punten,
    }


def besproken(
    user, leerling, *, vanaf: datetime.date | None = None, aantal: int | None = None
) -> list[dict]:
    """The meetings the user may see where the student was on the agenda,
    newest first (from `vanaf` on, at most `aantal`), each with its
    decisions about the student: two queries."""
    punten = Agendapunt.objects.filter(
        leerling=leerling, overleg__in=policies.overleggen_visible_to(user)
    )
    if vanaf is not None:
        punten = punten.filter(
            overleg__moment__gte=timezone.make_aware(
                datetime.datetime.combine(vanaf, datetime.time.min)
            )
        )
    punten = punten.select_related("overleg__klas").order_by("-overleg__moment", "-overleg_id")
    punten = list(punten[:aantal] if aantal is not None else punten)
    beslissingen = defaultdict(list)
    if punten:
        for beslissing in (
            Beslissing.objects.filter(agendapunt_id__in=[punt.pk for punt in punten])
            .select_related("door")
            .order_by("aangemaakt", "pk")
        ):
            beslissingen[beslissing.agendapunt_id].append(beslissing)
    return [
        {"punt": punt, "overleg": punt.overleg, "beslissingen": beslissingen[punt.pk]}
        for punt in punten
    ]


def dossierdeel(user, leerling, vanaf: datetime.date | None) -> dict | None:
    """The open requests to discuss the student and the meetings with their
    decisions, in the student's care file (leerlingen.dossierdelen), as the
    section shows them."""
    if not can_view_zorg(user, leerling):
        return None
    return {
        "template": "klassenraad/pdf/_zorgdossier.html",
        "vragen": list(
            policies.bespreekvragen_visible_to(user)
            .filter(leerling=leerling, status=Bespreekvraag.Status.OPEN)
            .select_related("gevraagd_door")
            .order_by("aangemaakt", "pk")
        ),
        "punten": besproken(user, leerling, vanaf=vanaf),
    }


@require_http_methods(["GET", "POST"])
def bespreekvraag_nieuw(request, pk):
    user = request.user
    leerling = get_leerling_for_user(user, pk)
    if not policies.can_request_bespreking(user, leerling):
        raise Http404
    form = BespreekvraagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            vraag, nieuw = eenmalig_bewaren(
                form,
                user,
                lambda: services.bespreekvraag_maken(
                    leerling=leerling,
                    waar=form.cleaned_data["waar"],
                    reden=form.cleaned_data["reden"],
                    door=user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if not nieuw:
                bericht = str(AL_BEWAARD)
            elif vraag.waar == Bespreekvraag.Waar.CEL:
                bericht = _(
                    "Je vraag is doorgegeven: de zorgcoördinatoren zetten %(naam)s op de "
                    "agenda van de cel."
                )
            else:
                bericht = _(
                    "Je vraag is bewaard: %(naam)s wordt voorgesteld voor de volgende "
                    "begeleidende klassenraad."
                )
            messages.success(request, bericht % {"naam": leerling.volledige_naam})
            return redirect("leerlingen:leerling_detail", pk=leerling.pk)
    eigen = list(
        Bespreekvraag.objects.filter(
            leerling=leerling, gevraagd_door=user, status=Bespreekvraag.Status.OPEN
        ).order_by("aangemaakt", "pk")
    )
    return render(
        request,
        "klassenraad/bespreekvragen/nieuw.html",
        {"leerling": leerling, "form": form, "eigen": eigen},
    )


@require_POST
def bespreekvraag_intrekken(request, pk):
    user = request.user
    vraag = policies.get_bespreekvraag_for_user(user, pk)
    # Whoever sees a request may withdraw it while it is open (its author,
    # the care team); a request no longer open says why below.
    if vraag.status == Bespreekvraag.Status.OPEN and not policies.can_withdraw_bespreekvraag(
        user, vraag
    ):
        raise Http404
    try:
        services.bespreekvraag_intrekken(vraag=vraag, door=user)
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(request, _("De vraag om de leerling te bespreken is ingetrokken."))
    return redirect("leerlingen:leerling_detail", pk=vraag.leerling_id)


urlpatterns = [
    path("leerlingen/<int:pk>/bespreken/", bespreekvraag_nieuw, name="bespreekvraag_nieuw"),
    path(
        "bespreekvragen/<int:pk>/intrekken/",
        bespreekvraag_intrekken,
        name="bespreekvraag_intrekken",
    ),
]
