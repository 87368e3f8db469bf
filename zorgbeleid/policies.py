"""Who reads and writes the care-policy report: the director and the care
coordinators of the school. Everyone else gets the 404 of a school that
does not exist.

A group director (zorg.accounts.models.Groepsdirectie) reads the report and
the reflection of each school of their group, and the group's own report
(its figures over all its schools); they write nothing: the reflection is
the school team's.

The team's reflection (zorgbeleid.models.Reflectie) follows the report:
the director and the care coordinators read it, write it while it is a
draft, and make it final; only the director, who owns the annual report,
opens a final reflection again as a draft. An action of a reflection is
seen by them and by its owner, a staff member of the school (it names no
student, so no care access is needed); the owner and they complete or
cancel it."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from zorg.accounts.models import Rol, Scholengemeenschap, School, Schooljaar
from zorg.accounts.policies import get_or_404, toegang

from .models import Reflectie, Reflectieactie


def rapport_scholen_visible_to(user):
    """The schools whose care-policy report `user` may open: as director or
    care coordinator, or as director of the school's group."""
    t = toegang(user)
    groepen = t.groep_ids
    voorwaarde = Q(pk__in=t.zorg_school_ids)
    if groepen:
        voorwaarde |= Q(scholengemeenschap_id__in=groepen)
    return School.objects.filter(voorwaarde)


def get_rapport_school_for_user(user, pk) -> School:
    return get_or_404(rapport_scholen_visible_to(user), pk=pk)


def can_view_zorgbeleid(user) -> bool:
    """Whether the start page offers the care-policy report."""
    t = toegang(user)
    return bool(t.zorg_school_ids or t.groep_ids)


def groepen_visible_to(user):
    """The school groups whose group report `user` may open: their own."""
    return Scholengemeenschap.objects.filter(pk__in=toegang(user).groep_ids)


def get_groep_for_user(user, pk) -> Scholengemeenschap:
    return get_or_404(groepen_visible_to(user), pk=pk)


def can_view_rapport(user, school: School) -> bool:
    """Whether `user` opens the school's report, and so its exports (which
    are protected, whoever downloads them): the predicate of
    `rapport_scholen_visible_to` for a school at hand, without a query."""
    t = toegang(user)
    return school.pk in t.zorg_school_ids or (
        school.scholengemeenschap_id is not None and school.scholengemeenschap_id in t.groep_ids
    )


def can_view_groepsrapport(user, groep: Scholengemeenschap) -> bool:
    """Whether `user` opens the group's own report and its exports."""
    return groep.pk in toegang(user).groep_ids


def get_rapport_jaar_for_user(user, jaar_pk) -> Schooljaar:
    """A school year, by its own id, of a school whose report `user` may
    open, with its school; or a 404 (the PDF job knows the year only)."""
    return get_or_404(
        Schooljaar.objects.filter(school__in=rapport_scholen_visible_to(user)).select_related(
            "school"
        ),
        pk=jaar_pk,
    )


# --- the reflection -------------------------------------------------------------------


def get_rapport_schooljaar_for_user(user, pk, jaar_pk) -> Schooljaar:
    """A school year of a school whose report `user` may open, with its
    school, or a 404."""
    school = get_rapport_school_for_user(user, pk)
    jaar = get_or_404(Schooljaar.objects.filter(school=school), pk=jaar_pk)
    jaar.school = school
    return jaar


def reflecties_visible_to(user):
    """The reflections of the schools whose report `user` opens."""
    return Reflectie.objects.filter(school__in=rapport_scholen_visible_to(user))


def can_write_reflecties(user, school_id: int) -> bool:
    """Whether `user` writes the school's reflection at all (the school's
    director and care coordinators; a group director reads it only). What
    they may change in a final one: `can_edit_reflectie` and the services."""
    return school_id in toegang(user).zorg_school_ids


def can_edit_reflectie(user, reflectie: Reflectie | None, school_id: int) -> bool:
    """Choice, reasoning and actions: the school's director and care
    coordinators, while the reflection is a draft (or not yet written)."""
    if not can_write_reflecties(user, school_id):
        return False
    return reflectie is None or not reflectie.is_definitief


def can_finalize_reflectie(user, reflectie: Reflectie) -> bool:
    return reflectie.pk is not None and can_edit_reflectie(user, reflectie, reflectie.school_id)


def can_reopen_reflectie(user, reflectie: Reflectie) -> bool:
    """A final reflection is the team's decision: only the director, who
    owns the annual report, makes it a draft again."""
    return reflectie.is_definitief and toegang(user).heeft_rol(Rol.DIRECTIE, reflectie.school_id)


# --- its actions -------------------------------------------------------------------------


def mogelijke_actie_eigenaars(school_id: int):
    """Who may own an action of the school's reflection: its own staff
    (teachers, care coordinators, director, secretariat), by name. Not the
    functional administrator, not the CLB: the action is the school's."""
    return (
        get_user_model()
        .objects.met_rol(
            school_id, Rol.LEERKRACHT, Rol.ZORGCOORDINATOR, Rol.DIRECTIE, Rol.SECRETARIAAT
        )
        .order_by("last_name", "first_name", "email")
    )


def reflectieacties_visible_to(user):
    """The school team sees every action of its school's reflections; an
    owner their own, while they are on the school's staff."""
    t = toegang(user)
    if not t.alle_school_ids:
        return Reflectieactie.objects.none()
    return Reflectieactie.objects.filter(
        Q(reflectie__school_id__in=t.zorg_school_ids)
        | Q(
            eigenaar=user,
            reflectie__school_id__in=t.scholen_met(
                Rol.LEERKRACHT, Rol.ZORGCOORDINATOR, Rol.DIRECTIE, Rol.SECRETARIAAT
            ),
        )
    )


def get_reflectieactie_for_user(user, pk) -> Reflectieactie:
    return get_or_404(
        reflectieacties_visible_to(user).select_related(
            "reflectie__school", "reflectie__schooljaar", "eigenaar", "afgehandeld_door"
        ),
        pk=pk,
    )


def can_manage_reflectieacties(user, reflectie: Reflectie) -> bool:
    """Adding or removing actions: as editing the reflection."""
    return can_edit_reflectie(user, reflectie, reflectie.school_id)


def can_update_reflectieactie(user, actie: Reflectieactie) -> bool:
    """Complete or cancel an action (the service refuses one handled
    already): its owner and the school team."""
    return (
        actie.eigenaar_id == user.pk or actie.reflectie.school_id in toegang(user).zorg_school_ids
    )


def can_view_reflectie_van_actie(user, actie: Reflectieactie) -> bool:
    """Whether the action's page links to its reflection."""
    return actie.reflectie.school_id in toegang(user).zorg_school_ids


def reflecties_acties_van(user):
    """The user's own open actions, as `reflectieacties_visible_to` lets
    them see (the start page's list)."""
    if not user.is_authenticated:
        return Reflectieactie.objects.none()
    return reflectieacties_visible_to(user).open().filter(eigenaar=user)
