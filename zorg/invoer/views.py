"""Import from the administration package: upload, map the columns, read
the dry run, confirm; the school's import history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.accounts.policies import get_or_404
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.paginering import pagineren
from zorg.sessies.sessie import geen_activiteit

from . import policies, services
from .forms import BevestigenForm, KoppelingForm, UploadForm
from .models import Importopdracht
from .soorten import SOORTEN, sjabloon_csv, sjabloon_xlsx
from .verwerken import FOUT, GEWIJZIGD, NIEUW, ONGEWIJZIGD

Status = Importopdracht.Status
# Rows of the preview shown on the page: the totals count them all.
REGELS_TONEN = 500
FILTERS = (FOUT, NIEUW, GEWIJZIGD, ONGEWIJZIGD)


def _labels() -> dict[str, str]:
    return {
        NIEUW: _("nieuw"),
        GEWIJZIGD: _("gewijzigd"),
        ONGEWIJZIGD: _("ongewijzigd"),
        FOUT: _("fout"),
    }


@require_GET
def start(request):
    """The import of the user's school; with several, a choice."""
    scholen = list(policies.invoer_scholen_visible_to(request.user))
    if not scholen:
        raise Http404
    if len(scholen) == 1:
        return redirect("invoer:school", pk=scholen[0].pk)
    return render(request, "invoer/scholen.html", {"scholen": scholen})


