"""Who handles access requests: the director of the student's school, and
no one else.

The school, as controller, answers the request, and the director stands
for it (issue 18: "the director starts"). The care coordinator prepares the
record every day, but the export holds the whole school record at once, and
its hand-over is a legal act of the school: one accountable role keeps that
clear. The administrative roles see no care content; the CLB answers its
own access requests; a group director has no student access at all.
Everyone else gets the 404 of a request that does not exist."""

from leerlingen.models import Leerling
from zorg.accounts.models import Rol
from zorg.accounts.policies import get_or_404, toegang

from .models import Inzageverzoek


def inzage_school_ids(user) -> frozenset[int]:
    return toegang(user).scholen_met(Rol.DIRECTIE)


def inzageverzoeken_visible_to(user):
    return Inzageverzoek.objects.filter(school_id__in=inzage_school_ids(user))


def get_inzageverzoek_for_user(user, pk) -> Inzageverzoek:
    return get_or_404(
        inzageverzoeken_visible_to(user).select_related(
            "school", "leerling__school", "leerling__zorgfase", "overhandigd_door"
        ),
        pk=pk,
    )


def get_inzage_leerling_for_user(user, pk) -> Leerling:
    """A student of a school `user` directs (also one who left: a request
    can come later), or a 404."""
    return get_or_404(
        Leerling.objects.filter(school_id__in=inzage_school_ids(user)).select_related("school"),
        pk=pk,
    )


def can_view_inzageverzoeken(user) -> bool:
    return bool(inzage_school_ids(user))


def can_start_inzage(user, leerling) -> bool:
    return leerling.school_id in inzage_school_ids(user)


def can_hand_over_inzage(user, verzoek: Inzageverzoek) -> bool:
    return verzoek.school_id in inzage_school_ids(user) and not verzoek.is_overhandigd
