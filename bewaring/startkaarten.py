"""The retention card on the start page (zorg.startpagina): the way to the
dry run and the rules, for the care team of each school."""

from zorg.startpagina import NAKIJKEN, Kaart

from . import policies


def bewaring(request) -> dict | None:
    """The schools whose retention pages the user opens: one query."""
    scholen = list(policies.scholen_visible_to(request.user).order_by("naam"))
    return {"bewaring_scholen": scholen} if scholen else None


KAARTEN = [
    Kaart(
        naam="bewaring",
        # Something to look at now and then, after the notifications.
        volgorde=NAKIJKEN + 100,
        template="bewaring/_start.html",
        context=bewaring,
        voor=policies.can_view_bewaring,
    ),
]
