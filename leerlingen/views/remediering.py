"""Remediation and differentiation (remediëring en differentiatie): a
teacher records, in a subject they teach, what they do for the whole class,
a group of it or one student; the class's list beside its measures overview;
the student's section; an edit (versioned) and closing with the result.

Who: the class's teachers and class teacher and the school's care team see
and edit all of the class's; an author keeps their own; the secretariat,
the administrator and the CLB get 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
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
from ..forms.remediering import (
    NieuweRemedieringForm,
    RemedieringForm,
    ResultaatForm,
    initial_van,
)
from ..models import Leerling, Remediering
from ..services import remediering as services
from ..services.remediering import OPEN_STATUSSEN, remediering_url


def _groep_prefetch():
    return Prefetch("groep", queryset=Leerling.objects.order_by("achternaam", "voornaam", "pk"))


def _met_alles(queryset):
    return queryset.select_related("vak", "leerling", "door", "klas").prefetch_related(
        _groep_prefetch()
    )


def _genoemd(remedieringen) -> list:
    """The students the listed remediations name (for the audit trail)."""
    genoemd = {}
    for r in remedieringen:
        for leerling in [r.leerling] if r.leerling_id else r.groep.all():
            genoemd[leerling.pk] = leerling
    return list(genoemd.values())


@require_GET
def klas_remedieringen(request, pk):
    """The class's remediation and differentiation, running and planned on
    top, closed below: a tab beside the class's measures overview."""
    user = request.user
    klas = policies.get_klas_remedieringen_for_user(user, pk)
    remedieringen = list(
        _met_alles(policies.remedieringen_visible_to(user).filter(klas=klas)).order_by(
            "-begin", "-pk"
        )
    )
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="klas_remediering",
        leerlingen=_genoemd(remedieringen),
        school_id=klas.schooljaar.school_id,
        object_id=klas.pk,
        omschrijving=klas.naam,
    )
    return render(
        request,
        "leerlingen/remediering/klas_remedieringen.html",
        {
            "klas": klas,
            "open": [r for r in remedieringen if r.status in OPEN_STATUSSEN],
            "afgerond": [r for r in remedieringen if r.status not in OPEN_STATUSSEN],
            "kan_registreren": bool(policies.remediering_vakken(user, klas)),
            "kan_maatregelen_zien": policies.can_view_klas_maatregelen(user, klas),
        },
    )


@require_http_methods(["GET", "POST"])
def remediering_nieuw(request, pk):
    user = request.user
    klas = policies.get_klas_remedieringen_for_user(user, pk)
    vakken = policies.remediering_vakken(user, klas)
    if not vakken:
        raise Http404
    formkwargs = {"vakken": vakken, "leerlingen": klas.huidige_leerlingen()}
    if request.method == "POST":
        form = NieuweRemedieringForm(request.POST, **formkwargs)
        if form.is_valid():
            try:
                r, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: services.remediering_maken(
                        klas=klas, gegevens=form.gegevens(), door=user
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De remediëring is bewaard.") if nieuw else AL_BEWAARD)
                return redirect(remediering_url(r))
    else:
        form = NieuweRemedieringForm(initial={"begin": timezone.localdate()}, **formkwargs)
    return render(
        request, "leerlingen/remediering/remediering_nieuw.html", {"klas": klas, "form": form}
    )


@require_GET
def remediering_detail(request, pk):
    user = request.user
    r = policies.get_remediering_for_user(user, pk)
    groep = list(r.groep.order_by("achternaam", "voornaam", "pk"))
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="remediering",
        leerlingen=[r.leerling] if r.leerling_id else groep,
        school_id=r.school_id,
        object_id=r.pk,
    )
    return render(
        request,
        "leerlingen/remediering/remediering_detail.html",
        {
            "r": r,
            "klas": r.klas,
            "groep": groep,
            "kan_bewerken": policies.can_edit_remediering(user, r),
            "is_open": r.status in OPEN_STATUSSEN,
        },
    )


def _te_bewerken(request, pk) -> Remediering:
    r = policies.get_remediering_for_user(request.user, pk)
    if not policies.can_edit_remediering(request.user, r):
        raise Http404
    return r


def _formkwargs(user, r: Remediering, groep) -> dict:
    vakken = policies.remediering_vakken(user, r.klas)
    if r.vak_id not in {v.pk for v in vakken}:
        # An author who no longer teaches the subject keeps it on their own.
        vakken = [*vakken, r.vak]
    leerlingen = {ll.pk: ll for ll in r.klas.huidige_leerlingen()}
    for ll in [*groep, *([r.leerling] if r.leerling_id else [])]:
        leerlingen.setdefault(ll.pk, ll)
    return {"vakken": vakken, "leerlingen": list(leerlingen.values())}


