"""The notifications' card on the start page (zorg.startpagina): the
newest unread, for everyone, last."""

from zorg.startpagina import GETOOND, NAKIJKEN, Kaart

from .models import Melding
from .services import genoemde_leerlingen


def recente_meldingen(request) -> dict:
    meldingen = list(Melding.objects.voor(request.user).ongelezen().select_related("leerling")[:5])
    return {"recente_meldingen": meldingen, GETOOND: genoemde_leerlingen(meldingen)}


KAARTEN = [
    Kaart(
        naam="meldingen",
        volgorde=NAKIJKEN + 90,
        template="meldingen/_meldingen_start.html",
        context=recente_meldingen,
    ),
]
