"""Who reads and writes the care-policy report: the director and the care
coordinators of the school. Everyone else gets the 404 of a school that
does not exist."""

from zorg.accounts.models import Rol, School
from zorg.accounts.policies import get_or_404, toegang


def rapport_scholen_visible_to(user):
    """The schools whose care-policy report `user` may open."""
    return School.objects.filter(
        pk__in=toegang(user).scholen_met(Rol.DIRECTIE, Rol.ZORGCOORDINATOR)
    )


def get_rapport_school_for_user(user, pk) -> School:
    return get_or_404(rapport_scholen_visible_to(user), pk=pk)
