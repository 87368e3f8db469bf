"""Who may see and change a school's structure: campuses, school years,
classes with their class teachers, subjects and teaching assignments.

The school's administrator (beheerder) keeps it; the director reads it.
No one else opens these pages, and a school one has no such role in is a
404 like one that does not exist. The measure catalogue is care policy:
the care coordinators keep it with the administrator (its own section)."""

from django.db.models import Q, QuerySet

from leerlingen.models import Klas, Lesopdracht, MaatregelCatalogusItem, Vak
from zorg.accounts.models import Campus, Rol, School, Schooljaar, User
from zorg.accounts.policies import get_or_404, toegang

BEWERKERS = (Rol.BEHEERDER,)
LEZERS = (*BEWERKERS, Rol.DIRECTIE)


def _lezer_van(user) -> frozenset[int]:
    return toegang(user).scholen_met(*LEZERS)


def structuur_scholen_visible_to(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=_lezer_van(user))


def get_structuur_school_for_user(user, pk) -> School:
    return get_or_404(structuur_scholen_visible_to(user), pk=pk)


def can_edit_structuur(user, school_id: int) -> bool:
    return school_id in toegang(user).scholen_met(*BEWERKERS)


def can_view_structuur(user, school_id: int) -> bool:
    return school_id in _lezer_van(user)


def toont_structuur(user) -> bool:
    """Whether the menu offers the school's structure."""
    return bool(_lezer_van(user))


def campussen_visible_to(user) -> QuerySet[Campus]:
    return Campus.objects.filter(school_id__in=_lezer_van(user))


def get_campus_for_user(user, pk) -> Campus:
    return get_or_404(campussen_visible_to(user).select_related("school"), pk=pk)


def vakken_visible_to(user) -> QuerySet[Vak]:
    return Vak.objects.filter(school_id__in=_lezer_van(user))


def get_vak_for_user(user, pk) -> Vak:
    return get_or_404(vakken_visible_to(user).select_related("school"), pk=pk)


def schooljaren_visible_to(user) -> QuerySet[Schooljaar]:
    return Schooljaar.objects.filter(school_id__in=_lezer_van(user))


def get_schooljaar_for_user(user, pk) -> Schooljaar:
    return get_or_404(schooljaren_visible_to(user).select_related("school"), pk=pk)


def klassen_visible_to(user) -> QuerySet[Klas]:
    """The classes on the structure pages: every class of the schools the
    user keeps or reads the structure of (not the teacher's class view,
    which is leerlingen.policies')."""
    return Klas.objects.filter(schooljaar__school_id__in=_lezer_van(user))


def get_klas_for_user(user, pk) -> Klas:
    return get_or_404(
        klassen_visible_to(user).select_related("schooljaar__school", "campus"), pk=pk
    )


def lesopdrachten_visible_to(user) -> QuerySet[Lesopdracht]:
    return Lesopdracht.objects.filter(klas__in=klassen_visible_to(user))


def get_lesopdracht_for_user(user, klas: Klas, pk) -> Lesopdracht:
    return get_or_404(
        lesopdrachten_visible_to(user).filter(klas=klas).select_related("leerkracht", "vak"),
        pk=pk,
    )


def kiesbare_leerkrachten(school_id: int) -> QuerySet[User]:
    """Who a class teacher or a teaching assignment may name: the active
    people with an active teacher's membership of this school, nobody of
    another school."""
    return User.objects.met_rol(school_id, Rol.LEERKRACHT).order_by("last_name", "first_name", "pk")


def kiesbare_klastitularissen(school_id: int, klas: Klas | None = None) -> QuerySet[User]:
    """Who a class's form offers as class teacher: the school's active
    teachers and, for an existing class, its class teachers now (one who
    left stays until someone unticks them, not whenever the class is
    renamed)."""
    kiesbaar = Q(pk__in=kiesbare_leerkrachten(school_id).values("pk"))
    if klas is not None:
        kiesbaar |= Q(titularis_van=klas)
    return User.objects.filter(kiesbaar).distinct().order_by("last_name", "first_name", "pk")


# --- the measure catalogue: care policy, kept by the administrator and the care
# coordinators; the director reads it ------------------------------------------

CATALOGUS_BEWERKERS = (Rol.BEHEERDER, Rol.ZORGCOORDINATOR)
CATALOGUS_LEZERS = (*CATALOGUS_BEWERKERS, Rol.DIRECTIE)


def catalogus_scholen_visible_to(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=toegang(user).scholen_met(*CATALOGUS_LEZERS))


def get_catalogus_school_for_user(user, pk) -> School:
    return get_or_404(catalogus_scholen_visible_to(user), pk=pk)


def can_edit_catalogus(user, school_id: int) -> bool:
    return school_id in toegang(user).scholen_met(*CATALOGUS_BEWERKERS)


def can_view_catalogus(user, school_id: int) -> bool:
    return school_id in toegang(user).scholen_met(*CATALOGUS_LEZERS)


def toont_catalogus(user) -> bool:
    return bool(toegang(user).scholen_met(*CATALOGUS_LEZERS))


def beheer_catalogus_items_visible_to(user) -> QuerySet[MaatregelCatalogusItem]:
    return MaatregelCatalogusItem.objects.filter(
        school_id__in=toegang(user).scholen_met(*CATALOGUS_LEZERS)
    )


def get_beheer_catalogus_item_for_user(user, pk) -> MaatregelCatalogusItem:
    return get_or_404(beheer_catalogus_items_visible_to(user).select_related("school"), pk=pk)
