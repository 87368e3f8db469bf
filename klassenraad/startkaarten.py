"""The meetings' cards on the start page (zorg.startpagina): preparing the
next care cell, and one's own open action items."""

from django.db.models import Count, Q
from django.utils import timezone

from zorg.accounts.policies import zorgteam_school_ids
from zorg.startpagina import GETOOND, OP_START, Kaart

from . import policies
from .models import Actiepunt, Overleg


def volgende_cellen(request) -> dict:
    """The next care cell of each school where this user is in the care
    team (planned or going on, from today): one query."""
    school_ids = zorgteam_school_ids(request.user)
    vandaag = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    cellen = (
        Overleg.objects.cellen()
        .filter(school_id__in=school_ids, moment__gte=vandaag)
        .exclude(status=Overleg.Status.AFGESLOTEN)
        .select_related("school")
        .annotate(aantal_punten=Count("agendapunten"))
        .order_by("moment", "pk")
    )
    # A school plans a few cells ahead at most: the first per school.
    eerste: dict[int, Overleg] = {}
    for cel in cellen[: 5 * len(school_ids)]:
        eerste.setdefault(cel.school_id, cel)
    return {"volgende_cellen": list(eerste.values())}


def actiepunten(request) -> dict | None:
    """The user's own open action items, the earliest due (so the overdue)
    first: two queries when there are any, one when there are none. Only
    items about students whose care content the user may read."""
    user = request.user
    open_ = policies.actiepunten_visible_to(user).open().filter(eigenaar=user)
    aantallen = open_.aggregate(
        aantal=Count("pk"),
        # In the same query, by the queryset's own rule of what is overdue.
        achterstallig=Count(
            "pk", filter=Q(pk__in=Actiepunt.objects.filter(eigenaar=user).achterstallig())
        ),
    )
    if not aantallen["aantal"]:
        return None
    lijst = list(open_.select_related("leerling").order_by("vervaldatum", "pk")[:OP_START])
    return {
        "mijn_actiepunten": lijst,
        GETOOND: [actiepunt.leerling for actiepunt in lijst],
        "mijn_actiepunten_aantal": aantallen["aantal"],
        "mijn_actiepunten_achterstallig": aantallen["achterstallig"],
    }


KAARTEN = [
    Kaart(
        naam="volgende_cel",
        volgorde=20,
        template="klassenraad/_cel_start.html",
        context=volgende_cellen,
        voor=lambda user: bool(zorgteam_school_ids(user)),
    ),
    Kaart(
        naam="mijn_actiepunten",
        volgorde=30,
        template="klassenraad/_actiepunten_start.html",
        context=actiepunten,
    ),
]
