"""The care-policy cards on the start page (zorg.startpagina): the way to
the reflection for the director and the care coordinators, and one's own
open actions from a reflection."""

from zorg.accounts.models import Schooljaar
from zorg.startpagina import OP_START, Kaart

from . import policies


def zorgbeleid(request) -> dict | None:
    """The current school year's reflection of each school whose report the
    user opens: one query."""
    jaren = (
        Schooljaar.objects.filter(
            is_huidig=True, school__in=policies.rapport_scholen_visible_to(request.user)
        )
        .select_related("school")
        .order_by("school__naam")
    )
    paren = [(jaar.school, jaar) for jaar in jaren]
    return {"zorgbeleid_scholen": paren} if paren else None


def beleidsacties(request) -> dict | None:
    """The user's own open actions, the earliest due first: one query."""
    acties = list(
        policies.reflecties_acties_van(request.user).order_by("vervaldatum", "pk")[:OP_START]
    )
    return {"mijn_beleidsacties": acties} if acties else None


KAARTEN = [
    Kaart(
        naam="mijn_beleidsacties",
        volgorde=35,
        template="zorgbeleid/_acties_start.html",
        context=beleidsacties,
    ),
    Kaart(
        naam="zorgbeleid",
        volgorde=150,
        template="zorgbeleid/_start.html",
        context=zorgbeleid,
        voor=policies.can_view_zorgbeleid,
    ),
]
