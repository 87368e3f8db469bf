"""Who may import into a school and read its import history.

The school's administrator (beheerder) imports; the director reads the
history (what was imported, when, by whom, with which outcome). No one
else sees any of it, and an import of a school one has no such role in is
a 404 like one that does not exist."""

from django.db.models import QuerySet

from zorg.accounts.models import Rol, School
from zorg.accounts.policies import get_or_404, toegang

from .models import Importopdracht

INVOERDERS = (Rol.BEHEERDER,)
LEZERS = (Rol.BEHEERDER, Rol.DIRECTIE)


def invoer_scholen_visible_to(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=toegang(user).scholen_met(*LEZERS))


def get_invoer_school_for_user(user, pk) -> School:
    return get_or_404(invoer_scholen_visible_to(user), pk=pk)


def importopdrachten_visible_to(user) -> QuerySet[Importopdracht]:
    return Importopdracht.objects.filter(school_id__in=toegang(user).scholen_met(*LEZERS))


def get_importopdracht_for_user(user, pk) -> Importopdracht:
    return get_or_404(
        importopdrachten_visible_to(user).select_related("school", "door", "schooljaar"), pk=pk
    )


def can_import(user, school: School) -> bool:
    return school.pk in toegang(user).scholen_met(*INVOERDERS)


def can_import_anywhere(user) -> bool:
    """Whether the user imports into some school (the templates' downloads)."""
    return bool(toegang(user).scholen_met(*INVOERDERS))


def can_handle_importopdracht(user, opdracht: Importopdracht) -> bool:
    """Map, confirm: the administrators of the import's school."""
    return opdracht.school_id in toegang(user).scholen_met(*INVOERDERS)


def toont_invoer(user) -> bool:
    """Whether the menu offers the import: only to those who may open it."""
    return bool(toegang(user).scholen_met(*LEZERS))
