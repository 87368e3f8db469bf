"""Who may see and change a school's settings and calendar.

The school's administrator (beheerder) and its care coordinators set them:
the care coordinator runs the care cell and the reminders they govern. The
director reads them. No one else sees the page, and a school one has no
such role in is a 404 like one that does not exist."""

from django.db.models import QuerySet

from zorg.accounts.models import (
    CLBMedewerker,
    Groepsdirectie,
    Lidmaatschap,
    Rol,
    School,
    Schooljaar,
    VrijePeriode,
)
from zorg.accounts.policies import get_or_404, toegang

BEWERKERS = (Rol.BEHEERDER, Rol.ZORGCOORDINATOR)
LEZERS = (*BEWERKERS, Rol.DIRECTIE)


def instellingen_scholen_visible_to(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=toegang(user).scholen_met(*LEZERS))


def get_school_instellingen_for_user(user, pk) -> School:
    return get_or_404(instellingen_scholen_visible_to(user), pk=pk)


def can_edit_school_instellingen(user, school: School) -> bool:
    return school.pk in toegang(user).scholen_met(*BEWERKERS)


def toont_instellingen(user) -> bool:
    """Whether the menu offers the settings: only to those who may open them."""
    return bool(toegang(user).scholen_met(*LEZERS))


# --- the school-year calendar: the same readers and editors as the settings ---


def kalender_schooljaren_visible_to(user) -> QuerySet[Schooljaar]:
    """The school years whose calendar the user may open: those of the
    schools whose settings they may read."""
    return Schooljaar.objects.filter(school_id__in=toegang(user).scholen_met(*LEZERS))


def get_kalender_schooljaar_for_user(user, pk) -> Schooljaar:
    return get_or_404(kalender_schooljaren_visible_to(user).select_related("school"), pk=pk)


def can_view_kalender(user, school: School) -> bool:
    return school.pk in toegang(user).scholen_met(*LEZERS)


def can_edit_kalender(user, schooljaar: Schooljaar) -> bool:
    return schooljaar.school_id in toegang(user).scholen_met(*BEWERKERS)


def vrije_perioden_visible_to(user) -> QuerySet[VrijePeriode]:
    return VrijePeriode.objects.filter(schooljaar__in=kalender_schooljaren_visible_to(user))


def get_vrije_periode_for_user(user, schooljaar: Schooljaar, pk) -> VrijePeriode:
    """A free period the school keeps for `schooljaar`, or a 404."""
    return get_or_404(vrije_perioden_visible_to(user).filter(schooljaar=schooljaar), pk=pk)


# --- staff (issue 16): the administrator manages, the director reads ---------------
#
# Staff of a school: the people with a membership there (active or not), never
# the platform's staff or superusers. A person's memberships in other schools
# are not the administrator's; their account (name, e-mail, second factor) is
# only when every school they are in is one the administrator manages.

PERSONEEL_BEHEERDERS = (Rol.BEHEERDER,)
PERSONEEL_LEZERS = (Rol.BEHEERDER, Rol.DIRECTIE)


def personeel_scholen_visible_to(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=toegang(user).scholen_met(*PERSONEEL_LEZERS))


def get_personeel_school_for_user(user, pk) -> School:
    return get_or_404(personeel_scholen_visible_to(user), pk=pk)


def toont_personeel(user) -> bool:
    return bool(toegang(user).scholen_met(*PERSONEEL_LEZERS))


def can_manage_personeel(user, school: School) -> bool:
    return school.pk in toegang(user).scholen_met(*PERSONEEL_BEHEERDERS)


def personeel_visible_to(user, school: School) -> QuerySet:
    """The staff of `school` as `user` may list them: nobody for who may not."""
    from zorg.accounts.models import User

    if school.pk not in toegang(user).scholen_met(*PERSONEEL_LEZERS):
        return User.objects.none()
    return User.objects.filter(
        pk__in=Lidmaatschap.objects.filter(school=school).values("user_id"),
        is_staff=False,
        is_superuser=False,
    )


def get_personeelslid_for_user(user, school: School, pk):
    return get_or_404(personeel_visible_to(user, school), pk=pk)


def elders_actief(persoon, school: School) -> bool:
    """Whether `persoon` holds anything outside `school`: a membership of
    another school, a CLB's, a school group's."""
    return (
        Lidmaatschap.objects.filter(user=persoon).exclude(school=school).exists()
        or CLBMedewerker.objects.filter(user=persoon).exists()
        or Groepsdirectie.objects.filter(user=persoon).exists()
    )


def can_edit_personeel_account(user, school: School, persoon) -> bool:
    """Name, e-mail and second factor are the account's, shared by every
    school the person is in: only an administrator of each may touch them."""
    if not can_manage_personeel(user, school) or persoon.is_staff or persoon.is_superuser:
        return False
    scholen = set(Lidmaatschap.objects.filter(user=persoon).values_list("school_id", flat=True))
    return scholen <= toegang(user).scholen_met(*PERSONEEL_BEHEERDERS) and not (
        CLBMedewerker.objects.filter(user=persoon).exists()
        or Groepsdirectie.objects.filter(user=persoon).exists()
    )


# --- the new school year (the rollover): the administrator runs it, the ---
# --- director reads its preview; for everyone else the pages do not exist ---

OVERGANG_LEZERS = (Rol.BEHEERDER, Rol.DIRECTIE)


def overgang_scholen_visible_to(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=toegang(user).scholen_met(*OVERGANG_LEZERS))


def get_school_overgang_for_user(user, pk) -> School:
    return get_or_404(overgang_scholen_visible_to(user), pk=pk)


def can_run_overgang(user, school: School) -> bool:
    return school.pk in toegang(user).scholen_met(Rol.BEHEERDER)


def can_view_overgang(user, school: School) -> bool:
    return school.pk in toegang(user).scholen_met(*OVERGANG_LEZERS)


def overgang_schooljaren_visible_to(user) -> QuerySet[Schooljaar]:
    return Schooljaar.objects.filter(school_id__in=toegang(user).scholen_met(*OVERGANG_LEZERS))


def get_overgang_schooljaar_for_user(user, pk) -> Schooljaar:
    return get_or_404(overgang_schooljaren_visible_to(user).select_related("school"), pk=pk)