@require_http_methods(["GET", "POST"])
def remediering_bewerken(request, pk):
    user = request.user
    r = _te_bewerken(request, pk)
    groep = list(r.groep.order_by("achternaam", "voornaam", "pk"))
    formkwargs = _formkwargs(user, r, groep)
    conflict = None
    status_code = 200
    if r.status not in OPEN_STATUSSEN:
        messages.info(request, _("Deze remediëring is afgerond en kan niet meer gewijzigd worden."))
        return redirect(remediering_url(r))
    if request.method == "POST":
        form = RemedieringForm(request.POST, versie=r.versie, **formkwargs)
        if form.is_valid():
            try:
                services.remediering_wijzigen(
                    remediering=r,
                    versie=form.cleaned_data["versie"],
                    gegevens=form.gegevens(),
                    door=user,
                )
            except VerouderdeVersie as exc:
                huidig = policies.get_remediering_for_user(user, r.pk)
                form, conflict = conflict_tonen(
                    request,
                    exc,
                    RemedieringForm,
                    huidig=huidig,
                    bericht=_(
                        "Iemand anders wijzigde deze remediëring intussen. Je invoer is nog "
                        "niet bewaard: kijk ze na en bewaar opnieuw."
                    ),
                    versie=huidig.versie,
                    **formkwargs,
                )
                r = huidig
                status_code = 409
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De wijzigingen zijn bewaard."))
                return redirect(remediering_url(r))
    else:
        form = RemedieringForm(
            initial=initial_van(r, [ll.pk for ll in groep]), versie=r.versie, **formkwargs
        )
    return render(
        request,
        "leerlingen/remediering/remediering_bewerken.html",
        {"r": r, "klas": r.klas, "form": form, "conflict": conflict},
        status=status_code,
    )


@require_http_methods(["GET", "POST"])
def remediering_afsluiten(request, pk):
    """Close it with the result at the end: aim achieved, partly or not."""
    user = request.user
    r = _te_bewerken(request, pk)
    form = ResultaatForm(request.POST or None, initial={"versie": r.versie})
    if request.method == "POST" and form.is_valid():
        try:
            services.remediering_afsluiten(remediering=r, door=user, **form.cleaned_data)
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(request, _("Het resultaat is bewaard."))
            return redirect(remediering_url(r))
    return render(
        request,
        "leerlingen/remediering/remediering_afsluiten.html",
        {"r": r, "klas": r.klas, "form": form, "kan": r.status in OPEN_STATUSSEN},
    )


urlpatterns = [
    path("klassen/<int:pk>/remediering/", klas_remedieringen, name="klas_remedieringen"),
    path("klassen/<int:pk>/remediering/nieuw/", remediering_nieuw, name="remediering_nieuw"),
    path("remediering/<int:pk>/", remediering_detail, name="remediering_detail"),
    path("remediering/<int:pk>/bewerken/", remediering_bewerken, name="remediering_bewerken"),
    path("remediering/<int:pk>/afsluiten/", remediering_afsluiten, name="remediering_afsluiten"),
]


def leerling_remedieringen(user, leerling, vanaf=None) -> dict:
    """What the student page and the care file show: the student's own
    (their own or their group's) and those of their whole class ("in de
    klas"); from `vanaf` on (one closed before it is left out) when given.
    Two queries, however many."""
    remedieringen = policies.leerling_remedieringen_visible_to(user, leerling)
    if vanaf is not None:
        remedieringen = remedieringen.exclude(
            status=Remediering.Status.AFGEROND, resultaat_datum__lt=vanaf
        )
    rijen = list(_met_alles(remedieringen).order_by("-begin", "-pk"))
    return {
        "eigen": [r for r in rijen if r.niveau != Remediering.Niveau.KLAS],
        "in_de_klas": [r for r in rijen if r.niveau == Remediering.Niveau.KLAS],
    }


def sectie(request, leerling) -> dict:
    """The student page: shown when the reader sees any of it."""
    if not policies.can_view_zorg(request.user, leerling):
        return {}
    gegevens = leerling_remedieringen(request.user, leerling)
    if not (gegevens["eigen"] or gegevens["in_de_klas"]):
        return {}
    return {"onderdeel": "remediering", **gegevens}
