"""The core of the access policy: what a user holds, school by school.

Every app's policies.py starts from `toegang(user)`. It is computed once per
user object (so once per request) in two queries and never per row. The
app-level policies add what only they know (which classes a teacher teaches).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Value
from django.http import Http404

from .models import CLB, Groepsdirectie, Lidmaatschap, Rol, School

_CACHE_ATTR = "_zorg_toegang"
# Not a role: marks a row of the school groups one directs (`toegang`).
_GROEP = "__groep__"


@dataclass(frozen=True)
class Toegang:
    """The school ids a user reaches, per kind of access."""

    rollen: dict[str, frozenset[int]] = field(default_factory=dict)
    clb_school_ids: frozenset[int] = frozenset()
    clb_ids: frozenset[int] = frozenset()
    user_id: int | None = None
    # The school groups this user directs (Groepsdirectie, active).
    groep_ids: frozenset[int] = frozenset()

    def scholen_met(self, *rollen: str) -> frozenset[int]:
        ids: set[int] = set()
        for rol in rollen:
            ids |= self.rollen.get(rol, frozenset())
        return frozenset(ids)

    @property
    def zorg_school_ids(self) -> frozenset[int]:
        """Schools where this user sees all care data: care coordinators and
        the director."""
        return self.scholen_met(Rol.ZORGCOORDINATOR, Rol.DIRECTIE)

    @property
    def administratie_school_ids(self) -> frozenset[int]:
        """Schools where this user sees every student's administrative data
        (names, classes, guardians) but no care content."""
        return self.scholen_met(Rol.SECRETARIAAT, Rol.BEHEERDER)

    @property
    def leerkracht_school_ids(self) -> frozenset[int]:
        return self.scholen_met(Rol.LEERKRACHT)

    @property
    def alle_school_ids(self) -> frozenset[int]:
        """Every school this user reaches in any way."""
        ids: set[int] = set(self.clb_school_ids)
        for school_ids in self.rollen.values():
            ids |= school_ids
        return frozenset(ids)

    @property
    def is_clb(self) -> bool:
        return bool(self.clb_ids)

    def heeft_rol(self, rol: str, school_id: int | None = None) -> bool:
        ids = self.rollen.get(rol, frozenset())
        return bool(ids) if school_id is None else school_id in ids


GEEN_TOEGANG = Toegang()


def toegang(user) -> Toegang:
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return GEEN_TOEGANG
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    rollen: dict[str, set[int]] = {}
    groep_ids: set[int] = set()
    # The school groups one directs come with the memberships, in the same
    # query: every page's menu asks whether to offer the care-policy report.
    lidmaatschappen = (
        Lidmaatschap.objects.filter(user=user, actief=True)
        .order_by()
        .values_list("school_id", "rol")
    )
    groepen = (
        Groepsdirectie.objects.filter(user=user, actief=True)
        .order_by()
        .values_list("scholengemeenschap_id", Value(_GROEP, output_field=CharField()))
    )
    for id_, rol in lidmaatschappen.union(groepen, all=True):
        if rol == _GROEP:
            groep_ids.add(id_)
        else:
            rollen.setdefault(rol, set()).add(id_)
    clb_ids: set[int] = set()
    clb_school_ids: set[int] = set()
    for clb_id, school_id in CLB.objects.filter(
        medewerkers__user=user, medewerkers__actief=True
    ).values_list("id", "scholen__id"):
        clb_ids.add(clb_id)
        if school_id is not None:
            clb_school_ids.add(school_id)
    result = Toegang(
        rollen={rol: frozenset(ids) for rol, ids in rollen.items()},
        clb_school_ids=frozenset(clb_school_ids),
        clb_ids=frozenset(clb_ids),
        user_id=user.pk,
        groep_ids=frozenset(groep_ids),
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def get_or_404(queryset, **lookup):
    """The one row of `queryset` matching `lookup`, or a 404: a row the user
    may not see (outside the policy's queryset), one that does not exist and
    a malformed key all look the same. Every `get_<thing>_for_user` ends here."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def zorgteam_scholen_visible_to(user):
    """The schools where this user is on the care team (care coordinator or
    director): those whose care-team pages (catalogue, trends, planning) they
    reach."""
    return School.objects.filter(pk__in=toegang(user).zorg_school_ids)


def zorgteam_school_ids(user) -> frozenset[int]:
    """The ids of the schools where this user is on the care team."""
    return toegang(user).zorg_school_ids


def is_administratie(user) -> bool:
    """Whether the user does a school's administration (the secretariat, the
    administrator): the start page points them to the student lists."""
    return bool(toegang(user).administratie_school_ids)
