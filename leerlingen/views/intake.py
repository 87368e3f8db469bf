"""The intake of a student: read by the class team and the care team (the
portrait class council walks through it), written by the care team."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from ..forms.intake import IntakeForm
from ..models import Intake
from ..services.intake import GEEN_VERSIE, INTAKE_VELDEN, intake_opslaan


def huidige_intake(leerling):
    return Intake.objects.select_related("door").filter(leerling=leerling).first()


def _weergave(veld: str, waarde) -> str:
    """A field's value as the page shows it (dates as d/m/Y)."""
    if waarde in (None, ""):
        return ""
    if veld == "datum":
        return waarde.strftime("%d/%m/%Y")
    return str(waarde)


def _vergelijking(form: IntakeForm, actueel: Intake) -> list[dict]:
    """What the user typed beside the newer saved values, field by field."""
    rijen = []
    for veld in INTAKE_VELDEN:
        opgeslagen = _weergave(veld, getattr(actueel, veld))
        ingevuld = _weergave(veld, form.cleaned_data.get(veld))
        rijen.append(
            {
                "label": form.fields[veld].label,
                "opgeslagen": opgeslagen,
                "ingevuld": ingevuld,
                "verschilt": opgeslagen != ingevuld,
            }
        )
    return rijen


def _conflictformulier(request, exc: VerouderdeVersie, actueel: Intake) -> IntakeForm:
    """The user's input again, now based on the newer version, saying who
    saved it when."""
    form, _conflict = conflict_tonen(request, exc, IntakeForm, huidig=actueel)
    door = str(actueel.door)
    gewijzigd = timezone.localtime(actueel.gewijzigd)
    form.add_error(
        None,
        _(
            "%(door)s bewaarde deze intake intussen (op %(datum)s om %(uur)s). Je "
            "wijzigingen zijn nog NIET bewaard en staan hieronder nog ingevuld. Vergelijk "
            "ze met de nieuwste versie, pas aan waar nodig en bewaar opnieuw."
        )
        % {
            "door": door,
            "datum": date_format(gewijzigd, "d/m/Y"),
            "uur": date_format(gewijzigd, "H:i"),
        },
    )
    return form


@require_http_methods(["GET", "POST"])
def intake(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_view_intake(request.user, leerling):
        raise Http404
    kan_bewerken = policies.can_edit_intake(request.user, leerling)
    if request.method == "POST" and not kan_bewerken:
        raise Http404
    huidig = huidige_intake(leerling)
    form = None
    vergelijking = None
    bewaard = False
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                intake_opslaan(
                    leerling=leerling,
                    door=request.user,
                    versie=data["versie"],
                    **{veld: data[veld] for veld in INTAKE_VELDEN},
                )
            except VerouderdeVersie as exc:
                huidig = huidige_intake(leerling)
                form = _conflictformulier(request, exc, huidig)
                vergelijking = _vergelijking(form, huidig)
                _lezen_vastleggen(request, leerling, huidig, _("na een gelijktijdige wijziging"))
            else:
                if not request.htmx:
                    messages.success(request, _("De intake is bewaard."))
                    return redirect("leerlingen:intake", pk=leerling.pk)
                huidig = huidige_intake(leerling)
                form = None
                bewaard = True
    else:
        _lezen_vastleggen(request, leerling, huidig)
    if kan_bewerken and form is None:
        form = IntakeForm(
            instance=huidig, initial={"versie": huidig.versie if huidig else GEEN_VERSIE}
        )
    context = {
        "leerling": leerling,
        "intake": huidig,
        "form": form,
        "vergelijking": vergelijking,
        "bewaard": bewaard,
    }
    if request.htmx:
        return render(request, "leerlingen/intake/intake.html#inhoud", context)
    return render(request, "leerlingen/intake/intake.html", context)


def _lezen_vastleggen(request, leerling, intake, omschrijving: str = "") -> None:
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="intake",
        leerlingen=[leerling],
        object_id=intake.pk if intake else "",
        omschrijving=omschrijving,
    )


urlpatterns = [
    path("leerlingen/<int:pk>/intake/", intake, name="intake"),
]


def sectie(request, leerling) -> dict:
    """A summary of the intake on the student page, for those who read it."""
    if not policies.can_view_intake(request.user, leerling):
        return {}
    return {
        "onderdeel": "intake",
        "intake": huidige_intake(leerling),
        "kan_bewerken": policies.can_edit_intake(request.user, leerling),
    }
