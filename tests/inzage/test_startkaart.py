"""The director's start card: open access requests whose legal month ends
within a week or has ended, under a frozen clock around New Year."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from inzage.services import inzageverzoek_overhandigen
from tests.datums import lokaal
from tests.inzage.hulp import verzoek

pytestmark = pytest.mark.django_db
D = datetime.date


def _start(client) -> str:
    antwoord = client.get(reverse("start"))
    assert antwoord.status_code == 200
    return antwoord.content.decode()


@pytest.fixture
def verzoek_van_1_december(wereld_in_2026_2027, wereld):
    # Received 1 December 2026: due 1 January 2027, New Year's Day.
    with time_machine.travel(lokaal(2026, 12, 1), tick=False):
        return verzoek(wereld, ontvangen_op=D(2026, 12, 1))


@pytest.mark.parametrize(
    ("dag", "getoond", "tekst"),
    [
        (lokaal(2026, 12, 24, 23, 59), False, None),  # 8 days before
        (lokaal(2026, 12, 25, 0, 1), True, "nog 7 dagen, tot 01/01/2027"),
        (lokaal(2026, 12, 31, 23, 59), True, "nog 1 dag, tot 01/01/2027"),
        (lokaal(2027, 1, 1, 8), True, "termijn vandaag (01/01/2027)"),
        (lokaal(2027, 1, 2, 0, 1), True, "termijn verstreken op 01/01/2027"),
    ],
)
def test_the_card_shows_the_request_from_a_week_before_its_deadline(
    wereld, verzoek_van_1_december, client_voor, dag, getoond, tekst
):
    with time_machine.travel(dag, tick=False):
        # Logged in on the day: a session idle for weeks has expired.
        pagina = _start(client_voor(wereld.users["directie"]))
    assert ('data-testid="kaart-inzage"' in pagina) is getoond
    if tekst:
        assert tekst in pagina
        assert reverse("inzage:detail", args=[verzoek_van_1_december.pk]) in pagina


def test_a_request_handed_over_leaves_the_card(wereld, verzoek_van_1_december, client_voor):
    with time_machine.travel(lokaal(2026, 12, 28), tick=False):
        inzageverzoek_overhandigen(
            verzoek=verzoek_van_1_december,
            versie=1,
            overhandigd_op=D(2026, 12, 28),
            door=wereld.users["directie"],
        )
        pagina = _start(client_voor(wereld.users["directie"]))
    assert 'data-testid="kaart-inzage"' not in pagina


@pytest.mark.parametrize("rol", ["zorgcoordinator", "secretariaat", "beheerder", "buitenstaander"])
def test_no_one_but_the_director_gets_the_card(wereld, verzoek_van_1_december, client_voor, rol):
    with time_machine.travel(lokaal(2026, 12, 30), tick=False):
        pagina = _start(client_voor(wereld.users[rol]))
    assert 'data-testid="kaart-inzage"' not in pagina
    assert "Lotte Peeters" not in pagina or rol == "zorgcoordinator"
