"""Who reaches the portal, and who manages its access.

Portal users (guardians, students) hold no school membership: the core's
`toegang` gives them an empty scope, so no staff page lists anything for
them, and `PortaalMiddleware` answers every staff page with the same 404 as
to a stranger. What they read comes only from here."""

from __future__ import annotations

import datetime

from django.utils import timezone

from leerlingen.models import Leerling, Ouder
from leerlingen.ouderinformatie import leeftijd
from leerlingen.policies import is_zorgteam, leerlingen_visible_to
from zorg.accounts.policies import get_or_404, toegang, zorgteam_school_ids

from .models import Portaaltoegang

# From this age on a student may be invited (and reads their own page).
MINIMUMLEEFTIJD = 12
_CACHE_ATTR = "_zorg_portaalgebruiker"


def leeftijd_op(geboortedatum: datetime.date, dag: datetime.date) -> int:
    """Age in whole years on `dag`: the rule the CLB's consent from 12 uses
    too (born on 29 February, a year older on 1 March in a common year)."""
    return leeftijd(geboortedatum, dag)


def is_oud_genoeg(leerling: Leerling, dag: datetime.date | None = None) -> bool:
    dag = dag or timezone.localdate()
    return leeftijd_op(leerling.geboortedatum, dag) >= MINIMUMLEEFTIJD


# --- the portal users' side ---------------------------------------------------------


def is_portaalgebruiker(user) -> bool:
    """Someone who signs in only for the portal: no staff role of any kind
    and an invitation to it. Costs a query only for users without any
    membership; once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    wat = toegang(user)
    if user.is_staff or user.is_superuser or wat.rollen or wat.clb_ids or wat.groep_ids:
        result = False
    else:
        result = Portaaltoegang.objects.filter(user_id=user.pk).exists()
    setattr(user, _CACHE_ATTR, result)
    return result


def portaaltoegangen_visible_to(user):
    """This user's own accepted, unrevoked access, to children whose school
    has the portal on: the only rows the portal pages read from."""
    if not getattr(user, "is_authenticated", False):
        return Portaaltoegang.objects.none()
    return Portaaltoegang.objects.actief().filter(user_id=user.pk)


def get_portaaltoegang_for_user(user, leerling_pk) -> Portaaltoegang:
    """The user's access to the child `leerling_pk`, or a 404: another child,
    a revoked access and a school with the portal off look like a child that
    does not exist."""
    return get_or_404(
        portaaltoegangen_visible_to(user).select_related("leerling"), leerling_id=leerling_pk
    )


def can_view_portaal(user) -> bool:
    """The portal's start page: for whoever accepted an invitation (also when
    it was revoked since, or their school switched the portal off: the page
    says so)."""
    return (
        getattr(user, "is_authenticated", False)
        and Portaaltoegang.objects.filter(user_id=user.pk, aanvaard_op__isnull=False).exists()
    )


# --- the school's side ------------------------------------------------------------


def can_manage_portaal(user, leerling: Leerling) -> bool:
    """The care team of the student's school (care coordinator, director)
    invites and revokes."""
    return is_zorgteam(user, leerling.school_id)


def get_leerling_for_portaalbeheer(user, pk) -> Leerling:
    """A student of a school where the user is on the care team, or a 404."""
    return get_or_404(
        leerlingen_visible_to(user)
        .filter(school_id__in=zorgteam_school_ids(user))
        .select_related("school"),
        pk=pk,
    )


def portaaltoegangen_van(user, leerling: Leerling):
    """Every access (pending, accepted, revoked) of one student, for its
    care team."""
    if not can_manage_portaal(user, leerling):
        return Portaaltoegang.objects.none()
    return Portaaltoegang.objects.filter(leerling=leerling).select_related("user", "ouder")


def get_portaaltoegang_for_beheer(user, pk) -> Portaaltoegang:
    """An access to a student of a school where the user is on the care
    team, or a 404."""
    return get_or_404(
        Portaaltoegang.objects.filter(
            leerling__school_id__in=zorgteam_school_ids(user)
        ).select_related("leerling__school", "user"),
        pk=pk,
    )


def uitnodigbare_ouders(user, leerling: Leerling) -> list[Ouder]:
    """The student's guardians with an e-mail address."""
    if not can_manage_portaal(user, leerling):
        return []
    return list(Ouder.objects.filter(leerling=leerling).exclude(email=""))
