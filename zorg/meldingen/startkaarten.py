"""The notifications' card on the start page (zorg.startpagina): the
newest unread, for everyone, last."""

from zorg.startpagina import NAKIJKEN, Kaart

from .models import Melding


def recente_meldingen(request) -> dict:
    return {"recente_meldingen": list(Melding.objects.voor(request.user).ongelezen()[:5])}


KAARTEN = [
    Kaart(
        naam="meldingen",
        volgorde=NAKIJKEN + 90,
        template="meldingen/_meldingen_start.html",
        context=recente_meldingen,
    ),
]
