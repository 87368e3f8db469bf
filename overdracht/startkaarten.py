"""The transfers' card on the start page (zorg.startpagina): for the care
team, how many transfers are open and the way to the list and the import.
Counts only, no names."""

from django.db.models import Count, Q

from zorg.startpagina import Kaart

from . import policies
from .models import Overdracht


def overdrachten(request) -> dict:
    """One query: the open transfers, and those with an objection."""
    s = Overdracht.Status
    telling = policies.overdrachten_visible_to(request.user).aggregate(
        open=Count("pk", filter=~Q(status__in=[s.VRIJGEGEVEN, s.INGETROKKEN])),
        bezwaar=Count("pk", filter=Q(status=s.BEZWAAR)),
    )
    return {
        "overdrachten_open": telling["open"],
        "overdrachten_bezwaar": telling["bezwaar"],
        "overdrachten_importeren": policies.can_import_overdracht(request.user),
    }


KAARTEN = [
    Kaart(
        naam="overdrachten",
        volgorde=160,
        template="overdracht/_start.html",
        context=overdrachten,
        voor=policies.can_view_overdrachten,
    )
]
