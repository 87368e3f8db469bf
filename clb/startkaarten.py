"""The CLB's card on the start page (zorg.startpagina): the referrals
waiting for one's CLB, and the trajectories one leads."""

from leerlingen.models import Aanmelding
from zorg.startpagina import GETOOND, OP_START, Kaart

from . import policies
from .models import HGDTraject


def clb_werk(request) -> dict:
    """For CLB staff: the referrals waiting for their CLB, the newest (the
    last registered) first, so what came in since their last visit is on
    top; and how many running trajectories they lead. Two queries, three
    when referrals wait."""
    user = request.user
    wachtend = policies.aanmeldingen_voor_clb(user).filter(status=Aanmelding.Status.OPEN)
    aantal = wachtend.count()
    lijst = []
    if aantal:
        lijst = list(
            wachtend.select_related("leerling__school").order_by("-aangemaakt", "-pk")[:OP_START]
        )
    return {
        "clb_wachtend": lijst,
        GETOOND: [aanmelding.leerling for aanmelding in lijst],
        "clb_wachtend_aantal": aantal,
        "clb_mijn_lopend": policies.trajecten_voor_clb(user)
        .filter(begeleider=user, status=HGDTraject.Status.LOPEND)
        .count(),
    }


KAARTEN = [
    Kaart(
        naam="clb_aanmeldingen",
        volgorde=50,
        template="clb/_clb_start.html",
        context=clb_werk,
        voor=policies.is_clb_medewerker,
    ),
]
