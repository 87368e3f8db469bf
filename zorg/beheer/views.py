"""The school's settings page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg.versies import VerouderdeVersie, conflict_tonen

from . import policies
from .forms import INSTELLINGEN, KLEURLABELS, SchoolinstellingenForm
from .services import schoolinstellingen_wijzigen


@require_GET
def instellingen_start(request):
    """The settings of the user's school; with several, a choice."""
    scholen = list(policies.instellingen_scholen_visible_to(request.user))
    if not scholen:
        raise Http404
    if len(scholen) == 1:
        return redirect("beheer:instellingen", pk=scholen[0].pk)
    return render(request, "beheer/scholen.html", {"scholen": scholen})


@require_http_methods(["GET", "POST"])
def instellingen(request, pk):
    school = policies.get_school_instellingen_for_user(request.user, pk)
    mag_wijzigen = policies.can_edit_school_instellingen(request.user, school)
    if request.method == "POST" and not mag_wijzigen:
        raise Http404
    form = SchoolinstellingenForm(
        request.POST or None, instance=school, alleen_lezen=not mag_wijzigen
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        gegevens = {veld: form.cleaned_data[veld] for veld in INSTELLINGEN}
        try:
            gewijzigd = schoolinstellingen_wijzigen(
                school=school,
                versie=form.cleaned_data["versie"],
                gegevens=gegevens,
                door=request.user,
            )
        except VerouderdeVersie as exc:
            form, conflict = conflict_tonen(
                request,
                exc,
                SchoolinstellingenForm,
                instance=exc.huidig,
            )
            conflict["verschillen"] = _verschillen(exc.huidig, gegevens)
        else:
            if gewijzigd:
                messages.success(request, _("De instellingen zijn bewaard."))
            else:
                messages.info(request, _("Er was niets gewijzigd."))
            return redirect(reverse("beheer:instellingen", args=[school.pk]))
    return render(
        request,
        "beheer/instellingen.html",
        {"school": school, "form": form, "mag_wijzigen": mag_wijzigen, "conflict": conflict},
    )


def _weergave(school, veld: str, waarde) -> str:
    if waarde is None or waarde == "":
        return "–"
    if veld == "patroon_kleuren":
        return ", ".join(str(KLEURLABELS.get(kleur, kleur)) for kleur in waarde)
    keuzes = dict(school._meta.get_field(veld).flatchoices)
    if veld in ("zorgcel_uur", "digest_uur"):
        return waarde.strftime("%H:%M")
    return str(keuzes.get(waarde, waarde))


def _verschillen(opgeslagen, ingevuld: dict) -> list[dict]:
    """The settings where what is saved now differs from what the user typed."""
    return [
        {
            "label": opgeslagen._meta.get_field(veld).verbose_name,
            "opgeslagen": _weergave(opgeslagen, veld, getattr(opgeslagen, veld)),
            "ingevuld": _weergave(opgeslagen, veld, waarde),
        }
        for veld, waarde in ingevuld.items()
        if getattr(opgeslagen, veld) != waarde
    ]
