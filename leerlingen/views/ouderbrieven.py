"""The parent letter: the care team previews what the parents are told
(leerlingen.ouderinformatie), informs them (the letter freezes it), prints
or sends it as a PDF, and records the parents' response. Who reads a letter:
`policies.can_view_ouderbrieven`."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from ..forms.ouderbrieven import OuderbriefForm, ReactieForm
from ..ouderinformatie import ouderinformatie
from ..services.ouderbrieven import ouderbrief_maken, ouderbrief_reactie_vastleggen


def _datum(waarde):
    return datetime.date.fromisoformat(waarde) if isinstance(waarde, str) and waarde else waarde


def brief_inhoud(inhoud: dict) -> dict:
    """A letter's frozen content with its dates as dates again, for the
    templates (the page, the preview and the PDF read the same)."""
    return {
        "naam": inhoud["leerling"]["naam"],
        "maatregelen": [
            {
                **m,
                "begin": _datum(m["begin"]),
                "einde": _datum(m["einde"]),
                "akkoord_op": _datum(m["akkoord_op"]),
                "wacht_op_akkoord": m["akkoord_nodig"] and not m["akkoord"],
            }
            for m in inhoud.get("maatregelen", [])
        ],
        "afspraken": [{**a, "datum": _datum(a["datum"])} for a in inhoud.get("afspraken", [])],
        "clb": [{**c, "datum": _datum(c["datum"])} for c in inhoud.get("clb", [])],
    }


def _lezen(user, leerling, object_id="", omschrijving=""):
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="ouderbrief",
        leerlingen=[leerling],
        object_id=object_id,
        omschrijving=omschrijving,
    )


def sectie(request, leerling) -> dict:
    """Every letter on the student page, with its response: a few a year,
    and the class teacher, who does not read the care team's timeline,
    finds the older ones nowhere else."""
    user = request.user
    if not policies.can_view_ouderbrieven(user, leerling):
        return {}
    brieven = list(
        policies.ouderbrieven_visible_to(user, leerling)
        .defer("inhoud", "opmerking")
        .order_by("-geinformeerd_op", "-pk")
    )
    return {
        "onderdeel": "ouderbrieven",
        "template": "leerlingen/ouderbrieven/_sectie.html",
        "brieven": brieven,
        "mag_maken": policies.can_manage_ouderbrieven(user, leerling),
    }


def _leerling_om_te_beheren(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_manage_ouderbrieven(request.user, leerling):
        raise Http404
    return leerling


@require_http_methods(["GET", "POST"])
def ouderbrief_nieuw(request, pk):
    """The letter as it would go out today (a preview), and the button that
    records that the parents were informed."""
    user = request.user
    leerling = _leerling_om_te_beheren(request, pk)
    if request.method == "POST":
        form = OuderbriefForm(request.POST)
        if form.is_valid():
            try:
                brief, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: ouderbrief_maken(
                        leerling=leerling,
                        geinformeerd_op=form.cleaned_data["geinformeerd_op"],
                        door=user,
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request,
                    _("De ouderbrief is vastgelegd. Maak de PDF om hem af te drukken of te mailen.")
                    if nieuw
                    else AL_BEWAARD,
                )
                return redirect("leerlingen:ouderbrief_detail", leerling.pk, brief.pk)
    else:
        form = OuderbriefForm()
    info = ouderinformatie(leerling, voor="ouder", op=timezone.localdate())
    _lezen(user, leerling, omschrijving="voorbeeld")
    return render(
        request,
        "leerlingen/ouderbrieven/nieuw.html",
        {
            "leerling": leerling,
            "form": form,
            "brief": brief_inhoud(info.als_json()),
            "datum": timezone.localdate(),
            "school": leerling.school,
        },
    )


@require_GET
def ouderbrief_detail(request, pk, brief_pk):
    user = request.user
    brief = policies.get_ouderbrief_for_user(user, brief_pk)
    if brief.leerling_id != pk:
        raise Http404
    _lezen(user, brief.leerling, brief.pk)
    return render(
        request,
        "leerlingen/ouderbrieven/detail.html",
        {
            "leerling": brief.leerling,
            "ouderbrief": brief,
            "brief": brief_inhoud(brief.inhoud),
            "datum": brief.geinformeerd_op,
            "school": brief.leerling.school,
            "mag_beheren": policies.can_manage_ouderbrieven(user, brief.leerling),
        },
    )


@require_http_methods(["GET", "POST"])
def ouderbrief_reactie(request, pk, brief_pk):
    user = request.user
    brief = policies.get_ouderbrief_for_user(user, brief_pk)
    if brief.leerling_id != pk or not policies.can_manage_ouderbrieven(user, brief.leerling):
        raise Http404
    conflict = None
    if request.method == "POST":
        form = ReactieForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                ouderbrief_reactie_vastleggen(
                    brief=brief,
                    versie=d["versie"],
                    reactie=d["reactie"],
                    opmerking=d["opmerking"],
                    reactie_op=d["reactie_op"],
                    door=user,
                )
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, ReactieForm)
                form.add_error(None, conflict["bericht"])
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De reactie van de ouders is bewaard."))
                return redirect("leerlingen:ouderbrief_detail", brief.leerling_id, brief.pk)
    else:
        _lezen(user, brief.leerling, brief.pk, "reactie")
        form = ReactieForm(
            initial={
                "reactie": brief.reactie,
                "reactie_op": brief.reactie_op or timezone.localdate(),
                "opmerking": brief.opmerking,
                "versie": brief.versie,
            }
        )
    return render(
        request,
        "leerlingen/ouderbrieven/reactie.html",
        {"leerling": brief.leerling, "ouderbrief": brief, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


urlpatterns = [
    path("leerlingen/<int:pk>/ouderbrieven/nieuw/", ouderbrief_nieuw, name="ouderbrief_nieuw"),
    path(
        "leerlingen/<int:pk>/ouderbrieven/<int:brief_pk>/",
        ouderbrief_detail,
        name="ouderbrief_detail",
    ),
    path(
        "leerlingen/<int:pk>/ouderbrieven/<int:brief_pk>/reactie/",
        ouderbrief_reactie,
        name="ouderbrief_reactie",
    ),
]
