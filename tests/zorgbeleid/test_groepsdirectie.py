"""The group director (zorg.accounts.models.Groepsdirectie): reads the
care-policy report and reflection of each school of their group, writes
nothing, and reaches nothing of a school outside the group or of any
student."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.zorgbeleid.test_reflectie import _bewaren, _url
from zorg.accounts.models import Groepsdirectie, Scholengemeenschap
from zorgbeleid import policies
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting


def test_the_group_director_reads_the_reflection_of_a_school_of_the_group(wereld, client_voor):
    _bewaren(wereld)
    client = client_voor(wereld.groepsdirectie)
    pagina = client.get(_url(wereld))
    assert pagina.status_code == 200
    assert "De effecten volgen we nog te weinig op." in pagina.content.decode()
    # No way to edit is offered.
    bewerken = client.get(_url(wereld, "reflectie_bewerken", Verwachting.VISIE.value))
    assert bewerken.status_code == 200
    assert 'name="keuze"' not in bewerken.content.decode()


def test_the_group_director_writes_nothing(wereld, client_voor):
    reflectie = _bewaren(wereld)
    client = client_voor(wereld.groepsdirectie)
    nieuw = client.post(
        _url(wereld, "reflectie_bewerken", Verwachting.SAMEN.value),
        {"keuze": Keuze.OPSTARTEN, "redenering": "x", "versie": ""},
    )
    assert nieuw.status_code == 404
    bestaand = client.post(
        _url(wereld, "reflectie_bewerken", Verwachting.VISIE.value),
        {"keuze": Keuze.AFBOUWEN, "redenering": "x", "versie": reflectie.versie},
    )
    assert bestaand.status_code == 404
    actie = client.post(
        _url(wereld, "actie_toevoegen", Verwachting.VISIE.value),
        {"omschrijving": "x", "eigenaar": wereld.directie.pk, "vervaldatum": "2099-01-01"},
    )
    assert actie.status_code == 404
    definitief = client.post(
        _url(wereld, "reflectie_definitief", Verwachting.VISIE.value), {"versie": 1}
    )
    assert definitief.status_code == 404
    assert Reflectie.objects.get().keuze == Keuze.VERSTERKEN
    assert Reflectie.objects.count() == 1 and not Reflectieactie.objects.exists()


def test_a_school_outside_the_group_is_a_404(wereld, client_voor):
    jaar2 = wereld.klas_x.schooljaar
    url = reverse(
        "zorgbeleid:reflectie_overzicht", kwargs={"pk": wereld.school2.pk, "jaar_pk": jaar2.pk}
    )
    assert client_voor(wereld.groepsdirectie).get(url).status_code == 404
    assert list(policies.rapport_scholen_visible_to(wereld.groepsdirectie)) == [wereld.school]


def test_an_inactive_group_director_reaches_nothing(wereld, client_voor):
    Groepsdirectie.objects.filter(user=wereld.groepsdirectie).update(actief=False)
    assert client_voor(wereld.groepsdirectie).get(_url(wereld)).status_code == 404
    assert not policies.can_view_zorgbeleid(wereld.groepsdirectie)


def test_only_the_own_group_is_a_group_report(wereld):
    eigen = Scholengemeenschap.objects.get(naam="Scholengemeenschap Test")
    andere = Scholengemeenschap.objects.get(naam="Scholengemeenschap Elders")
    assert policies.get_groep_for_user(wereld.groepsdirectie, eigen.pk) == eigen
    for user, groep in [(wereld.groepsdirectie, andere), (wereld.directie, eigen)]:
        with pytest.raises(Exception) as exc:
            policies.get_groep_for_user(user, groep.pk)
        assert exc.typename == "Http404"


def test_the_start_page_offers_the_groups_schools(wereld, client_voor):
    school3 = f.SchoolFactory(
        naam="Derde School", scholengemeenschap=wereld.school.scholengemeenschap
    )
    f.SchooljaarFactory(school=school3)
    pagina = client_voor(wereld.groepsdirectie).get(reverse("start")).content.decode()
    assert "Sint-Testcollege" in pagina and "Derde School" in pagina
    assert "Andere School" not in pagina
