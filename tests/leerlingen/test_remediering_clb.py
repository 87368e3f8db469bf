"""The CLB worker who reaches a student reads the remediation the student
takes part in, in the student's record (the page's section and the
timeline), read-only: no link to the class's remediation pages, which name
other students. Another CLB, a CLB worker who does not reach the student
and the secretariat read none of it."""

import datetime

import pytest
from django.urls import reverse

from leerlingen import policies
from leerlingen.models import Remediering
from leerlingen.services.remediering import RemedieringGegevens, remediering_maken
from tests.clb.factories import aanmelding
from tests.leerlingen.factories_remediering import RemedieringFactory

pytestmark = pytest.mark.django_db

Niveau = Remediering.Niveau


@pytest.fixture
def remediering(wereld):
    """Lotte's own remediation in Wiskunde, with her timeline entry, and a
    whole-class differentiation of 3A."""
    vak = wereld.leerkracht.lesopdrachten.get(klas=wereld.klas_a).vak
    eigen = remediering_maken(
        klas=wereld.klas_a,
        gegevens=RemedieringGegevens(
            vak=vak,
            niveau=Niveau.LEERLING,
            leerling=wereld.leerling_a,
            titel="Breuken inoefenen",
            nood="Haalde 4/20 op de toets breuken.",
            aanpak=Remediering.Aanpak.REMEDIERING,
            begin=datetime.date.today(),
            aantal_weken=4,
        ),
        door=wereld.leerkracht,
    )
    klas = RemedieringFactory(klas=wereld.klas_a, titel="Stappenplan op het bord", vak=vak)
    return eigen, klas


@pytest.fixture
def bereikt(wereld):
    """The world's CLB reaches Lotte: her referral is open."""
    return aanmelding(wereld.leerling_a, wereld.zorgcoordinator)


def _pagina(client, naam, leerling):
    return client.get(reverse(naam, args=[leerling.pk]))


def test_the_clb_that_reaches_the_student_reads_their_remediation(wereld, remediering, bereikt):
    eigen, klas = remediering
    ids = set(
        policies.leerling_remedieringen_visible_to(
            wereld.users["clb"], wereld.leerling_a
        ).values_list("pk", flat=True)
    )
    assert ids == {eigen.pk, klas.pk}


def test_the_clb_sees_the_section_read_only_without_links(
    wereld, remediering, bereikt, client_voor
):
    eigen, _klas = remediering
    response = _pagina(
        client_voor(wereld.users["clb"]), "leerlingen:leerling_detail", wereld.leerling_a
    )
    assert response.status_code == 200
    html = response.content.decode()
    sectie = html.split('data-testid="sectie-remediering"', 1)[1].split("</section>", 1)[0]
    assert "Breuken inoefenen" in sectie
    assert "Stappenplan op het bord" in sectie
    assert reverse("leerlingen:remediering_detail", args=[eigen.pk]) not in html
    assert reverse("leerlingen:remediering_bewerken", args=[eigen.pk]) not in html
    # The page the link would lead to stays closed to the CLB.
    assert (
        client_voor(wereld.users["clb"])
        .get(reverse("leerlingen:remediering_detail", args=[eigen.pk]))
        .status_code
        == 404
    )


def test_the_care_team_keeps_the_links_to_the_remediation(wereld, remediering, client_voor):
    eigen, _klas = remediering
    html = _pagina(
        client_voor(wereld.zorgcoordinator), "leerlingen:leerling_detail", wereld.leerling_a
    ).content.decode()
    assert reverse("leerlingen:remediering_detail", args=[eigen.pk]) in html


def test_the_clb_reads_the_remediation_on_the_students_timeline(
    wereld, remediering, bereikt, client_voor
):
    response = _pagina(client_voor(wereld.users["clb"]), "leerlingen:tijdlijn", wereld.leerling_a)
    assert response.status_code == 200
    assert "Remediëring Wiskunde: Breuken inoefenen" in response.content.decode()


def test_a_clb_worker_who_does_not_reach_the_student_reads_none_of_it(
    wereld, remediering, client_voor
):
    assert not policies.leerling_remedieringen_visible_to(
        wereld.users["clb"], wereld.leerling_a
    ).exists()
    client = client_voor(wereld.users["clb"])
    assert _pagina(client, "leerlingen:leerling_detail", wereld.leerling_a).status_code == 404
    assert _pagina(client, "leerlingen:tijdlijn", wereld.leerling_a).status_code == 404


def test_another_clb_reads_none_of_it(wereld, remediering, bereikt, client_voor):
    andere = wereld.users["clb_ander"]
    assert not policies.leerling_remedieringen_visible_to(andere, wereld.leerling_a).exists()
    client = client_voor(andere)
    assert _pagina(client, "leerlingen:leerling_detail", wereld.leerling_a).status_code == 404
    assert _pagina(client, "leerlingen:tijdlijn", wereld.leerling_a).status_code == 404


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder"])
def test_the_administrative_roles_read_none_of_it(wereld, remediering, bereikt, client_voor, rol):
    user = wereld.users[rol]
    assert not policies.leerling_remedieringen_visible_to(user, wereld.leerling_a).exists()
    response = _pagina(client_voor(user), "leerlingen:leerling_detail", wereld.leerling_a)
    html = response.content.decode()
    assert "Breuken inoefenen" not in html
    assert 'data-testid="sectie-remediering"' not in html


def test_the_clbs_view_ends_when_its_referral_closes(wereld, remediering, bereikt, client_voor):
    bereikt.status = bereikt.Status.AFGESLOTEN
    bereikt.save(update_fields=["status"])
    assert not policies.leerling_remedieringen_visible_to(
        wereld.users["clb"], wereld.leerling_a
    ).exists()
