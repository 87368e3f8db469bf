"""The demo acts as a school's first active member with a role."""

import pytest

from tests import factories as f
from zorg.accounts.models import Rol
from zorg.demo.leden import eerste_met_rol


@pytest.mark.django_db
def test_the_first_active_membership_with_the_role_decides():
    school = f.SchoolFactory()
    f.LidmaatschapFactory(school=school, rol=Rol.ZORGCOORDINATOR, actief=False)
    f.LidmaatschapFactory(school=school, rol=Rol.DIRECTIE)
    f.LidmaatschapFactory(school=f.SchoolFactory(), rol=Rol.ZORGCOORDINATOR)
    eerste = f.LidmaatschapFactory(school=school, rol=Rol.ZORGCOORDINATOR)
    f.LidmaatschapFactory(school=school, rol=Rol.ZORGCOORDINATOR)

    assert eerste_met_rol(school, Rol.ZORGCOORDINATOR) == eerste.user


@pytest.mark.django_db
def test_a_school_without_the_role_has_none():
    school = f.SchoolFactory()
    f.LidmaatschapFactory(school=school, rol=Rol.LEERKRACHT)

    assert eerste_met_rol(school, Rol.ZORGCOORDINATOR) is None
