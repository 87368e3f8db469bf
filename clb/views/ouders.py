"""The CLB's side of what parents are told: sharing a note with the parents
(only a note shared with the school) and recording the decision of a
student of 12 or older on whether the parents see it. CLB staff of the
trajectory's CLB only (clb.policies), like every page of a trajectory."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from leerlingen.ouderinformatie import BEKWAME_LEEFTIJD, beslist_zelf, leeftijd
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie

from .. import policies
from ..forms.ouders import OuderinzageForm, OudersDelenForm
from ..models import Ouderinzage, Trajectnotitie
from ..services.ouders import notitie_ouders_delen, ouderinzage_vastleggen
from .trajecten import detail_url


@require_POST
def notitie_ouders_delen_view(request, pk, notitie):
    user = request.user
    traject = policies.get_traject_voor_clb(user, pk)
    try:
        item = Trajectnotitie.objects.get(pk=notitie, traject=traject)
    except Trajectnotitie.DoesNotExist as exc:
        raise Http404 from exc
    item.traject = traject
    form = OudersDelenForm(request.POST)
    if not form.is_valid():
        for fout in form.errors.get("delen", []):
            messages.error(request, fout)
        return redirect(detail_url(traject.pk, f"notitie-{item.pk}"))
    delen = form.cleaned_data["delen"] == "ja"
    try:
        notitie_ouders_delen(notitie=item, delen=delen, door=user)
    except ValidationError as fout:
        for bericht in fout.messages:
            messages.error(request, bericht)
    else:
        messages.success(
            request,
            _("Gedeeld met de ouders.")
            if delen
            else _("De ouders zien dit niet meer (de school wel, zolang het gedeeld is)."),
        )
    return redirect(detail_url(traject.pk, f"notitie-{item.pk}"))


@require_http_methods(["GET", "POST"])
def ouderinzage(request, pk):
    """What a student of 12 or older decided: may the parents see what the
    CLB shares with them? Reached from one of the student's trajectories."""
    user = request.user
    traject = policies.get_traject_voor_clb(user, pk)
    leerling = traject.leerling
    huidig = Ouderinzage.objects.filter(leerling=leerling).select_related("vastgelegd_door").first()
    vandaag = timezone.localdate()
    status = 200
    if request.method == "POST":
        form = OuderinzageForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                ouderinzage_vastleggen(
                    leerling=leerling,
                    ouders_mogen_clb_zien=d["ouders_mogen_clb_zien"] == "ja",
                    beslist_op=d["beslist_op"],
                    versie=d["versie"],
                    door=user,
                )
            except VerouderdeVersie as exc:
                form = OuderinzageForm(
                    {**request.POST.dict(), "versie": getattr(exc.huidig, "versie", "")}
                )
                form.is_valid()
                form.add_error(None, exc.bericht)
                huidig = Ouderinzage.objects.filter(leerling=leerling).first()
                status = 409
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De beslissing van de leerling is bewaard."))
                return redirect(detail_url(traject.pk))
    else:
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="clb_ouderinzage",
            leerlingen=[leerling],
            object_id=huidig.pk if huidig else "",
        )
        form = OuderinzageForm(
            initial={
                "ouders_mogen_clb_zien": ("ja" if huidig.ouders_mogen_clb_zien else "nee")
                if huidig
                else "ja",
                "beslist_op": huidig.beslist_op if huidig else vandaag,
                "versie": huidig.versie if huidig else None,
            }
        )
    return render(
        request,
        "clb/trajecten/ouderinzage.html",
        {
            "traject": traject,
            "leerling": leerling,
            "form": form,
            "huidig": huidig,
            "leeftijd": leeftijd(leerling.geboortedatum, vandaag),
            "beslist_zelf": beslist_zelf(leerling, vandaag),
            "bekwame_leeftijd": BEKWAME_LEEFTIJD,
        },
        status=status,
    )


urlpatterns = [
    path(
        "clb/trajecten/<int:pk>/notities/<int:notitie>/ouders/",
        notitie_ouders_delen_view,
        name="notitie_ouders_delen",
    ),
    path("clb/trajecten/<int:pk>/ouderinzage/", ouderinzage, name="ouderinzage"),
]
