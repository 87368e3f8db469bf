"""Who may import which kind of data into a school and read the history
of that kind.

One table, `RECHTEN`, says it per kind of import (`models.Soort`): the
school's administrator (beheerder) imports everything and the director
reads every kind's history (what was imported, when, by whom, with which
outcome). Absences are the secretariat's administrative data (issue 17):
the student secretariat imports them too and reads their history, and no
other kind's. No one else sees any of it, and an import one may not read
(another school's, another kind's) is a 404 like one that does not
exist."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zorg.accounts.models import Rol, School
from zorg.accounts.policies import get_or_404, toegang

from .models import Importopdracht, Soort


@dataclass(frozen=True)
class Rechten:
    # The roles that start, map and confirm an import of the kind.
    invoerders: frozenset[str]
    # The roles that read its history and outcome (the importers too).
    lezers: frozenset[str]


_BEHEER = Rechten(
    invoerders=frozenset({Rol.BEHEERDER}),
    lezers=frozenset({Rol.BEHEERDER, Rol.DIRECTIE}),
)

RECHTEN: dict[str, Rechten] = {
    Soort.LEERLINGEN: _BEHEER,
    Soort.KLASSEN: _BEHEER,
    Soort.PERSONEEL: _BEHEER,
    Soort.LESOPDRACHTEN: _BEHEER,
    Soort.AFWEZIGHEDEN: Rechten(
        invoerders=frozenset({Rol.SECRETARIAAT, Rol.BEHEERDER}),
        lezers=frozenset({Rol.SECRETARIAAT, Rol.BEHEERDER, Rol.DIRECTIE}),
    ),
}


def _lezer_scholen(user, soort: str) -> frozenset[int]:
    return toegang(user).scholen_met(*RECHTEN[soort].lezers)


def _invoerder_scholen(user, soort: str) -> frozenset[int]:
    return toegang(user).scholen_met(*RECHTEN[soort].invoerders)


def invoer_scholen_visible_to(user) -> QuerySet[School]:
    """The schools whose history of some kind of import the user reads."""
    ids = frozenset().union(*(_lezer_scholen(user, soort) for soort in RECHTEN))
    return School.objects.filter(pk__in=ids)


def get_invoer_school_for_user(user, pk) -> School:
    return get_or_404(invoer_scholen_visible_to(user), pk=pk)


def importopdrachten_visible_to(user) -> QuerySet[Importopdracht]:
    """The imports of the kinds the user reads, in the schools where they
    read that kind (one condition per set of schools, whatever the number
    of kinds)."""
    per_scholen: dict[frozenset[int], list[str]] = {}
    for soort in RECHTEN:
        scholen = _lezer_scholen(user, soort)
        if scholen:
            per_scholen.setdefault(scholen, []).append(soort)
    if not per_scholen:
        return Importopdracht.objects.none()
    voorwaarde = Q()
    for scholen, soorten in per_scholen.items():
        voorwaarde |= Q(school_id__in=scholen, soort__in=soorten)
    return Importopdracht.objects.filter(voorwaarde)


def get_importopdracht_for_user(user, pk) -> Importopdracht:
    return get_or_404(
        importopdrachten_visible_to(user).select_related("school", "door", "schooljaar"), pk=pk
    )


def import_soorten_for(user, school: School) -> list[str]:
    """The kinds the user may import into `school`, in the table's order
    (the upload form offers these and no other)."""
    return [soort for soort in RECHTEN if school.pk in _invoerder_scholen(user, soort)]


def can_import(user, school: School, soort: str | None = None) -> bool:
    """Whether the user imports `soort` (None: some kind) into `school`."""
    if soort is None:
        return bool(import_soorten_for(user, school))
    return soort in RECHTEN and school.pk in _invoerder_scholen(user, soort)


def can_import_anywhere(user, soort: str) -> bool:
    """Whether the user imports `soort` into some school (its template's
    downloads, the link from the secretariat's absence page)."""
    return soort in RECHTEN and bool(_invoerder_scholen(user, soort))


def can_handle_importopdracht(user, opdracht: Importopdracht) -> bool:
    """Map, confirm: those who import the kind into the import's school."""
    return opdracht.soort in RECHTEN and opdracht.school_id in _invoerder_scholen(
        user, opdracht.soort
    )


def toont_invoer(user) -> bool:
    """Whether the menu offers the import: only to those who may open it."""
    return any(_lezer_scholen(user, soort) for soort in RECHTEN)
