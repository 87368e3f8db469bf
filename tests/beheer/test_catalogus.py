"""The measure catalogue kept in the school's administration (issue 16):
the administrator and the care coordinators add, edit, stop offering and
offer again; the director reads; an item is never deleted (measures refer
to it); the form checks kind, scope and domains as the model does; the
audit names the fields, not the item's text."""

import uuid

import pytest
from django.urls import reverse

from leerlingen.models import Bereik, MaatregelCatalogusItem, MaatregelSoort
from zorg.audit.models import Actie, AuditEvent
from zorg.beheer.structuur import services
from zorg.versies import VerouderdeVersie

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


def _item(school, titel="Extra tijd bij toetsen"):
    return MaatregelCatalogusItem.objects.create(
        school=school,
        soort=MaatregelSoort.COMPENSEREND,
        titel=titel,
        bereik=Bereik.TOETSEN,
        domeinen=1,
    )


def _data(**anders):
    return {
        "soort": "compenserend",
        "titel": "Voorleessoftware",
        "omschrijving": "",
        "bereik": "alle_vakken",
        "domeinen": ["1", "4"],
        **anders,
    }


@pytest.mark.parametrize("rol", ["beheerder", "zorgcoordinator"])
def test_the_administrator_and_the_care_coordinator_add_an_item(wereld, client_voor, rol):
    client = client_voor(wereld.users[rol])
    url = reverse("beheer:catalogus_item_toevoegen", args=[wereld.school.pk])
    data = _data(sleutel=str(uuid.uuid4()))
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit adds it once
    item = MaatregelCatalogusItem.objects.get(school=wereld.school, titel="Voorleessoftware")
    assert item.domeinen == 5
    assert (
        AuditEvent.objects.filter(onderwerp="maatregelcatalogus", actie=Actie.AANMAKEN).count() == 1
    )


@pytest.mark.parametrize(
    ("anders", "bericht"),
    [
        ({"soort": "magisch"}, "Kies een soort maatregel (STICORDI)."),
        ({"bereik": "overal"}, "Kies voor welke vakken de maatregel meestal geldt."),
        ({"domeinen": []}, "Kies minstens één begeleidingsdomein."),
        ({"domeinen": ["16"]}, "Selecteer een geldige keuze"),
        ({"titel": "    "}, "Geef de maatregel een titel."),
        ({"titel": "x" * 400}, "Deze titel is te lang."),
        ({"titel": "EXTRA TIJD BIJ TOETSEN"}, "staat al in de catalogus"),
    ],
)
def test_a_bad_item_gets_a_dutch_message(wereld, client_voor, anders, bericht):
    _item(wereld.school)
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:catalogus_item_toevoegen", args=[wereld.school.pk]),
        _data(sleutel=str(uuid.uuid4()), **anders),
    )
    assert response.status_code == 200
    assert bericht in response.content.decode()
    assert MaatregelCatalogusItem.objects.filter(school=wereld.school).count() == 1


def test_an_edit_is_version_checked_and_audited_without_its_text(wereld):
    item = _item(wereld.school)
    gegevens = _data(titel="Extra tijd bij toetsen en examens", domeinen=3)
    services.catalogus_item_wijzigen(item=item, versie=1, gegevens=gegevens, door=wereld.beheerder)
    with pytest.raises(VerouderdeVersie):
        services.catalogus_item_wijzigen(
            item=item, versie=1, gegevens=_data(domeinen=1), door=wereld.zorgcoordinator
        )
    item.refresh_from_db()
    assert (item.titel, item.domeinen, item.versie) == ("Extra tijd bij toetsen en examens", 3, 2)
    event = AuditEvent.objects.get(onderwerp="maatregelcatalogus", actie=Actie.WIJZIGEN)
    assert set(event.velden) == {"titel", "bereik", "domeinen"}
    assert event.omschrijving == ""


def test_an_item_is_stopped_not_deleted_and_offered_again(wereld, client_voor):
    item = _item(wereld.school)
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("beheer:catalogus_item_actief", args=[item.pk])
    client.post(url, {"actief": "0"})
    item.refresh_from_db()
    assert item.actief is False
    client.post(url, {"actief": "0"})  # twice: nothing more happens
    client.post(url, {"actief": "1"})
    item.refresh_from_db()
    assert item.actief is True
    assert AuditEvent.objects.filter(onderwerp="maatregelcatalogus").count() == 2


def test_the_director_reads_the_catalogue_without_buttons(wereld, client_voor):
    item = _item(wereld.school)
    pagina = client_voor(wereld.directie).get(reverse("beheer:catalogus", args=[wereld.school.pk]))
    html = pagina.content.decode()
    assert "Extra tijd bij toetsen" in html
    assert reverse("beheer:catalogus_item_wijzigen", args=[item.pk]) not in html
    assert reverse("beheer:catalogus_item_actief", args=[item.pk]) not in html
    assert (
        client_voor(wereld.directie)
        .post(reverse("beheer:catalogus_item_actief", args=[item.pk]), {"actief": "0"})
        .status_code
        == 404
    )


def test_another_schools_item_is_a_404(wereld, client_voor):
    item = _item(wereld.school2)
    client = client_voor(wereld.zorgcoordinator)
    assert client.get(reverse("beheer:catalogus_item_wijzigen", args=[item.pk])).status_code == 404
    assert client.get(reverse("beheer:catalogus", args=[wereld.school2.pk])).status_code == 404


def test_the_catalogue_page_asks_a_fixed_number_of_queries(
    wereld, client_voor, django_assert_max_num_queries
):
    # Guards against a query per item (its school, its labels).
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("beheer:catalogus", args=[wereld.school.pk])
    _item(wereld.school)
    client.get(url)
    with django_assert_max_num_queries(15) as eerst:
        client.get(url)
    for n in range(15):
        _item(wereld.school, titel=f"Maatregel {n}")
    with django_assert_max_num_queries(len(eerst.captured_queries)):
        assert client.get(url).status_code == 200
