"""The core of the access policy: what a user holds, school by school.

Every app's policies.py starts from `toegang(user)`. It is computed once per
user object (so once per request) in one query and never per row; the same
query tells zorg.sessies which memberships the session holds and the idle
limits of the schools they reach. The
app-level policies add what only they know (which classes a teacher teaches).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, IntegerField, Value
from django.http import Http404

from .models import CLBMedewerker, Groepsdirectie, Lidmaatschap, Rol, School

_CACHE_ATTR = "_zorg_toegang"
# The kinds of membership, as `toegang`'s query marks its rows and as the
# session names them (`l<pk>`, `c<pk>`, `g<pk>`).
_LID, _CLB, _GROEP = "l", "c", "g"


@dataclass(frozen=True)
class Toegang:
    """The school ids a user reaches, per kind of access."""

    rollen: dict[str, frozenset[int]] = field(default_factory=dict)
    clb_school_ids: frozenset[int] = frozenset()
    clb_ids: frozenset[int] = frozenset()
    user_id: int | None = None
    # The school groups this user directs (Groepsdirectie, active).
    groep_ids: frozenset[int] = frozenset()
    # Every active membership (school role, CLB, school group) as `l<pk>`,
    # `c<pk>`, `g<pk>`, and the idle limits (minutes) of the schools they
    # reach: what zorg.sessies checks on every request.
    lid_sleutels: frozenset[str] = frozenset()
    inactief_minuten: frozenset[int] = frozenset()

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
    clb_ids: set[int] = set()
    clb_school_ids: set[int] = set()
    sleutels: set[str] = set()
    minuten: set[int] = set()
    for soort, lid_pk, id_, rol, school_id, limiet in _lidmaatschap_rijen(user.pk):
        sleutels.add(f"{soort}{lid_pk}")
        if limiet is not None:
            minuten.add(limiet)
        if soort == _LID:
            rollen.setdefault(rol, set()).add(id_)
        elif soort == _GROEP:
            groep_ids.add(id_)
        else:
            clb_ids.add(id_)
            if school_id is not None:
                clb_school_ids.add(school_id)
    result = Toegang(
        rollen={rol: frozenset(ids) for rol, ids in rollen.items()},
        clb_school_ids=frozenset(clb_school_ids),
        clb_ids=frozenset(clb_ids),
        user_id=user.pk,
        groep_ids=frozenset(groep_ids),
        lid_sleutels=frozenset(sleutels),
        inactief_minuten=frozenset(minuten),
    )
    setattr(user, _CACHE_ATTR, result)
    return result


def _lidmaatschap_rijen(user_id: int):
    """One row per active membership, as (kind, membership pk, school / CLB /
    school group id, role, a school it reaches, that school's idle limit);
    a CLB or school group has a row per school it serves. One query."""
    tekst, getal = CharField(), IntegerField()
    return (
        Lidmaatschap.objects.filter(user_id=user_id, actief=True)
        .order_by()
        .values_list(
            Value(_LID, output_field=tekst),
            "pk",
            "school_id",
            "rol",
            "school_id",
            "school__sessie_inactief_minuten",
        )
        .union(
            CLBMedewerker.objects.filter(user_id=user_id, actief=True)
            .order_by()
            .values_list(
                Value(_CLB, output_field=tekst),
                "pk",
                "clb_id",
                Value("", output_field=tekst),
                "clb__scholen__id",
                "clb__scholen__sessie_inactief_minuten",
            ),
            Groepsdirectie.objects.filter(user_id=user_id, actief=True)
            .order_by()
            .values_list(
                Value(_GROEP, output_field=tekst),
                "pk",
                "scholengemeenschap_id",
                Value("", output_field=tekst),
                Value(None, output_field=getal),
                "scholengemeenschap__scholen__sessie_inactief_minuten",
            ),
            all=True,
        )
    )


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
