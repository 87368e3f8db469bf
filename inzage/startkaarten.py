"""The director's start card: the access requests still to hand over whose
legal month ends within a week, or has ended."""

from django.utils import timezone

from zorg.startpagina import GETOOND, OP_START, Kaart

from . import policies

DAGEN_VOORAF = 7


def inzage_termijnen(request) -> dict | None:
    """One query: the urgent requests with their student, earliest first."""
    vandaag = timezone.localdate()
    verzoeken = list(
        policies.inzageverzoeken_visible_to(request.user)
        .dringend(vandaag, DAGEN_VOORAF)
        .select_related("leerling")
        .order_by("termijn", "pk")[: OP_START + 1]
    )
    if not verzoeken:
        return None
    getoond = verzoeken[:OP_START]
    return {
        "inzage_dringend": [(v, (v.termijn - vandaag).days) for v in getoond],
        "inzage_meer": len(verzoeken) > OP_START,
        GETOOND: [v.leerling for v in getoond],
    }


KAARTEN = [
    Kaart(
        naam="inzage_termijnen",
        volgorde=25,
        template="inzage/_start.html",
        context=inzage_termijnen,
        voor=policies.can_view_inzageverzoeken,
    )
]
