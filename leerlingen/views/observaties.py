"""Observations: the quick form on the student page and on the class page,
the full list per student, editing within the short window and corrections
after it.

Every read filters on the visibility levels the user has for the student
(`policies.zichtbaarheden`): a care-team-only observation never reaches a
teacher, in a page, a partial or a link."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.paginering import pagineren

from .. import policies
from ..forms.observaties import KlasObservatieForm, NieuweObservatieForm, ObservatieForm
from ..models import Klas, Leerling, Observatie, Zichtbaarheid
from ..services import observaties as diensten
from ..services.observaties import (
    VELDEN,
    bewerktermijn_voorbij,
    observatie_maken,
    observatie_url,
    termijn_voorbij_bericht,
)

PER_PAGINA = 25
IN_SECTIE = 5
VOLGORDE = ("-datum", "-aangemaakt", "-pk")


# --- what the user may see and do ---------------------------------------------


def _met_details(observaties, user, leerling: Leerling):
    """Author, the corrected original and the visible corrections in two
    extra queries for the whole list, not per row."""
    correcties = (
        Observatie.objects.filter(zichtbaarheid__in=policies.zichtbaarheden(user, leerling))
        .select_related("auteur")
        .order_by("aangemaakt", "pk")
    )
    return observaties.select_related("auteur", "corrigeert__auteur").prefetch_related(
        Prefetch("correcties", queryset=correcties, to_attr="zichtbare_correcties")
    )


def _markeren(user, leerling: Leerling, observaties: list[Observatie]) -> list[Observatie]:
    """Decide per observation what this user may do with it, here, so the
    template never has to ask (nor query)."""
    termijn = settings.ZORG_OBSERVATIE_BEWERKTERMIJN
    for observatie in observaties:
        observatie.leerling = leerling
        observatie.bewerkbaar = policies.can_edit_observatie(user, observatie) and not getattr(
            observatie, "zichtbare_correcties", None
        )
        observatie.bewerkbaar_tot = observatie.aangemaakt + termijn
        observatie.corrigeerbaar = not observatie.bewerkbaar and policies.can_correct_observatie(
            user, observatie
        )
    return observaties


def _leerling_voor_schrijven(user, pk) -> Leerling:
    leerling = policies.get_leerling_for_user(user, pk)
    if not policies.can_add_observatie(user, leerling):
        raise Http404
    return leerling


def _audit_lezen(user, leerling: Leerling, observatie: Observatie):
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="observatie",
        leerlingen=[leerling],
        object_id=observatie.pk,
    )


def _opslaan(form, user, **kwargs) -> tuple[Observatie | None, bool]:
    """Run the service with the form's data, once per form (a repeat returns
    the first observation and False); its refusals become form errors."""
    try:
        return eenmalig_bewaren(
            form, user, lambda: observatie_maken(**form.cleaned_data, auteur=user, **kwargs)
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, False


def _bewaard_bericht(observatie: Observatie, zichtbaar: bool) -> str:
    if zichtbaar:
        return _("De observatie is bewaard.")
    return _("De observatie is bewaard, enkel voor het zorgteam: je ziet ze zelf niet in de lijst.")


# --- the student page and the list ---------------------------------------------


def zichtbare_observaties(user, leerling: Leerling, vanaf: datetime.date | None = None):
    """The observations this user reads (the student page, the care file),
    newest first, from `vanaf` on when given, with their authors and
    corrections in a fixed number of queries."""
    observaties = policies.observaties_visible_to(user, leerling)
    if vanaf is not None:
        observaties = observaties.filter(datum__gte=vanaf)
    return _met_details(observaties, user, leerling).order_by(*VOLGORDE)


def sectie(request, leerling) -> dict:
    """The latest observations the user may read, and the quick form for
    those who write."""
    user = request.user
    if not policies.can_view_zorg(user, leerling):
        return {}
    laatste = zichtbare_observaties(user, leerling)[:IN_SECTIE]
    observaties = _markeren(user, leerling, list(laatste))
    mag_schrijven = policies.can_add_observatie(user, leerling)
    return {
        "onderdeel": "observaties",
        "observaties": observaties,
        "form": NieuweObservatieForm() if mag_schrijven else None,
    }


@require_GET
def observatie_lijst(request, pk):
    user = request.user
    leerling = policies.get_leerling_for_user(user, pk)
    if not policies.can_view_zorg(user, leerling):
        raise Http404
    observaties = _met_details(
        policies.observaties_visible_to(user, leerling), user, leerling
    ).order_by(*VOLGORDE)
    pagina = pagineren(request, observaties, PER_PAGINA)
    _markeren(user, leerling, pagina.object_list)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="observaties",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving=f"pagina {pagina.number}",
    )
    return render(
        request,
        "leerlingen/observaties/lijst.html",
        {
            "leerling": leerling,
            "pagina": pagina,
            "mag_schrijven": policies.can_add_observatie(user, leerling),
        },
    )


@require_http_methods(["GET", "POST"])
def observatie_nieuw(request, pk):
    """The quick form's target. With htmx the answer is the fresh form plus
    the new observation, prepended to the list out of band; without
    JavaScript a redirect back to the student page."""
    user = request.user
    leerling = _leerling_voor_schrijven(user, pk)
    if request.method == "POST":
        form = NieuweObservatieForm(request.POST)
        observatie, nieuw = (
            _opslaan(form, user, leerling=leerling) if form.is_valid() else (None, False)
        )
        if observatie is not None:
            zichtbaar = observatie.zichtbaarheid in policies.zichtbaarheden(user, leerling)
            melding = _bewaard_bericht(observatie, zichtbaar) if nieuw else str(AL_BEWAARD)
            if request.htmx:
                nieuw = None
                if zichtbaar:
                    observatie.zichtbare_correcties = []
                    nieuw = _markeren(user, leerling, [observatie])[0]
                return render(
                    request,
                    "leerlingen/observaties/toegevoegd.html",
                    {
                        "leerling": leerling,
                        "s": {"form": NieuweObservatieForm()},
                        "melding": melding,
                        "o": nieuw,
                    },
                )
            messages.success(request, melding)
            return redirect(
                reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#observaties"
            )
        if request.htmx:
            return render(
                request,
                "leerlingen/secties/observaties.html#formulier",
                {"leerling": leerling, "s": {"form": form}},
            )
    else:
        form = NieuweObservatieForm()
    return render(
        request, "leerlingen/observaties/nieuw.html", {"leerling": leerling, "form": form}
    )


@require_http_methods(["GET", "POST"])
def observatie_bewerken(request, pk, observatie_pk):
    """Only the author, only within the window. After it (or once the
    observation was corrected) the way on is a correction."""
    user = request.user
    leerling = _leerling_voor_schrijven(user, pk)
    observatie = policies.get_observatie_for_user(user, leerling, observatie_pk)
    if observatie.auteur_id != user.pk:
        raise Http404
    gecorrigeerd = observatie.correcties.exists()
    if request.method == "GET" and (bewerktermijn_voorbij(observatie) or gecorrigeerd):
        if gecorrigeerd:
            messages.info(
                request,
                _("Deze observatie werd al gecorrigeerd. Voeg een nieuwe correctie toe."),
            )
        else:
            messages.info(request, termijn_voorbij_bericht())
        return redirect("leerlingen:observatie_corrigeren", leerling.pk, observatie.pk)
    if request.method == "POST":
        form = ObservatieForm(request.POST)
        if form.is_valid():
            try:
                gewijzigd = diensten.observatie_bewerken(
                    observatie=observatie, door=user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("De observatie is gewijzigd."))
                if gewijzigd.zichtbaarheid in policies.zichtbaarheden(user, leerling):
                    return redirect(observatie_url(gewijzigd))
                return redirect(
                    reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#observaties"
                )
    else:
        form = ObservatieForm(initial={veld: getattr(observatie, veld) for veld in VELDEN})
        _audit_lezen(user, leerling, observatie)
    return render(
        request,
        "leerlingen/observaties/bewerken.html",
        {
            "leerling": leerling,
            "observatie": observatie,
            "form": form,
            "bewerkbaar_tot": observatie.aangemaakt + settings.ZORG_OBSERVATIE_BEWERKTERMIJN,
            "termijn_voorbij": request.method == "POST" and bewerktermijn_voorbij(observatie),
        },
    )


@require_http_methods(["GET", "POST"])
def observatie_corrigeren(request, pk, observatie_pk):
    """A correction is a new observation pointing at the original, which
    stays as it was written."""
    user = request.user
    leerling = policies.get_leerling_for_user(user, pk)
    origineel = policies.get_observatie_for_user(user, leerling, observatie_pk)
    if not policies.can_correct_observatie(user, origineel):
        raise Http404
    if request.method == "POST":
        form = _correctieformulier(origineel, data=request.POST)
        correctie, nieuw = (
            _opslaan(form, user, leerling=leerling, corrigeert=origineel)
            if form.is_valid()
            else (None, False)
        )
        if correctie is not None:
            messages.success(
                request,
                _(
                    "De correctie is bewaard. De oorspronkelijke observatie blijft bewaard, "
                    "met een verwijzing naar deze correctie."
                )
                if nieuw
                else AL_BEWAARD,
            )
            if correctie.zichtbaarheid in policies.zichtbaarheden(user, leerling):
                return redirect(observatie_url(correctie))
            return redirect(
                reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#observaties"
            )
    else:
        form = _correctieformulier(
            origineel, initial={veld: getattr(origineel, veld) for veld in VELDEN}
        )
        _audit_lezen(user, leerling, origineel)
    return render(
        request,
        "leerlingen/observaties/corrigeren.html",
        {"leerling": leerling, "origineel": origineel, "form": form},
    )


def _correctieformulier(origineel: Observatie, **kwargs) -> NieuweObservatieForm:
    form = NieuweObservatieForm(**kwargs)
    if origineel.zichtbaarheid == Zichtbaarheid.ZORGTEAM:
        # A correction of a care-team-only note stays care-team-only.
        veld = form.fields["zichtbaarheid"]
        veld.choices = [c for c in veld.choices if c[0] == Zichtbaarheid.ZORGTEAM]
        veld.initial = Zichtbaarheid.ZORGTEAM
    return form


# --- the class page's quick form ---------------------------------------------


@require_http_methods(["GET", "POST"])
def klas_observatie(request, pk):
    """A quick observation about a student of this class. The class page
    loads this form with htmx; its plain link leads to the same form as a
    page of its own."""
    user = request.user
    klas = policies.get_klas_for_user(user, pk)
    if not policies.can_observe_in_klas(user, klas):
        if request.method == "GET" and request.htmx:
            # The class page asks for this form wherever it shows care data;
            # for a reader who may see that data but not write here, the
            # placeholder is simply replaced by nothing.
            return HttpResponse("")
        raise Http404
    leerlingen = klas.huidige_leerlingen()
    context = {"klas": klas}
    if request.method == "POST":
        form = KlasObservatieForm(request.POST, leerlingen=leerlingen, klas=klas)
        leerling = _klasleerling_voor_schrijven(user, form, klas)
        observatie = None
        if leerling is not None:
            gegevens = {k: v for k, v in form.cleaned_data.items() if k != "leerling"}
            try:
                observatie, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: observatie_maken(leerling=leerling, auteur=user, **gegevens),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
        if observatie is not None:
            melding = (
                _("De observatie over %(naam)s is bewaard.") % {"naam": leerling.volledige_naam}
                if nieuw
                else str(AL_BEWAARD)
            )
            if not request.htmx:
                messages.success(request, melding)
                return redirect("leerlingen:klas_observatie", klas.pk)
            form = KlasObservatieForm(leerlingen=leerlingen, klas=klas)
            context.update(melding=melding, bewaard_voor=leerling)
    else:
        form = KlasObservatieForm(leerlingen=leerlingen, klas=klas)
    context["form"] = form
    if request.htmx:
        return render(request, "leerlingen/observaties/klas.html#formulier", context)
    return render(request, "leerlingen/observaties/klas.html", context)


def _klasleerling_voor_schrijven(user, form, klas: Klas) -> Leerling | None:
    """The chosen student, once more through the policy: in this class, and
    someone this user may write about. Anything else is a form error."""
    if not form.is_valid():
        return None
    fout = _("Kies een leerling uit klas %(klas)s.") % {"klas": klas.naam}
    try:
        leerling = policies.get_leerling_for_user(user, form.cleaned_data["leerling"])
    except Http404:
        form.add_error("leerling", fout)
        return None
    if not policies.can_add_observatie(user, leerling):
        form.add_error("leerling", fout)
        return None
    return leerling


urlpatterns = [
    path("leerlingen/<int:pk>/observaties/", observatie_lijst, name="observatie_lijst"),
    path("leerlingen/<int:pk>/observaties/nieuw/", observatie_nieuw, name="observatie_nieuw"),
    path(
        "leerlingen/<int:pk>/observaties/<int:observatie_pk>/bewerken/",
        observatie_bewerken,
        name="observatie_bewerken",
    ),
    path(
        "leerlingen/<int:pk>/observaties/<int:observatie_pk>/corrigeren/",
        observatie_corrigeren,
        name="observatie_corrigeren",
    ),
    path("klassen/<int:pk>/observatie/", klas_observatie, name="klas_observatie"),
]
