"""The student list and search at a school group's size (issue 19): counted
no further than a limit, and a search by name found through the trigram
indexes, not by walking every student in name order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import Leerling
from leerlingen.views import basis
from tests import factories as f
from tests.leerlingen.veel import veel_leerlingen

ACHTERNAMEN = ["Aerts", "Bosmans", "Claes", "Maes", "Peeters", "Vermeulen", "Wouters"]


def _namen(response) -> list[str]:
    return [leerling.volledige_naam for leerling in response.context["pagina"].object_list]


def test_the_whole_list_stops_counting_at_its_limit_and_says_there_are_more(
    wereld, client_voor, monkeypatch
):
    for naam in ACHTERNAMEN:
        f.leerling_in(wereld.klas_a, voornaam="Sam", achternaam=naam)
    monkeypatch.setattr(basis, "LIJST_GRENS", 4)

    response = client_voor(wereld.zorgcoordinator).get(reverse("leerlingen:leerling_lijst"))

    inhoud = response.content.decode()
    assert response.status_code == 200
    assert response.context["pagina"].paginator.count == 4
    assert "Meer dan 4 leerlingen: zoek op naam of leerlingnummer, of open een klas." in inhoud


def test_under_the_limit_the_list_says_nothing_of_more(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(reverse("leerlingen:leerling_lijst"))

    assert "Meer dan" not in response.content.decode()
    assert response.context["pagina"].paginator.meer is False


def test_a_search_with_more_matches_than_its_limit_asks_for_a_sharper_term(
    wereld, client_voor, monkeypatch
):
    for voornaam in ("Ada", "Bo", "Cis"):
        f.leerling_in(wereld.klas_a, voornaam=voornaam, achternaam="Zoekmans")
    monkeypatch.setattr(basis, "ZOEK_GRENS", 2)

    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_lijst"), {"q": "zoekmans"}
    )

    assert "Meer dan 2 leerlingen gevonden voor “zoekmans”: maak je zoekterm preciezer." in (
        response.content.decode()
    )
    # The pages stop at the limit: the first of them in name order.
    assert _namen(response) == ["Ada Zoekmans", "Bo Zoekmans"]


@pytest.mark.parametrize("term", ["zoekmans", "zo"])
def test_search_results_are_in_name_order_whichever_order_the_database_uses(
    wereld, client_voor, term
):
    for voornaam, achternaam in [("Bo", "Zoekmans"), ("Ada", "Zoekmans"), ("Cis", "Zoekmansa")]:
        f.leerling_in(wereld.klas_a, voornaam=voornaam, achternaam=achternaam)

    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_lijst"), {"q": term}
    )

    assert _namen(response) == ["Ada Zoekmans", "Bo Zoekmans", "Cis Zoekmansa"]


def test_a_search_by_name_sorts_its_matches_instead_of_walking_the_name_index(wereld):
    veel_leerlingen(wereld.school, 5000, ACHTERNAMEN)
    pagina = Leerling.objects.filter(school=wereld.school).zoeken("wouters")
    pagina = pagina.order_by(*basis._naamvolgorde("wouters"))[:50]

    plan = pagina.explain()

    # Walking leerling_naam (school, surname, first name) in order reads
    # every student before a late letter's matches; the matches are found
    # (through the trigram indexes once the school is large) and sorted.
    assert "Index Scan using leerling_naam" not in plan, plan
    assert "Sort" in plan, plan


def test_the_capped_count_reads_only_the_matches_not_what_the_page_shows_of_them(
    wereld, client_voor
):
    client = client_voor(wereld.zorgcoordinator)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("leerlingen:leerling_lijst"), {"q": "peeters"})

    (telling,) = [
        q["sql"]
        for q in queries.captured_queries
        if "leerlingen_leerling" in q["sql"] and "COUNT" in q["sql"]
    ]
    # Each student's current class is two subqueries a row: for the page's
    # 50, not for the up to 501 rows the count looks at.
    assert "leerlingen_inschrijving" not in telling, telling
