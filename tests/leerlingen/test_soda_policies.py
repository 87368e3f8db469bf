"""Who fills in, reads and sets up SODA reports."""

import pytest
from django.http import Http404

from leerlingen import policies
from tests.leerlingen.factories_soda import perioden_maken


@pytest.mark.parametrize(
    ("rol", "mag"),
    [
        ("leerkracht", True),
        ("titularis", False),  # leads 3A, teaches no subject there
        ("leerkracht_b", False),
        ("zorgcoordinator", False),
        ("secretariaat", False),
        ("clb", False),
    ],
)
def test_only_a_subject_teacher_of_the_class_fills_in_its_grid(wereld, rol, mag):
    user = wereld.users[rol]
    assert policies.can_fill_soda(user, wereld.klas_a) is mag
    if mag:
        assert policies.get_soda_invulklas_for_user(user, wereld.klas_a.pk) == wereld.klas_a
        assert list(policies.soda_lesopdrachten_visible_to(user)) == list(user.lesopdrachten.all())
    else:
        with pytest.raises(Http404):
            policies.get_soda_invulklas_for_user(user, wereld.klas_a.pk)


@pytest.mark.parametrize(
    ("rol", "mag"),
    [
        ("titularis", True),
        ("zorgcoordinator", True),
        ("directie", True),
        ("leerkracht", False),
        ("leerkracht_b", False),
        ("secretariaat", False),
        ("beheerder", False),
        ("clb", False),
        ("buitenstaander", False),
    ],
)
def test_the_class_teacher_and_the_care_team_read_the_class_overview(wereld, rol, mag):
    user = wereld.users[rol]
    if mag:
        assert policies.get_soda_klas_for_user(user, wereld.klas_a.pk) == wereld.klas_a
    else:
        with pytest.raises(Http404):
            policies.get_soda_klas_for_user(user, wereld.klas_a.pk)


@pytest.mark.parametrize(
    ("rol", "mag"),
    [
        ("leerkracht", True),
        ("titularis", True),
        ("zorgcoordinator", True),
        ("leerkracht_b", False),
        ("secretariaat", False),
        ("beheerder", False),
    ],
)
def test_a_students_soda_reports_are_for_who_reads_their_care(wereld, rol, mag):
    assert policies.can_view_soda(wereld.users[rol], wereld.leerling_a) is mag


def test_only_the_schools_care_team_sets_up_periods_and_scale(wereld):
    periode = perioden_maken(wereld.schooljaar)[0]
    assert policies.get_soda_periode_for_user(wereld.directie, periode.pk) == periode
    for rol in ("beheerder", "secretariaat", "titularis", "buitenstaander"):
        with pytest.raises(Http404):
            policies.get_soda_periode_for_user(wereld.users[rol], periode.pk)
        with pytest.raises(Http404):
            policies.get_soda_school_for_user(wereld.users[rol], wereld.school.pk)
