"""The acknowledgement loop of a red flag (acknowledge, who takes it up), the
follow-up and closing of every flag, and handling a pattern signal.

Every view asks the policy for the flag first (`get_vlag_for_user`, a 404 for
a flag one may not see) and then the predicate for the action
(`can_erkennen_vlag`, `can_opvolgen_vlag`): a refused action is a 404 too.
With htmx the alert partial of the flag page comes back updated; without
JavaScript the browser is sent back to the flag page with a message."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren

from .. import policies
from ..forms.vlagalarm import OpnemenForm, OpvolgingForm, VersieForm
from ..models import Vlag, VlagOpvolging
from ..services.vlagalarm import (
    opvolging_toevoegen,
    signaal_afhandelen,
    vlag_afsluiten,
    vlag_erkennen,
    vlag_opnemen,
    vlag_url,
    zorgteamleden,
)

PARTIAL = "leerlingen/vlaggen/_alarm_plek.html"


def sectie(request, leerling) -> dict:
    """The loop shows on the flag page and the start page, not as a section."""
    return {}


def _voor_partial(vlag: Vlag) -> dict:
    """What the alert partial reads, loaded here so the template never
    queries (the flag page passes the same `vlag` and `opvolgingen`)."""
    vlag = Vlag.objects.select_related(
        "klas", "vak", "gemeld_door", "erkend_door", "opgenomen_door"
    ).get(pk=vlag.pk)
    opvolgingen = list(
        VlagOpvolging.objects.filter(vlag=vlag).select_related("door").order_by("datum", "pk")
    )
    return {"vlag": vlag, "opvolgingen": opvolgingen}


def _naam(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _fouttekst(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _antwoord(request, vlag: Vlag, bericht: str, niveau: str = "success"):
    """The updated partial for htmx, else back to the flag page."""
    if request.htmx:
        return render(
            request,
            PARTIAL,
            {**_voor_partial(vlag), "alarm_bericht": bericht, "alarm_niveau": niveau},
        )
    getattr(messages, "success" if niveau == "success" else "error")(request, bericht)
    return redirect(vlag_url(vlag))


def _versie(request) -> int | None:
    form = VersieForm(request.POST)
    return form.cleaned_data.get("versie") if form.is_valid() else None


@require_POST
def erkennen(request, pk):
    user = request.user
    vlag = policies.get_vlag_for_user(user, pk)
    if not policies.can_erkennen_vlag(user, vlag):
        raise Http404
    try:
        nieuw = vlag_erkennen(vlag=vlag, door=user)
    except ValidationError as exc:
        return _antwoord(request, vlag, _fouttekst(exc), "danger")
    if nieuw:
        return _antwoord(
            request,
            vlag,
            _("Je erkende de rode vlag. Noteer wie ze opneemt en hoe ze opgevolgd wordt."),
        )
    erkend_door = get_user_model().objects.filter(pk=vlag.erkend_door_id).first()
    return _antwoord(
        request,
        vlag,
        _("Deze rode vlag was al erkend door %(naam)s op %(wanneer)s.")
        % {
            "naam": _naam(erkend_door),
            "wanneer": timezone.localtime(vlag.erkend_op).strftime("%d/%m/%Y %H:%M"),
        },
        "info",
    )


@require_http_methods(["GET", "POST"])
def opnemen(request, pk):
    user = request.user
    vlag = policies.get_vlag_for_user(user, pk)
    if not policies.can_erkennen_vlag(user, vlag):
        raise Http404
    leden = zorgteamleden(vlag.school_id)
    if request.method == "POST":
        form = OpnemenForm(request.POST, leden=leden)
        if form.is_valid():
            try:
                vlag_opnemen(
                    vlag=vlag,
                    door=user,
                    opnemer=form.cleaned_data["opnemer"],
                    versie=form.cleaned_data["versie"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(naam)s neemt deze rode vlag op.")
                    % {"naam": _naam(form.cleaned_data["opnemer"])},
                )
                return redirect(vlag_url(vlag))
    else:
        form = OpnemenForm(
            leden=leden,
            initial={"opnemer": vlag.opgenomen_door_id or user.pk, "versie": vlag.versie},
        )
    return render(
        request,
        "leerlingen/vlagalarm/opnemen.html",
        {"vlag": vlag, "form": form, "terug": vlag_url(vlag)},
    )


@require_http_methods(["GET", "POST"])
def opvolging(request, pk):
    user = request.user
    vlag = policies.get_vlag_for_user(user, pk)
    if not policies.can_opvolgen_vlag(user, vlag):
        raise Http404
    mag_tucht = policies.can_opvolgen_met_tucht(user, vlag)
    if vlag.status == Vlag.Status.AFGESLOTEN:
        messages.info(request, _("Deze vlag is afgesloten: je noteert er geen opvolging meer bij."))
        return redirect(vlag_url(vlag))
    if request.method == "POST":
        form = OpvolgingForm(request.POST, mag_tucht=mag_tucht)
        if form.is_valid():
            try:
                _opvolging, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: opvolging_toevoegen(vlag=vlag, door=user, **form.cleaned_data),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("De opvolging is bewaard.") if nieuw else AL_BEWAARD)
                return redirect(vlag_url(vlag))
    else:
        form = OpvolgingForm(mag_tucht=mag_tucht)
    return render(
        request,
        "leerlingen/vlagalarm/opvolging.html",
        {"vlag": vlag, "form": form, "terug": vlag_url(vlag)},
    )


@require_POST
def afsluiten(request, pk):
    user = request.user
    vlag = policies.get_vlag_for_user(user, pk)
    if not policies.can_opvolgen_vlag(user, vlag):
        raise Http404
    try:
        vlag_afsluiten(vlag=vlag, door=user, versie=_versie(request))
    except ValidationError as exc:
        return _antwoord(request, vlag, _fouttekst(exc), "danger")
    return _antwoord(request, vlag, _("De vlag is afgesloten."))


# --- pattern signals --------------------------------------------------------------


@require_POST
def signaal_afhandelen_view(request, pk):
    user = request.user
    signaal = policies.get_signaal_for_user(user, pk)
    if not policies.can_afhandelen_signaal(user, signaal):
        raise Http404
    nieuw = signaal_afhandelen(signaal=signaal, door=user)
    bericht = (
        _("Het signaal over %(naam)s is afgehandeld.")
        if nieuw
        else _("Het signaal over %(naam)s was al afgehandeld.")
    ) % {"naam": signaal.leerling.volledige_naam}
    if request.htmx:
        return render(
            request, "leerlingen/vlagalarm/_signaal_afgehandeld.html", {"bericht": bericht}
        )
    messages.success(request, bericht)
    return redirect("start")


urlpatterns = [
    path("vlaggen/<int:pk>/erkennen/", erkennen, name="vlag_erkennen"),
    path("vlaggen/<int:pk>/opnemen/", opnemen, name="vlag_opnemen"),
    path("vlaggen/<int:pk>/opvolging/", opvolging, name="vlag_opvolging"),
    path("vlaggen/<int:pk>/afsluiten/", afsluiten, name="vlag_afsluiten"),
    path("signalen/<int:pk>/afhandelen/", signaal_afhandelen_view, name="signaal_afhandelen"),
]
