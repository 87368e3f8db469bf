"""The director's pages of the access request: the requests, recording a
new one, its page with the exports (JSON here, PDF through zorg.pdf), and
marking it handed over. Everyone else gets a 404 (inzage.policies)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie, conflict_tonen

from . import policies
from .forms import InzageverzoekForm, OverhandigdForm
from .services import (
    ONDERWERP,
    inzage_json,
    inzageverzoek_overhandigen,
    inzageverzoek_registreren,
)


def sectie(request, leerling) -> dict | None:
    """On the student page, for the director: the student's requests (one
    query) and the way to record a new one."""
    user = request.user
    if not policies.can_start_inzage(user, leerling):
        return None
    return {
        "onderdeel": "inzage",
        "template": "inzage/sectie.html",
        "verzoeken": list(
            policies.inzageverzoeken_visible_to(user)
            .filter(leerling=leerling)
            .order_by("-ontvangen_op", "-pk")
        ),
        "vandaag": timezone.localdate(),
    }


@require_GET
def lijst(request):
    """Every request of the schools the user directs: the ones still to
    hand over first, by deadline; then the latest handed over."""
    user = request.user
    if not policies.can_view_inzageverzoeken(user):
        raise Http404
    pagina = pagineren(
        request,
        policies.inzageverzoeken_visible_to(user)
        .select_related("leerling", "school")
        .order_by(F("overhandigd_op").desc(nulls_first=True), "termijn", "pk"),
    )
    verzoeken = pagina.object_list
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp=ONDERWERP,
        leerlingen=list({v.leerling_id: v.leerling for v in verzoeken}.values()),
        omschrijving="lijst",
    )
    return render(
        request,
        "inzage/lijst.html",
        {"verzoeken": verzoeken, "pagina": pagina, "vandaag": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def nieuw(request, pk):
    user = request.user
    leerling = policies.get_inzage_leerling_for_user(user, pk)
    if request.method == "POST":
        form = InzageverzoekForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                verzoek, nieuw_ = eenmalig_bewaren(
                    form,
                    user,
                    lambda: inzageverzoek_registreren(
                        leerling=leerling,
                        aanvrager=d["aanvrager"],
                        aanvrager_naam=d["aanvrager_naam"],
                        ontvangen_op=d["ontvangen_op"],
                        door=user,
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request,
                    _("Het inzageverzoek is geregistreerd. Maak de export en overhandig ze tijdig.")
                    if nieuw_
                    else AL_BEWAARD,
                )
                return redirect("inzage:detail", verzoek.pk)
    else:
        form = InzageverzoekForm()
    return render(request, "inzage/nieuw.html", {"leerling": leerling, "form": form})


@require_GET
def detail(request, pk):
    user = request.user
    verzoek = policies.get_inzageverzoek_for_user(user, pk)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp=ONDERWERP,
        leerlingen=[verzoek.leerling],
        object_id=verzoek.pk,
    )
    return render(
        request,
        "inzage/detail.html",
        {
            "verzoek": verzoek,
            "leerling": verzoek.leerling,
            "vandaag": timezone.localdate(),
            "mag_overhandigen": policies.can_hand_over_inzage(user, verzoek),
        },
    )


@require_GET
def json_export(request, pk):
    """The machine-readable export as a UTF-8 file."""
    user = request.user
    verzoek = policies.get_inzageverzoek_for_user(user, pk)
    data = inzage_json(verzoek=verzoek, door=user)
    naam = get_valid_filename(
        f"inzage-{verzoek.leerling.leerlingnummer}-{timezone.localdate().isoformat()}.json"
    )
    antwoord = HttpResponse(data, content_type="application/json; charset=utf-8")
    antwoord["Content-Disposition"] = f'attachment; filename="{naam}"'
    return antwoord


@require_http_methods(["GET", "POST"])
def overhandigd(request, pk):
    user = request.user
    verzoek = policies.get_inzageverzoek_for_user(user, pk)
    if not policies.can_hand_over_inzage(user, verzoek):
        raise Http404
    conflict = None
    if request.method == "POST":
        form = OverhandigdForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                inzageverzoek_overhandigen(
                    verzoek=verzoek,
                    versie=d["versie"],
                    overhandigd_op=d["overhandigd_op"],
                    door=user,
                )
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, OverhandigdForm)
                form.add_error(None, conflict["bericht"])
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De overhandiging is vastgelegd."))
                return redirect("inzage:detail", verzoek.pk)
    else:
        form = OverhandigdForm(
            initial={"overhandigd_op": timezone.localdate(), "versie": verzoek.versie}
        )
    return render(
        request,
        "inzage/overhandigd.html",
        {"verzoek": verzoek, "leerling": verzoek.leerling, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )
