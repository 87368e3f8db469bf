import datetime

import pytest
from django.http import Http404

from leerlingen import policies
from leerlingen.models import Inschrijving
from tests import factories as f
from tests.clb.factories import aanmelding
from zorg.accounts.models import Lidmaatschap, Rol, User
from zorg.accounts.policies import toegang


def fresh(user) -> User:
    """A new user object, as a new request would have (scope is cached per
    object)."""
    return User.objects.get(pk=user.pk)


def zichtbaar(user) -> set[int]:
    return set(policies.leerlingen_visible_to(fresh(user)).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("leerkracht", {"leerling_a"}),
        ("titularis", {"leerling_a"}),
        ("leerkracht_b", {"leerling_b"}),
        ("zorgcoordinator", {"leerling_a", "leerling_b"}),
        ("directie", {"leerling_a", "leerling_b"}),
        ("secretariaat", {"leerling_a", "leerling_b"}),
        ("beheerder", {"leerling_a", "leerling_b"}),
        # No student has a referral here: the CLB workers reach nobody.
        ("clb", set()),
        ("clb_ander", set()),
        ("buitenstaander", {"leerling_x"}),
        ("platform", set()),
    ],
)
def test_each_role_sees_exactly_its_students(wereld, rol, verwacht):
    assert zichtbaar(wereld.users[rol]) == {getattr(wereld, naam).pk for naam in verwacht}


@pytest.mark.parametrize(
    ("rol", "aangemeld", "verwacht"),
    [
        ("clb", "leerling_a", {"leerling_a"}),
        ("clb", "leerling_x", set()),  # not a school its CLB serves
        ("clb_ander", "leerling_x", {"leerling_x"}),
        ("clb_ander", "leerling_a", set()),
    ],
)
def test_a_clb_worker_sees_exactly_the_referred_students_of_its_schools(
    wereld, rol, aangemeld, verwacht
):
    aanmelding(getattr(wereld, aangemeld), wereld.zorgcoordinator)
    assert zichtbaar(wereld.users[rol]) == {getattr(wereld, naam).pk for naam in verwacht}


def test_anonymous_and_inactive_users_see_nothing(wereld):
    from django.contrib.auth.models import AnonymousUser

    assert not policies.leerlingen_visible_to(AnonymousUser()).exists()
    wereld.zorgcoordinator.is_active = False
    wereld.zorgcoordinator.save()
    assert zichtbaar(wereld.zorgcoordinator) == set()


def test_a_superuser_does_not_bypass_the_policy(wereld):
    assert zichtbaar(wereld.platform) == set()
    assert not policies.klassen_visible_to(fresh(wereld.platform)).exists()


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_teacher_loses_student_who_changes_class(wereld):
    from leerlingen.services import klas_wijzigen

    klas_wijzigen(
        leerling=wereld.leerling_a,
        klas=wereld.klas_b,
        datum=datetime.date.today(),
        door=wereld.zorgcoordinator,
    )
    assert wereld.leerling_a.pk not in zichtbaar(wereld.leerkracht)
    assert wereld.leerling_a.pk in zichtbaar(wereld.leerkracht_b)
    # The history stays: two enrolments, the first one ended.
    inschrijvingen = Inschrijving.objects.filter(leerling=wereld.leerling_a).order_by("begin")
    assert [i.klas.naam for i in inschrijvingen] == ["3A", "3B"]
    assert inschrijvingen[0].einde is not None


def test_a_class_change_next_week_takes_effect_next_week(wereld):
    from leerlingen.services import klas_wijzigen

    klas_wijzigen(
        leerling=wereld.leerling_a,
        klas=wereld.klas_b,
        datum=datetime.date.today() + datetime.timedelta(days=7),
        door=wereld.zorgcoordinator,
    )
    assert wereld.leerling_a.pk in zichtbaar(wereld.leerkracht)
    assert wereld.leerling_a.pk not in zichtbaar(wereld.leerkracht_b)


def test_teacher_of_last_years_class_sees_nothing_this_year(wereld):
    vorige_klas = f.KlasFactory(schooljaar=wereld.vorig_schooljaar, naam="2A")
    oud_leerkracht = f.UserFactory()
    f.LidmaatschapFactory(user=oud_leerkracht, school=wereld.school, rol=Rol.LEERKRACHT)
    f.LesopdrachtFactory(leerkracht=oud_leerkracht, klas=vorige_klas)
    f.InschrijvingFactory(
        leerling=wereld.leerling_a,
        klas=vorige_klas,
        begin=wereld.vorig_schooljaar.begin,
        einde=wereld.vorig_schooljaar.einde,
    )
    assert zichtbaar(oud_leerkracht) == set()


def test_teacher_whose_membership_ended_sees_nothing(wereld):
    Lidmaatschap.objects.filter(user=wereld.leerkracht).update(actief=False)
    assert zichtbaar(wereld.leerkracht) == set()


def test_teaching_assignment_in_another_school_without_membership_gives_nothing(wereld):
    # A teaching assignment alone is not enough: the membership must exist.
    f.LesopdrachtFactory(leerkracht=wereld.leerkracht, klas=wereld.klas_x)
    assert wereld.leerling_x.pk not in zichtbaar(wereld.leerkracht)


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_ended_enrolment_hides_student_from_teacher(wereld):
    Inschrijving.objects.filter(leerling=wereld.leerling_a).update(
        einde=datetime.date.today() - datetime.timedelta(days=1), reden_einde="verhuisd"
    )
    assert wereld.leerling_a.pk not in zichtbaar(wereld.leerkracht)
    # The school's care team keeps the record (retention comes later).
    assert wereld.leerling_a.pk in zichtbaar(wereld.zorgcoordinator)


def test_a_person_with_roles_in_two_schools_sees_both(wereld):
    f.LidmaatschapFactory(user=wereld.zorgcoordinator, school=wereld.school2, rol=Rol.DIRECTIE)
    assert zichtbaar(wereld.zorgcoordinator) == {
        wereld.leerling_a.pk,
        wereld.leerling_b.pk,
        wereld.leerling_x.pk,
    }


def test_get_leerling_for_user_raises_404_for_hidden_and_missing(wereld):
    with pytest.raises(Http404):
        policies.get_leerling_for_user(fresh(wereld.leerkracht_b), wereld.leerling_a.pk)
    with pytest.raises(Http404):
        policies.get_leerling_for_user(fresh(wereld.zorgcoordinator), 10**9)
    with pytest.raises(Http404):
        policies.get_leerling_for_user(fresh(wereld.zorgcoordinator), "abc")


@pytest.mark.parametrize(
    ("rol", "zorg", "contact", "audit"),
    [
        ("leerkracht", True, False, False),
        ("titularis", True, True, False),
        ("zorgcoordinator", True, True, False),
        ("directie", True, True, True),
        ("secretariaat", False, True, False),
        ("beheerder", False, True, True),
        ("clb", True, True, False),  # with a referral: see below
    ],
)
def test_what_each_role_sees_of_a_student(wereld, rol, zorg, contact, audit):
    if rol == "clb":
        # Without a referral the CLB does not reach her at all.
        with pytest.raises(Http404):
            policies.get_leerling_for_user(fresh(wereld.users[rol]), wereld.leerling_a.pk)
        assert not policies.can_view_zorg(fresh(wereld.users[rol]), wereld.leerling_a)
        assert not policies.can_view_contactgegevens(fresh(wereld.users[rol]), wereld.leerling_a)
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    user = fresh(wereld.users[rol])
    leerling = policies.get_leerling_for_user(user, wereld.leerling_a.pk)
    assert policies.can_view_zorg(user, leerling) is zorg
    assert policies.can_view_contactgegevens(user, leerling) is contact
    assert policies.can_view_audit(user, leerling) is audit


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("leerkracht", {"klas_a"}),
        ("titularis", {"klas_a"}),
        ("leerkracht_b", {"klas_b"}),
        ("zorgcoordinator", {"klas_a", "klas_b"}),
        ("secretariaat", {"klas_a", "klas_b"}),
        # The CLB sees no class lists, not even of a referred student's class.
        ("clb", set()),
        ("clb_ander", set()),
        ("buitenstaander", {"klas_x"}),
    ],
)
def test_each_role_sees_exactly_its_classes(wereld, rol, verwacht):
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    aanmelding(wereld.leerling_x, wereld.buitenstaander)
    klassen = set(
        policies.klassen_visible_to(fresh(wereld.users[rol])).values_list("pk", flat=True)
    )
    assert klassen == {getattr(wereld, naam).pk for naam in verwacht}


def test_lesklassen_costs_one_query_and_is_cached(wereld, django_assert_num_queries):
    user = fresh(wereld.titularis)
    toegang(user)  # the core scope: its own two queries
    with django_assert_num_queries(1):
        policies.lesklassen(user)
    with django_assert_num_queries(0):
        policies.lesklassen(user)


def test_zorgcoordinatoren_are_the_active_care_coordinators_of_that_school_by_pk(wereld):
    tweede = _lid_met(wereld.school, Rol.ZORGCOORDINATOR)
    gestopt = _lid_met(wereld.school, Rol.ZORGCOORDINATOR)
    Lidmaatschap.objects.filter(user=gestopt).update(actief=False)
    inactief = _lid_met(wereld.school, Rol.ZORGCOORDINATOR)
    User.objects.filter(pk=inactief.pk).update(is_active=False)

    assert policies.zorgcoordinatoren(wereld.school.pk) == [wereld.zorgcoordinator, tweede]
    # The director, the CLB and the other school's coordinator are not among them.
    assert policies.zorgcoordinatoren(wereld.school2.pk) == [wereld.buitenstaander]


def _lid_met(school, rol) -> User:
    return f.LidmaatschapFactory(school=school, rol=rol).user
