"""Who may see and do what with transfers to the next school.

- The care coordinator of the student's school prepares, informs, records
  the parents' response, releases and withdraws: the transfer is the care
  coordinator's task (issue 18).
- The director reads them (list, page, PDF, file): the director answers for
  what leaves the school and is asked when the parents object.
- Teachers, the secretariat, the functional administrator: nothing (a 404).
- The CLB: nothing either; the CLB's file follows through the CLBs.

At the receiving school the care coordinator imports a file and attaches
it to one of the school's students; the care team (coordinator, director)
reads what was received, as it reads the care team's timeline.
"""

from __future__ import annotations

from django.http import Http404

from leerlingen.models import Leerling
from zorg.accounts.models import Rol
from zorg.accounts.policies import get_or_404, toegang

from .models import OntvangenOverdracht, Overdracht


def _coordinator_scholen(user) -> frozenset[int]:
    return toegang(user).scholen_met(Rol.ZORGCOORDINATOR)


def _zorgteam_scholen(user) -> frozenset[int]:
    return toegang(user).zorg_school_ids


# --- the sending school --------------------------------------------------------------


def can_view_overdrachten(user) -> bool:
    return bool(_zorgteam_scholen(user))


def overdrachten_visible_to(user):
    scholen = _zorgteam_scholen(user)
    if not scholen:
        return Overdracht.objects.none()
    return Overdracht.objects.filter(leerling__school_id__in=scholen)


def get_overdracht_for_user(user, pk) -> Overdracht:
    return get_or_404(
        overdrachten_visible_to(user).select_related(
            "leerling__school", "leerling__zorgfase", "voorbereid_door", "vrijgegeven_door"
        ),
        pk=pk,
    )


def get_vrijgegeven_overdracht_for_user(user, pk) -> Overdracht:
    """A released transfer (its PDF, its file), or Http404."""
    overdracht = get_overdracht_for_user(user, pk)
    if overdracht.status != Overdracht.Status.VRIJGEGEVEN:
        raise Http404
    return overdracht


def can_prepare_overdracht(user, leerling: Leerling) -> bool:
    return leerling.school_id in _coordinator_scholen(user)


def can_manage_overdracht(user, overdracht: Overdracht) -> bool:
    return overdracht.is_open and can_prepare_overdracht(user, overdracht.leerling)


def can_view_overdrachten_van(user, leerling: Leerling) -> bool:
    return leerling.school_id in _zorgteam_scholen(user)


# --- the receiving school ------------------------------------------------------------


def can_import_overdracht(user) -> bool:
    return bool(_coordinator_scholen(user))


def import_scholen(user) -> frozenset[int]:
    """The schools `user` may attach an imported transfer to."""
    return _coordinator_scholen(user)


def import_leerlingen_visible_to(user):
    """The students an imported transfer may be attached to: those of the
    schools `user` coordinates the care of."""
    scholen = _coordinator_scholen(user)
    if not scholen:
        return Leerling.objects.none()
    return Leerling.objects.filter(school_id__in=scholen)


def ontvangen_overdrachten_visible_to(user):
    scholen = _zorgteam_scholen(user)
    if not scholen:
        return OntvangenOverdracht.objects.none()
    return OntvangenOverdracht.objects.filter(leerling__school_id__in=scholen)


def get_ontvangen_overdracht_for_user(user, pk) -> OntvangenOverdracht:
    return get_or_404(
        ontvangen_overdrachten_visible_to(user).select_related(
            "leerling__school", "ingevoerd_door"
        ),
        pk=pk,
    )
