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

from leerlingen.models import Aanmelding, Leerling
from leerlingen.policies import can_view_zorg, in_clb_bereik, zorg_lezers
from zorg.accounts.policies import get_or_404, toegang

from .models import Consultatie, HGDTraject, Laag

# --- CLB staff ------------------------------------------------------------------


def is_clb_medewerker(user) -> bool:
    return toegang(user).is_clb


def clbs_van(user) -> frozenset[int]:
    """The ids of the CLBs this user works for."""
    return toegang(user).clb_ids


def heeft_meerdere_clb_scholen(user) -> bool:
    """Whether the CLB's lists name each student's school: when this user's
    CLB serves more than one."""
    return len(toegang(user).clb_school_ids) > 1


def can_view_klassen(user) -> bool:
    """Whether the main menu offers "Klassen": not to a CLB worker without a
    role in a school, who sees no class pages."""
    t = toegang(user)
    alleen_clb = bool(t.clb_ids) and not (
        t.zorg_school_ids or t.leerkracht_school_ids or t.administratie_school_ids
    )
    return not alleen_clb


def aanmeldingen_voor_clb(user):
    """Referrals of students of the schools this user's CLB serves."""
    scholen = toegang(user).clb_school_ids
    if not scholen:
        return Aanmelding.objects.none()
    return Aanmelding.objects.filter(leerling__school_id__in=scholen)


def get_aanmelding_voor_clb(user, pk) -> Aanmelding:
    return get_or_404(
        aanmeldingen_voor_clb(user).select_related("leerling__school", "aangemaakt_door"), pk=pk
    )


def trajecten_voor_clb(user):
    """Every trajectory of this user's CLB(s), both layers, for students of
    schools the CLB (still) serves."""
    t = toegang(user)
    if not t.clb_ids:
        return HGDTraject.objects.none()
    return HGDTraject.objects.filter(clb_id__in=t.clb_ids, leerling__school_id__in=t.clb_school_ids)


def get_traject_voor_clb(user, pk) -> HGDTraject:
    return get_or_404(
        trajecten_voor_clb(user).select_related(
            "leerling__school", "leerling__zorgfase", "begeleider", "clb"
        ),
        pk=pk,
    )


def mogelijke_begeleiders(clb, leerling: Leerling):
    """Who may lead a trajectory of `leerling` for `clb`: the CLB's active
    staff who may read the student's record (leerlingen.policies.zorg_lezers)."""
    return zorg_lezers(leerling).filter(
        clb_lidmaatschappen__clb=clb, clb_lidmaatschappen__actief=True
    )


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


def consultaties_voor_school(user, leerling: Leerling):
    if not can_view_zorg(user, leerling):
        return Consultatie.objects.none()
    return Consultatie.objects.filter(leerling=leerling)
