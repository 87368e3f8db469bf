"""Absences: the secretariat's class-day page, a student's list, correcting
and removing one absence, and the section on the student page.

The secretariat records and corrects; the care team (and the CLB where it
reaches the student) reads the counts and whether the threshold was reached
(care content, which the secretariat does not see)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import schooljaar_begin
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD
from zorg.invoer import policies as invoer_policies
from zorg.invoer.models import Soort as Importsoort
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from ..forms.afwezigheden import AfwezigheidForm, KlasdagForm, KlasdagKiezenForm
from ..models import Afwezigheid, AfwezigheidCode, Afwezigheidsdrempel, Leerling
from ..services.afwezigheden import (
    afwezigheden_klasdag_registreren,
    afwezigheid_verwijderen,
    afwezigheid_wijzigen,
    datum_controleren,
    klasdag_afwezigheden,
)

PER_PAGINA = 50


def _klasdag_url(klas_id: int, datum) -> str:
    return (
        reverse("leerlingen:afwezigheden_dag")
        + "?"
        + urlencode({"klas": klas_id, "datum": datum.isoformat()})
    )


def _bewaard_bericht(uitkomst) -> str:
    if uitkomst is None or not uitkomst.aantal:
        return _("Er was niets te wijzigen.")
    bericht = ngettext(
        "%(aantal)d halve dag bewaard.", "%(aantal)d halve dagen bewaard.", uitkomst.aantal
    ) % {"aantal": uitkomst.aantal}
    return bericht


@require_http_methods(["GET", "POST"])
def afwezigheden_dag(request):
    """Choose a class and a day, then per student a select for each half
    day. Saving the whole class is one form (a fixed number of queries)."""
    user = request.user
    if not policies.can_registreren_afwezigheden(user):
        raise Http404
    klassen = list(
        policies.afwezigheid_klassen_visible_to(user)
        .select_related("schooljaar__school")
        .order_by("leerjaar", "naam")
    )
    gegevens = request.GET if ("klas" in request.GET or "datum" in request.GET) else None
    kiezen = KlasdagKiezenForm(gegevens, klassen=klassen, initial={"datum": timezone.localdate()})
    context = {
        "kiezen": kiezen,
        # A link to the absence import (zorg.invoer) for who may follow it.
        "mag_importeren": invoer_policies.can_import_anywhere(user, Importsoort.AFWEZIGHEDEN),
    }
    if gegevens is None or not kiezen.is_valid():
        return render(request, "leerlingen/afwezigheden/dag.html", context)
    klas = kiezen.cleaned_data["klas"]
    datum = kiezen.cleaned_data["datum"]
    fout = datum_controleren(datum, kalender=schoolkalender(klas.schooljaar.school_id))
    if fout:
        kiezen.add_error("datum", fout)
        return render(request, "leerlingen/afwezigheden/dag.html", context)
    leerlingen = klas.huidige_leerlingen()
    bestaand = klasdag_afwezigheden(klas, datum)
    context.update(klas=klas, datum=datum)
    if request.method == "POST":
        form = KlasdagForm(request.POST, leerlingen=leerlingen, bestaand=bestaand)
        if form.is_valid():
            try:
                uitkomst, nieuw = afwezigheden_klasdag_registreren(
                    klas=klas,
                    datum=datum,
                    door=user,
                    keuzes=form.keuzes(),
                    gezien=form.gezien(),
                    sleutel=form.eenmalige_sleutel,
                )
            except ValidationError as exc:
                # Show what is saved now, with the message on top.
                form = KlasdagForm(
                    leerlingen=leerlingen, bestaand=klasdag_afwezigheden(klas, datum)
                )
                context["fouten"] = exc.messages
            else:
                messages.success(request, _bewaard_bericht(uitkomst) if nieuw else AL_BEWAARD)
                return redirect(_klasdag_url(klas.pk, datum))
    else:
        form = KlasdagForm(leerlingen=leerlingen, bestaand=bestaand)
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="afwezigheden",
            leerlingen=leerlingen,
            school_id=klas.schooljaar.school_id,
            object_id=klas.pk,
            omschrijving=f"{klas.naam} {datum:%d/%m/%Y}",
        )
    context["form"] = form
    context["actie"] = _klasdag_url(klas.pk, datum)
    return render(request, "leerlingen/afwezigheden/dag.html", context)


# --- a student's absences -----------------------------------------------------------


def tellingen(leerling: Leerling, begin) -> list[dict]:
    """Half days per code in the school year from `begin`: one query."""
    aantallen = dict(
        Afwezigheid.objects.filter(leerling=leerling)
        .in_schooljaar(begin)
        .values("code")
        .annotate(aantal=Count("pk"))
        .values_list("code", "aantal")
    )
    return [
        {"code": code, "label": label, "aantal": aantallen.get(code, 0)}
        for code, label in AfwezigheidCode.choices
    ]


def _drempel(user, leerling: Leerling, begin):
    if not policies.can_view_afwezigheidsdrempel(user, leerling):
        return None
    # The valid record of the school year, else the last one withdrawn (the
    # page says it was): one query.
    return (
        Afwezigheidsdrempel.objects.filter(leerling=leerling, schooljaar=begin)
        .order_by(F("ingetrokken_op").desc(nulls_first=True), "-bereikt_op")
        .first()
    )


@require_GET
def leerling_afwezigheden(request, pk):
    user = request.user
    leerling = policies.get_leerling_for_user(user, pk)
    if not policies.can_view_afwezigheden(user, leerling):
        raise Http404
    begin = schooljaar_begin(timezone.localdate())
    pagina = pagineren(
        request,
        Afwezigheid.objects.filter(leerling=leerling).order_by("-datum", "dagdeel", "pk"),
        PER_PAGINA,
    )
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="afwezigheden",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving=f"pagina {pagina.number}",
    )
    return render(
        request,
        "leerlingen/afwezigheden/lijst.html",
        {
            "leerling": leerling,
            "pagina": pagina,
            "tellingen": tellingen(leerling, begin),
            "drempel": _drempel(user, leerling, begin),
            "kan_wijzigen": policies.can_registreren_afwezigheden(user, leerling.school_id),
        },
    )


def _wijzig_form(afwezigheid, data=None):
    return AfwezigheidForm(
        data,
        initial={
            "code": afwezigheid.code,
            "notitie": afwezigheid.notitie,
            "versie": afwezigheid.versie,
        },
    )


@require_http_methods(["GET", "POST"])
def afwezigheid_wijzigen_view(request, pk):
    user = request.user
    afwezigheid = policies.get_afwezigheid_for_user(user, pk)
    if not policies.can_change_afwezigheid(user, afwezigheid):
        raise Http404
    leerling = afwezigheid.leerling
    conflict = None
    if request.method == "POST":
        form = _wijzig_form(afwezigheid, request.POST)
        if form.is_valid():
            try:
                afwezigheid_wijzigen(
                    afwezigheid=afwezigheid,
                    door=user,
                    code=form.cleaned_data["code"],
                    notitie=form.cleaned_data["notitie"],
                    versie=form.cleaned_data["versie"],
                )
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, AfwezigheidForm)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("De afwezigheid werd gewijzigd."))
                return redirect("leerlingen:leerling_afwezigheden", leerling.pk)
    else:
        form = _wijzig_form(afwezigheid)
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="afwezigheid",
            leerlingen=[leerling],
            object_id=afwezigheid.pk,
        )
    return render(
        request,
        "leerlingen/afwezigheden/wijzigen.html",
        {"afwezigheid": afwezigheid, "leerling": leerling, "form": form, "conflict": conflict},
    )


@require_POST
def afwezigheid_verwijderen_view(request, pk):
    user = request.user
    afwezigheid = policies.get_afwezigheid_for_user(user, pk)
    if not policies.can_change_afwezigheid(user, afwezigheid):
        raise Http404
    leerling_pk = afwezigheid.leerling_id
    try:
        versie = int(request.POST.get("versie", ""))
    except ValueError:
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return redirect("leerlingen:afwezigheid_wijzigen", afwezigheid.pk)
    try:
        afwezigheid_verwijderen(afwezigheid=afwezigheid, door=user, versie=versie)
    except VerouderdeVersie as exc:
        messages.error(request, exc.bericht)
        return redirect("leerlingen:afwezigheid_wijzigen", afwezigheid.pk)
    messages.success(request, _("De afwezigheid werd verwijderd."))
    return redirect("leerlingen:leerling_afwezigheden", leerling_pk)


# --- the section on the student page --------------------------------------------------


def sectie(request, leerling) -> dict:
    """Half days per code this school year: for the secretariat (no more),
    for the care team and the CLB in reach also the threshold. Teachers see
    no section."""
    user = request.user
    if not policies.can_view_afwezigheden(user, leerling):
        return {}
    begin = schooljaar_begin(timezone.localdate())
    return {
        "onderdeel": "afwezigheden",
        "tellingen": tellingen(leerling, begin),
        "drempel": _drempel(user, leerling, begin),
        "zorg": policies.can_view_afwezigheidsdrempel(user, leerling),
        "drempelwaarde": leerling.school.afwezigheid_drempel,
    }


urlpatterns = [
    path("afwezigheden/", afwezigheden_dag, name="afwezigheden_dag"),
    path("leerlingen/<int:pk>/afwezigheden/", leerling_afwezigheden, name="leerling_afwezigheden"),
    path("afwezigheden/<int:pk>/wijzigen/", afwezigheid_wijzigen_view, name="afwezigheid_wijzigen"),
    path(
        "afwezigheden/<int:pk>/verwijderen/",
        afwezigheid_verwijderen_view,
        name="afwezigheid_verwijderen",
    ),
]
