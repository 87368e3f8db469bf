"""The sections of the student page, in order.

Each part of the care record contributes a `sectie(request, leerling)` that
returns its template context (with an `onderdeel` naming its template
`leerlingen/secties/<onderdeel>.html`, or a `template` of its own) or
nothing when the user may not see it. Apps built on the student record (the
meetings, the CLB) add their sections from their AppConfig.ready() without
this app importing them."""

from collections.abc import Callable

_EXTRA: list[tuple[str, Callable]] = []


def sectie_registreren(sectie: Callable, *, voor: str = "tijdlijn") -> None:
    """Show `sectie` on the student page just before the built-in section
    `voor` (the timeline by default). Registering twice is harmless."""
    if all(bestaand is not sectie for _voor, bestaand in _EXTRA):
        _EXTRA.append((voor, sectie))


def secties(ingebouwd: list[tuple[str, Callable]]) -> list[Callable]:
    """The built-in sections (name, function) with the registered ones in
    their place."""
    result: list[Callable] = []
    for naam, sectie in ingebouwd:
        result += [extra for voor, extra in _EXTRA if voor == naam]
        result.append(sectie)
    bekend = {naam for naam, _sectie in ingebouwd}
    result += [extra for voor, extra in _EXTRA if voor not in bekend]
    return result
