"""Who may see and do what of the CLB's work.

Two audiences, kept apart on purpose:

- CLB staff (`*_voor_clb`): the referrals of the schools their CLB serves,
  and their CLB's trajectories with both layers (shared and CLB-only). A
  worker of another CLB sees nothing of them.
- School staff (`*_voor_school`): only the shared layer, and only for
  students they may see (leerlingen.policies). Every query the school's
  pages make of CLB content goes through `gedeeld()`, so CLB-only content
  never reaches a school page, search result, timeline, export or count.
"""

from __future__ import annotations

from django.http import Http404

from leerlingen.models import Aanmelding, Leerling
from leerlingen.policies import can_view_zorg, in_clb_bereik, leerlingen_visible_to
from zorg.accounts.policies import toegang

from .models import Consultatie, HGDTraject, Laag

# --- CLB staff ------------------------------------------------------------------


def is_clb_medewerker(user) -> bool:
    return toegang(user).is_clb


def aanmeldingen_voor_clb(user):
    """Referrals of students of the schools this user's CLB serves."""
    scholen = toegang(user).clb_school_ids
    if not scholen:
        return Aanmelding.objects.none()
    return Aanmelding.objects.filter(leerling__school_id__in=scholen)


def get_aanmelding_voor_clb(user, pk) -> Aanmelding:
    try:
        return (
            aanmeldingen_voor_clb(user)
            .select_related("leerling__school", "aangemaakt_door")
            .get(pk=pk)
        )
    except (Aanmelding.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_aanvaarden(user, aanmelding: Aanmelding) -> bool:
    """A waiting referral, of a school this user's CLB serves."""
    return (
        aanmelding.status == Aanmelding.Status.OPEN
        and aanmelding.leerling.school_id in toegang(user).clb_school_ids
    )


def trajecten_voor_clb(user):
    """Every trajectory of this user's CLB(s), both layers, for students of
    schools the CLB (still) serves."""
    t = toegang(user)
    if not t.clb_ids:
        return HGDTraject.objects.none()
    return HGDTraject.objects.filter(clb_id__in=t.clb_ids, leerling__school_id__in=t.clb_school_ids)


def get_traject_voor_clb(user, pk) -> HGDTraject:
    try:
        return (
            trajecten_voor_clb(user)
            .select_related("leerling__school", "leerling__zorgfase", "begeleider", "clb")
            .get(pk=pk)
        )
    except (HGDTraject.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_edit_traject(user, traject: HGDTraject) -> bool:
    """CLB staff of the trajectory's CLB, while it runs."""
    return traject.status == HGDTraject.Status.LOPEND and traject.clb_id in toegang(user).clb_ids


def can_consult(user, leerling: Leerling) -> bool:
    """A written consultation: CLB staff who reach the student (on a care
    cell they attend, or referred)."""
    return in_clb_bereik(user, leerling)


# --- school staff ----------------------------------------------------------------


def gedeeld(queryset):
    """The shared layer of a queryset of trajectory entries (goals, needs,
    notes). The one filter between the CLB's file and the school."""
    return queryset.filter(laag=Laag.GEDEELD)


def trajecten_voor_school(user, leerling: Leerling):
    """The trajectories of a student the user may see, for the school's
    pages: the trajectory's frame (stage, question, perspective, outcome) is
    shared; its entries must still pass through `gedeeld()`. For CLB staff
    too: on the school's pages they see what the school sees."""
    if not can_view_zorg(user, leerling):
        return HGDTraject.objects.none()
    return HGDTraject.objects.filter(leerling=leerling)


def get_leerling_voor_school(user, pk) -> Leerling:
    try:
        return leerlingen_visible_to(user).select_related("school", "zorgfase").get(pk=pk)
    except (Leerling.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def consultaties_voor_school(user, leerling: Leerling):
    if not can_view_zorg(user, leerling):
        return Consultatie.objects.none()
    return Consultatie.objects.filter(leerling=leerling)
