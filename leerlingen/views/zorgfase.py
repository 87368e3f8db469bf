"""The student's place in the care continuum: the current phase (for the
class team), its history and the open referrals to the CLB (for the care
team), moving up or down, and referring a student to the CLB directly."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, al_verstuurd, eenmalig_bewaren
from zorg.formulieren import fouten_op_form

from .. import policies
from ..forms.zorgfase import AanmeldingForm, NieuweZorgfaseWijzigingForm
from ..models import Aanmelding, Zorgfase, ZorgfaseWijziging
from ..services import zorgfase as zorgfase_services


def _naar_leerling(request, leerling):
    url = reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#zorgfase"
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _formulier(request, template: str, context: dict):
    """The whole page, or only the form for an htmx post that stays on it."""
    if request.htmx and request.method == "POST":
        return render(request, f"{template}#formulier", context)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def zorgfase_wijzigen(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_change_zorgfase(request.user, leerling):
        raise Http404
    fasen = list(Zorgfase.objects.filter(schooltype=leerling.school.schooltype).order_by("nummer"))
    keuzes = zorgfase_services.fase_keuzes(leerling=leerling, fasen=fasen)
    form = NieuweZorgfaseWijzigingForm(
        request.POST or None, leerling=leerling, fasen=fasen, keuzes=keuzes
    )
    if request.method == "POST" and al_verstuurd(form, request.user):
        # The form checks that the phase is still the one it started from;
        # after the first submit it no longer is, so a repeat is answered
        # before that check.
        messages.success(request, AL_BEWAARD)
        return _naar_leerling(request, leerling)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wijziging, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: zorgfase_services.zorgfase_wijzigen(
                    leerling=leerling,
                    van=data["van"],
                    naar=data["naar"],
                    datum=data["datum"],
                    reden=data["reden"],
                    beslist_waar=data["beslist_waar"],
                    hulpvraag=data.get("hulpvraag", ""),
                    maatregelen_ontoereikend=data.get("maatregelen_ontoereikend", False),
                    welbevinden_in_gedrang=data.get("welbevinden_in_gedrang", False),
                    door=request.user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if not nieuw:
                messages.success(request, AL_BEWAARD)
                return _naar_leerling(request, leerling)
            if wijziging.is_afschaling:
                bericht = _("Afgeschaald naar fase %(fase)s.")
            else:
                bericht = _("Zorgfase gewijzigd naar fase %(fase)s.")
            bericht %= {"fase": wijziging.naar}
            if hasattr(wijziging, "aanmelding"):
                bericht += " " + _("De leerling is aangemeld bij het CLB.")
            messages.success(request, bericht)
            return _naar_leerling(request, leerling)
    if request.method == "GET":
        audit_vastleggen(
            gebruiker=request.user,
            actie=Actie.LEZEN,
            onderwerp="zorgfase",
            leerlingen=[leerling],
            object_id=leerling.pk,
            omschrijving="formulier zorgfase wijzigen",
        )
    heeft_iac = any(fase.soort == Zorgfase.Soort.IAC for fase in fasen)
    iac_ontbreekt = (
        zorgfase_services.iac_voorwaarden(leerling)
        if heeft_iac and leerling.zorgfase.soort != Zorgfase.Soort.IAC
        else []
    )
    return _formulier(
        request,
        "leerlingen/zorgfase/wijzigen.html",
        {
            "leerling": leerling,
            "form": form,
            "fasen": fasen,
            "heeft_iac": heeft_iac,
            "iac_ontbreekt": iac_ontbreekt,
        },
    )


@require_http_methods(["GET", "POST"])
def aanmelding_nieuw(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_aanmelden_leerling(request.user, leerling):
        raise Http404
    form = AanmeldingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _aanmelding, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: zorgfase_services.aanmelding_maken(
                    leerling=leerling,
                    hulpvraag=form.cleaned_data["hulpvraag"],
                    datum=form.cleaned_data["datum"],
                    door=request.user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(
                request, _("De leerling is aangemeld bij het CLB.") if nieuw else AL_BEWAARD
            )
            return _naar_leerling(request, leerling)
    return _formulier(
        request, "leerlingen/zorgfase/aanmelding.html", {"leerling": leerling, "form": form}
    )


urlpatterns = [
    path("leerlingen/<int:pk>/zorgfase/", zorgfase_wijzigen, name="zorgfase_wijzigen"),
    path("leerlingen/<int:pk>/aanmelding/", aanmelding_nieuw, name="aanmelding_nieuw"),
]


def sectie(request, leerling) -> dict:
    """The current phase for whoever sees the student's care; for the care
    team also the history of moves (with reasons) and the open referrals.
    Two queries, however long the history."""
    user = request.user
    if not policies.can_view_zorg(user, leerling):
        return {}
    return {
        "onderdeel": "zorgfase",
        **zorgfase_gegevens(user, leerling),
        "kan_wijzigen": policies.can_change_zorgfase(user, leerling),
        "kan_aanmelden": policies.can_aanmelden_leerling(user, leerling),
    }


def zorgfase_gegevens(user, leerling, vanaf: datetime.date | None = None) -> dict:
    """What the section shows of the phase (the student page and the care
    file): the phase, and for the care team the moves (from `vanaf`, when
    given) and the open referrals. The caller checked `can_view_zorg`."""
    context = {
        "fase": leerling.zorgfase,
        "toon_zorgteam": policies.can_view_zorgteam(user, leerling),
    }
    if context["toon_zorgteam"]:
        wijzigingen = ZorgfaseWijziging.objects.filter(leerling=leerling)
        if vanaf is not None:
            wijzigingen = wijzigingen.filter(datum__gte=vanaf)
        context["wijzigingen"] = list(
            wijzigingen.select_related("van", "naar", "beslist_door").order_by(
                "-datum", "-aangemaakt", "-pk"
            )
        )
        context["aanmeldingen"] = list(
            Aanmelding.objects.filter(leerling=leerling, status=Aanmelding.Status.OPEN)
            .select_related("aangemaakt_door")
            .order_by("-datum", "-aangemaakt", "-pk")
        )
    return context
