"""Who reads the retention pages and puts a hold: the care coordinators and
the director of the school (they read the care records that will go). The
secretariat and the administrator do not: the dry run names students with
what is kept about them. Everyone else gets the 404 of a school that does
not exist."""

from leerlingen.policies import leerlingen_met_zorg_visible_to
from zorg.accounts.models import School
from zorg.accounts.policies import get_or_404, toegang

from .models import Opschorting


def scholen_visible_to(user):
    """The schools whose retention pages `user` opens."""
    return School.objects.filter(pk__in=toegang(user).zorg_school_ids)


def get_school_for_user(user, pk) -> School:
    return get_or_404(scholen_visible_to(user), pk=pk)


def can_view_bewaring(user) -> bool:
    """Whether the start page offers the retention pages."""
    return bool(toegang(user).zorg_school_ids)


def leerlingen_visible_to(user, school: School):
    """The students of `school` a hold may be put on: the care team's."""
    return leerlingen_met_zorg_visible_to(user).filter(school=school)


def get_leerling_for_user(user, school: School, pk):
    return get_or_404(leerlingen_visible_to(user, school), pk=pk)


def opschortingen_visible_to(user):
    return Opschorting.objects.filter(leerling__school_id__in=toegang(user).zorg_school_ids)


def get_opschorting_for_user(user, pk) -> Opschorting:
    return get_or_404(opschortingen_visible_to(user).select_related("leerling"), pk=pk)


def can_end_opschorting(user, opschorting: Opschorting) -> bool:
    return opschorting.beeindigd_op is None and (
        opschorting.leerling.school_id in toegang(user).zorg_school_ids
    )
