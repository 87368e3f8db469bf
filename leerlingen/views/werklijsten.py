"""The whole of the start page's capped work lists that no other page
lists: the open red flags of the care team's schools (waiting for
acknowledgement, acknowledged and still followed up, escalated to the
director) and the open pattern signals. The start page shows the first ten
of each and links here for the rest.

The querysets live here, beside their pages, so the start page's cards
(leerlingen.startkaarten) and the lists always show the same items in the
same order."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.paginering import pagineren

from .. import policies
from ..models import Inschrijving, VlagBetrokkene

# The three lists of open red flags, as ?status= names them.
ONERKEND = "onerkend"
ERKEND = "erkend"
GEESCALEERD = "geescaleerd"
RODE_LIJSTEN = (ONERKEND, ERKEND, GEESCALEERD)


def met_leerlingen(vlaggen):
    """The class and the involved students of each flag, in one query for
    the whole list."""
    return vlaggen.select_related("klas").prefetch_related(
        Prefetch(
            "betrokkenen",
            queryset=VlagBetrokkene.objects.select_related("leerling").order_by(
                "leerling__achternaam", "leerling__voornaam"
            ),
        )
    )


def open_rode_vlaggen(user):
    """Open red flags of the schools where the user is in the care team."""
    return policies.open_rode_vlaggen_visible_to(user)


def geescaleerd_filter(user) -> Q:
    """Escalated flags count for the director of the flag's school only."""
    return policies.geescaleerd_voor(user)


def rode_vlaggen_lijst(user, status: str):
    """One of the three lists, in the order the start page shows it: the
    longest waiting on top (for the escalated: the earliest escalated)."""
    rood = open_rode_vlaggen(user)
    if status == ONERKEND:
        return met_leerlingen(rood.filter(erkend_op__isnull=True)).order_by("aangemaakt", "pk")
    if status == ERKEND:
        return (
            met_leerlingen(rood.filter(erkend_op__isnull=False))
            .select_related("erkend_door", "opgenomen_door")
            .order_by("aangemaakt", "pk")
        )
    return (
        met_leerlingen(rood.filter(geescaleerd_filter(user)))
        .select_related("erkend_door")
        .order_by("geescaleerd_op", "pk")
    )


def open_signalen(user):
    """Open pattern signals: of every student of the school for the care
    team, of the students of their own class for a class teacher; the
    oldest first, each with its student's current class name."""
    klas = Inschrijving.objects.actief().filter(leerling_id=OuterRef("leerling_id"))
    return (
        policies.signalen_visible_to(user)
        .filter(afgehandeld_op__isnull=True)
        .select_related("leerling")
        .annotate(klas_naam=Subquery(klas.values("klas__naam")[:1]))
        .order_by("aangemaakt", "pk")
    )


def _audit(user, onderwerp: str, leerlingen, omschrijving: str) -> None:
    if leerlingen:
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp=onderwerp,
            leerlingen=list({ll.pk: ll for ll in leerlingen}.values()),
            omschrijving=omschrijving,
        )


@require_GET
def rode_vlag_lijst(request):
    """Every open red flag of one of the three lists, paginated: for the
    care team; the escalated list for the director. Anyone else gets 404.
    A fixed number of queries, whatever the number of flags."""
    user = request.user
    if not policies.can_view_rode_vlaggen(user):
        raise Http404
    is_directie = policies.can_view_geescaleerde_vlaggen(user)
    status = request.GET.get("status", ONERKEND)
    if status not in RODE_LIJSTEN:
        status = ONERKEND
    if status == GEESCALEERD and not is_directie:
        raise Http404
    pagina = pagineren(request, rode_vlaggen_lijst(user, status))
    _audit(
        user,
        "vlag",
        [b.leerling for v in pagina.object_list for b in v.betrokkenen.all()],
        f"rode vlaggen: {status}",
    )
    return render(
        request,
        "leerlingen/vlagalarm/rode_vlag_lijst.html",
        {"pagina": pagina, "status": status, "is_directie": is_directie},
    )


@require_GET
def signaal_lijst(request):
    """Every open pattern signal the user sees on the start page, paginated:
    the care team and the class teacher; anyone else gets 404."""
    user = request.user
    if not policies.can_view_signalen(user):
        raise Http404
    pagina = pagineren(request, open_signalen(user))
    _audit(user, "signaal", [s.leerling for s in pagina.object_list], "open signalen")
    return render(request, "leerlingen/vlagalarm/signaal_lijst.html", {"pagina": pagina})


urlpatterns = [
    path("vlaggen/rood/", rode_vlag_lijst, name="rode_vlag_lijst"),
    path("signalen/", signaal_lijst, name="signaal_lijst"),
]
