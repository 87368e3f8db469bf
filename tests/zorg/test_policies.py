"""The policy core's getter: what the user may not see and what does not
exist look the same (a 404), and so does a key that is no key at all."""

import pytest
from django.http import Http404

from leerlingen.models import Leerling
from leerlingen.policies import leerlingen_visible_to
from zorg.accounts.policies import get_or_404, zorgteam_scholen_visible_to


def test_get_or_404_returns_a_visible_row(wereld):
    leerling = get_or_404(leerlingen_visible_to(wereld.leerkracht), pk=wereld.leerling_a.pk)
    assert leerling == wereld.leerling_a


def test_get_or_404_refuses_a_row_outside_the_policys_queryset(wereld):
    # Noah exists, in a class this teacher does not teach.
    with pytest.raises(Http404):
        get_or_404(leerlingen_visible_to(wereld.leerkracht), pk=wereld.leerling_b.pk)


def test_get_or_404_refuses_a_row_that_does_not_exist(wereld):
    ontbreekt = Leerling.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    with pytest.raises(Http404):
        get_or_404(leerlingen_visible_to(wereld.zorgcoordinator), pk=ontbreekt)


@pytest.mark.parametrize("sleutel", ["abc", "", None, [1], {"pk": 1}])
def test_get_or_404_refuses_a_malformed_key(wereld, sleutel):
    with pytest.raises(Http404):
        get_or_404(leerlingen_visible_to(wereld.zorgcoordinator), pk=sleutel)


def test_a_refused_row_and_a_missing_one_raise_the_same(wereld):
    qs = leerlingen_visible_to(wereld.leerkracht)
    with pytest.raises(Http404) as onzichtbaar:
        get_or_404(qs, pk=wereld.leerling_b.pk)
    with pytest.raises(Http404) as onbestaand:
        get_or_404(qs, pk=wereld.leerling_b.pk + 10_000)
    assert str(onzichtbaar.value) == str(onbestaand.value)


def test_the_care_team_pages_reach_only_the_schools_of_ones_care_team(wereld):
    assert list(zorgteam_scholen_visible_to(wereld.zorgcoordinator)) == [wereld.school]
    assert list(zorgteam_scholen_visible_to(wereld.directie)) == [wereld.school]
    for rol in ("leerkracht", "titularis", "secretariaat", "beheerder", "clb", "anoniem"):
        assert not zorgteam_scholen_visible_to(wereld.users[rol]).exists(), rol
