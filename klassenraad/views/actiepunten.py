"""Action items: "my action items" for their owners (open first, overdue
highlighted), the school's open items for the care team, one item with its
student and meeting, and completing or cancelling it.

Access follows klassenraad.policies: the owner and the school's care team
see an item (anyone else gets 404); the same people complete it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, F, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from leerlingen.policies import can_add_gesprek, leerlingen_visible_to
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from ..forms.actiepunten import AfhandelenForm
from ..models import Actiepunt, BeslissingSoort
from ..services.actiepunten import actiepunt_afhandelen as afhandelen_service

PER_PAGINA = 50


def _zichtbare_ids(queryset, ids) -> set[int]:
    if not ids:
        return set()
    return set(queryset.filter(pk__in=ids).values_list("pk", flat=True))


@require_GET
def actiepunt_lijst(request):
    """ "Mijn actiepunten": open first (the earliest due, so the overdue, on
    top), then those handled (the latest first); or, for the care team, the
    school's open items (?wie=school). A fixed number of queries, whatever
    the number of items."""
    user = request.user
    zorgteam = policies.can_view_school_actiepunten(user)
    school = zorgteam and request.GET.get("wie") == "school"
    # Always from the policy's querysets: an item owned by someone who may not
    # read the student's care content (old data) is not theirs to list.
    if school:
        items = policies.school_actiepunten_visible_to(user).open()
    else:
        items = policies.actiepunten_visible_to(user).filter(eigenaar=user)
    is_open = Q(status=Actiepunt.Status.OPEN)
    items = items.select_related("leerling", "overleg__klas", "eigenaar").order_by(
        Case(When(is_open, then=Value(0)), default=Value(1)),
        Case(When(is_open, then=F("vervaldatum"))).asc(),
        F("afgehandeld_op").desc(nulls_last=True),
        "pk",
    )
    pagina = pagineren(request, items, PER_PAGINA)
    rij = pagina.object_list
    leerling_ids = _zichtbare_ids(leerlingen_visible_to(user), {a.leerling_id for a in rij})
    overleg_ids = _zichtbare_ids(policies.overleggen_visible_to(user), {a.overleg_id for a in rij})
    for actiepunt in rij:
        actiepunt.toon_leerling = actiepunt.leerling_id in leerling_ids
        actiepunt.toon_overleg = actiepunt.overleg_id in overleg_ids
    if rij:
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="actiepunten",
            leerlingen=list({a.leerling_id: a.leerling for a in rij}.values()),
            omschrijving="school" if school else "mijn",
        )
    return render(
        request,
        "klassenraad/actiepunten/lijst.html",
        {"pagina": pagina, "zorgteam": zorgteam, "school": school},
    )


def _detail_context(request, actiepunt, form=None, verouderd=None) -> dict:
    user = request.user
    leerling = actiepunt.leerling
    kan_afhandelen = actiepunt.status == Actiepunt.Status.OPEN and policies.can_update_actiepunt(
        user, actiepunt
    )
    if kan_afhandelen and form is None:
        form = AfhandelenForm(initial={"versie": actiepunt.versie})
    beslissing = actiepunt.beslissing
    ziet_leerling = leerlingen_visible_to(user).filter(pk=leerling.pk).exists()
    oudergesprek = (
        beslissing is not None
        and beslissing.soort == BeslissingSoort.OUDERGESPREK
        and actiepunt.status == Actiepunt.Status.OPEN
        and ziet_leerling
        and can_add_gesprek(user, leerling)
    )
    return {
        "actiepunt": actiepunt,
        "beslissing": beslissing,
        "leerling": leerling,
        "ziet_leerling": ziet_leerling,
        "ziet_overleg": policies.overleggen_visible_to(user)
        .filter(pk=actiepunt.overleg_id)
        .exists(),
        "kan_afhandelen": kan_afhandelen,
        "form": form if kan_afhandelen else None,
        "oudergesprek": oudergesprek,
        "verouderd": verouderd,
    }


@require_GET
def actiepunt_detail(request, pk):
    actiepunt = policies.get_actiepunt_for_user(request.user, pk)
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="actiepunt",
        leerlingen=[actiepunt.leerling],
        object_id=actiepunt.pk,
    )
    return render(
        request, "klassenraad/actiepunten/detail.html", _detail_context(request, actiepunt)
    )


@require_POST
def actiepunt_afhandelen(request, pk):
    actiepunt = policies.get_actiepunt_for_user(request.user, pk)
    if not policies.can_update_actiepunt(request.user, actiepunt):
        raise Http404
    form = AfhandelenForm(request.POST)
    status = 200
    verouderd = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            bijgewerkt = afhandelen_service(
                actiepunt=actiepunt,
                status=d["status"],
                resultaat=d["resultaat"],
                versie=d["versie"],
                door=request.user,
            )
        except VerouderdeVersie as exc:
            verouderd = exc
            actiepunt = policies.get_actiepunt_for_user(request.user, pk)
            status = 409
            if actiepunt.status == Actiepunt.Status.OPEN:
                form, _conflict = conflict_tonen(request, exc, AfhandelenForm, huidig=actiepunt)
        except ValidationError as fout:
            if hasattr(fout, "error_dict"):
                for veld, fouten in fout.error_dict.items():
                    form.add_error(veld if veld in form.fields else None, fouten)
            else:
                form.add_error(None, fout)
        else:
            if bijgewerkt.status == Actiepunt.Status.AFGEROND:
                messages.success(request, _("Het actiepunt is afgerond."))
            else:
                messages.success(request, _("Het actiepunt is geannuleerd."))
            return redirect("klassenraad:actiepunt_detail", pk=actiepunt.pk)
    return render(
        request,
        "klassenraad/actiepunten/detail.html",
        _detail_context(request, actiepunt, form=form, verouderd=verouderd),
        status=status,
    )


urlpatterns = [
    path("actiepunten/", actiepunt_lijst, name="actiepunt_lijst"),
    path("actiepunten/<int:pk>/", actiepunt_detail, name="actiepunt_detail"),
    path("actiepunten/<int:pk>/afhandelen/", actiepunt_afhandelen, name="actiepunt_afhandelen"),
]