@require_http_methods(["GET", "POST"])
def school(request, pk):
    """The school's import history of the kinds the user reads and, for
    those who import some kind here, a new import of those kinds."""
    school = policies.get_invoer_school_for_user(request.user, pk)
    mag_invoeren = policies.can_import(request.user, school)
    if request.method == "POST" and not mag_invoeren:
        raise Http404
    form = None
    if mag_invoeren:
        form = UploadForm(
            request.POST or None,
            request.FILES or None,
            jaren=services.invoerjaren(school),
            soorten=policies.import_soorten_for(request.user, school),
        )
        if request.method == "POST" and form.is_valid():
            try:
                opdracht, nieuw = eenmalig_bewaren(
                    form,
                    request.user,
                    lambda: services.importopdracht_aanmaken(
                        school=school,
                        door=request.user,
                        soort=form.cleaned_data["soort"],
                        volledig=form.cleaned_data.get("volledig", False),
                        bestand=form.cleaned_data["bestand"],
                        schooljaar=form.cleaned_data["schooljaar"],
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                if not nieuw:
                    messages.info(request, AL_BEWAARD)
                return redirect("invoer:koppelen", pk=opdracht.pk)
    # The history without the dry run's rows (a large JSON per import):
    # one query for the page, one for the count, whatever the number.
    geschiedenis = (
        policies.importopdrachten_visible_to(request.user)
        .filter(school=school)
        .select_related("door", "schooljaar")
        .defer("regels", "vertrokken", "kolommen")
        .order_by("-aangemaakt")
    )
    return render(
        request,
        "invoer/school.html",
        {
            "school": school,
            "form": form,
            "mag_invoeren": mag_invoeren,
            "pagina": pagineren(request, geschiedenis),
            # The layouts and templates of the kinds the user imports here.
            "soorten": [SOORTEN[s] for s in policies.import_soorten_for(request.user, school)],
        },
    )


@require_GET
def sjabloon(request, soort, formaat):
    """The documented layout of a kind of import as an empty table with
    one example row, for those who import that kind."""
    importsoort = SOORTEN.get(soort)
    if importsoort is None or formaat not in ("csv", "xlsx"):
        raise Http404
    if not policies.can_import_anywhere(request.user, soort):
        raise Http404
    if formaat == "csv":
        response = HttpResponse(sjabloon_csv(importsoort), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            sjabloon_xlsx(importsoort),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="zorg-{soort}.{formaat}"'
    add_never_cache_headers(response)
    return response


def _te_behandelen(request, pk) -> Importopdracht:
    opdracht = policies.get_importopdracht_for_user(request.user, pk)
    if not policies.can_handle_importopdracht(request.user, opdracht):
        raise Http404
    return opdracht


@require_http_methods(["GET", "POST"])
def koppelen(request, pk):
    """Which column holds which field; saving starts the dry run."""
    opdracht = _te_behandelen(request, pk)
    if opdracht.status not in (Status.KOPPELEN, Status.GECONTROLEERD) or not opdracht.bestand:
        return redirect("invoer:opdracht", pk=opdracht.pk)
    form = KoppelingForm(request.POST or None, opdracht=opdracht)
    if request.method == "POST" and form.is_valid():
        try:
            services.koppeling_bewaren(opdracht=opdracht, koppeling=form.koppeling())
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            return redirect("invoer:opdracht", pk=opdracht.pk)
    return render(
        request,
        "invoer/koppelen.html",
        {"opdracht": opdracht, "form": form, "soort": SOORTEN[opdracht.soort]},
    )


# The polling is not the person's activity (zorg.sessies).
@geen_activiteit(alleen_htmx=True)
@require_GET
def opdracht(request, pk):
    """An import: its progress while the worker runs it (htmx polls the
    status part), the dry run's outcome to confirm, or how it ended."""
    # The dry run's rows (a large JSON for a large file) are read only once
    # there is something to show: not on every poll while the worker runs.
    opdracht = get_or_404(
        policies.importopdrachten_visible_to(request.user)
        .select_related("school", "door")
        .defer("regels", "vertrokken"),
        pk=pk,
    )
    context = _opdracht_context(request, opdracht)
    if request.htmx:
        return render(request, "invoer/opdracht.html#status", context)
    return render(request, "invoer/opdracht.html", context)


def _opdracht_context(request, opdracht: Importopdracht, form=None) -> dict:
    filter_ = request.GET.get("toon")
    regels = [] if opdracht.loopt else opdracht.regels
    if filter_ in FILTERS:
        regels = [r for r in regels if r["uitkomst"] == filter_]
    else:
        # Errors first: they are what stands between the file and the import.
        filter_ = None
        regels = sorted(regels, key=lambda r: r["uitkomst"] != FOUT)
    mag_behandelen = policies.can_handle_importopdracht(request.user, opdracht)
    labels = _labels()
    return {
        "opdracht": opdracht,
        "soort": SOORTEN[opdracht.soort],
        "regels": [r | {"label": labels.get(r["uitkomst"], "")} for r in regels[:REGELS_TONEN]],
        "regels_meer": max(0, len(regels) - REGELS_TONEN),
        "vertrokken": [] if opdracht.loopt else opdracht.vertrokken,
        "filter": filter_,
        "filters": [(f, labels[f]) for f in FILTERS],
        "voortgang": services.voortgang(opdracht) if opdracht.loopt else None,
        "totaal_rijen": sum(
            opdracht.totalen.get(k, 0) for k in ("nieuw", "gewijzigd", "ongewijzigd", "fout")
        ),
        "mag_behandelen": mag_behandelen,
        "mag_bevestigen": mag_behandelen
        and opdracht.status == Status.GECONTROLEERD
        and not opdracht.totalen.get(FOUT),
        "mag_koppelen": mag_behandelen
        and opdracht.status in (Status.KOPPELEN, Status.GECONTROLEERD)
        and bool(opdracht.bestand),
        "form": form or BevestigenForm(),
    }


@require_POST
def bevestigen(request, pk):
    """Confirm the dry run: the import is queued once, however often this
    is sent."""
    opdracht = _te_behandelen(request, pk)
    form = BevestigenForm(request.POST)
    form.is_valid()
    try:
        bevestigd = services.import_bevestigen(
            opdracht=opdracht,
            vertrokken_beeindigen=form.cleaned_data.get("vertrokken_beeindigen", False),
        )
    except ValidationError as fout:
        for bericht in fout.messages:
            messages.error(request, bericht)
    else:
        if not bevestigd:
            messages.info(request, _("Deze import was al bevestigd: hij loopt maar één keer."))
    return redirect("invoer:opdracht", pk=opdracht.pk)
