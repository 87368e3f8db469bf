"""The cards of the start page, in order.

Each app contributes its own cards from its AppConfig.ready(), as the apps
add sections to the student page (leerlingen.secties); the start view only
composes them, and this module imports no app.

A card has a name, a place in the order, a template, whom it is for
(`voor(user)`, everyone by default) and a function `context(request)`
returning the card's context, or None when it has nothing to show this user.
The cards' contexts are merged into the page's, so their keys must differ.
A card that names students lists them under `GETOOND` in its context (the
key is taken out before the merge): the page records every student it
showed in the audit trail, in one INSERT for all cards together.

What needs action today comes first, below `NAKIJKEN`: red flags waiting
for acknowledgement (10), preparing the next care cell (20), access requests
near their legal deadline (25), one's own action items (30), pattern
signals (40), referrals waiting for the CLB (50); then what one looks
up: one's classes (110), the administration (120), the notifications
(190)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest

from .accounts.models import Rol, School
from .accounts.policies import toegang
from .audit.services import getoond_vastleggen

# Cards from here on are for looking up, not for acting on today.
NAKIJKEN = 100
# Each card's list shows this many items and a count of the rest.
OP_START = 10
# The context key under which a card lists the students it shows by name.
GETOOND = "getoonde_leerlingen"


def _iedereen(user) -> bool:
    return True


@dataclass(frozen=True)
class Kaart:
    naam: str
    volgorde: int
    template: str
    context: Callable[[HttpRequest], dict | None]
    voor: Callable[[object], bool] = _iedereen


_KAARTEN: dict[str, Kaart] = {}


def kaart_registreren(*kaarten: Kaart) -> None:
    """Add cards to the start page. Registering a name again replaces its
    card, so registering twice is harmless."""
    for kaart in kaarten:
        _KAARTEN[kaart.naam] = kaart


def geregistreerde_kaarten() -> list[Kaart]:
    return sorted(_KAARTEN.values(), key=lambda kaart: (kaart.volgorde, kaart.naam))


def startpagina(request) -> dict:
    """The start page's context: the roles above it, the templates of the
    cards this user gets (`kaarten`, in order) and their contexts."""
    context: dict = {"rollen": rollen(request.user), "kaarten": []}
    getoond: dict[int, tuple[object, list[str]]] = {}
    for kaart in geregistreerde_kaarten():
        if not kaart.voor(request.user):
            continue
        kaart_context = kaart.context(request)
        if kaart_context is not None:
            for leerling in kaart_context.pop(GETOOND, ()):
                getoond.setdefault(leerling.pk, (leerling, []))[1].append(kaart.naam)
            context.update(kaart_context)
            context["kaarten"].append(kaart.template)
    getoond_vastleggen(gebruiker=request.user, onderwerp="startpagina", getoond=getoond)
    return context


def rollen(user) -> list[tuple[str, School]]:
    """Each role the user holds with its school, as the page's badges show
    them: the school roles in their fixed order, then the CLB."""
    t = toegang(user)
    scholen = {s.pk: s for s in School.objects.filter(pk__in=t.alle_school_ids)}
    result = []
    for rol in Rol:
        for school_id in sorted(t.rollen.get(rol.value, ())):
            result.append((rol.label, scholen[school_id]))
    for school_id in sorted(t.clb_school_ids):
        result.append(("CLB", scholen[school_id]))
    return result
