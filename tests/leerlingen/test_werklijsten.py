"""Every capped list of the start page ("De oudste 10 van 12") links to a
page that lists them all: the open red flags (three lists) and the open
pattern signals, each for who sees them on the start page, paginated, in the
start page's order, with a query count that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerlingen.models import Vlag
from leerlingen.services.vlagalarm import vlag_erkennen
from tests import factories as f
from tests.leerlingen.factories_vlagalarm import signaal, vlag
from zorg.audit.models import Actie, AuditEvent

ROOD = reverse("leerlingen:rode_vlag_lijst")
SIGNALEN = reverse("leerlingen:signaal_lijst")


def _rood(w, leerling, minuten, **kwargs) -> Vlag:
    return vlag(
        leerling,
        klas=w.klas_a,
        gemeld_door=w.leerkracht,
        geleden=datetime.timedelta(minutes=minuten),
        **kwargs,
    )


def _leerlingen(w, aantal, klas=None):
    return [
        f.leerling_in(klas or w.klas_a, voornaam=f"Kind{i:02d}", achternaam="Test")
        for i in range(aantal)
    ]


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- red flags ---------------------------------------------------------------------


def test_the_capped_unacknowledged_list_links_to_all_of_them_oldest_first(wereld, client_voor):
    kinderen = _leerlingen(wereld, 12)
    for i, kind in enumerate(kinderen):
        _rood(wereld, kind, minuten=100 - i)  # Kind00 waits longest
    vlag(wereld.leerling_x, klas=wereld.klas_x, gemeld_door=wereld.buitenstaander)
    client = client_voor(wereld.zorgcoordinator)

    start = _html(client, reverse("start"))
    meer = start[start.index('data-testid="rode-vlaggen-onerkend-meer"') :]
    link = f"{ROOD}?status=onerkend"
    assert meer.index(f'href="{link}"') < meer.index("De oudste 10 van 12")
    assert "Kind11 Test" not in start

    lijst = _html(client, link)
    posities = [lijst.index(f"Kind{i:02d} Test") for i in range(12)]
    assert posities == sorted(posities)
    assert "Mila Peeters" not in lijst  # another school's flag
    assert "12 rode vlaggen, de langst wachtende bovenaan." in lijst


def test_up_to_ten_there_is_no_link_to_the_whole_list(wereld, client_voor):
    for kind in _leerlingen(wereld, 10):
        _rood(wereld, kind, minuten=5)
    start = _html(client_voor(wereld.zorgcoordinator), reverse("start"))
    assert ROOD not in start


def test_the_acknowledged_list_links_to_all_acknowledged_flags(wereld, client_voor):
    for i, kind in enumerate(_leerlingen(wereld, 11)):
        vlag_erkennen(vlag=_rood(wereld, kind, minuten=60 - i), door=wereld.directie)
    onerkend = _rood(wereld, wereld.leerling_b, minuten=1)
    client = client_voor(wereld.zorgcoordinator)
    start = _html(client, reverse("start"))
    assert f"{ROOD}?status=erkend" in start
    assert f"{ROOD}?status=onerkend" not in start  # one unacknowledged: not capped
    lijst = _html(client, f"{ROOD}?status=erkend")
    assert all(f"Kind{i:02d} Test" in lijst for i in range(11))
    assert reverse("leerlingen:vlag_detail", args=[onerkend.pk]) not in lijst
    assert "nog door niemand opgenomen" in lijst


def test_the_escalated_list_is_the_directors_only(wereld, client_voor):
    for kind in _leerlingen(wereld, 11):
        _rood(wereld, kind, minuten=90, geescaleerd_op=timezone.now())
    url = f"{ROOD}?status=geescaleerd"
    directie = _html(client_voor(wereld.directie), reverse("start"))
    assert url in directie
    assert "De oudste 10 van 11: alle rode vlaggen doorgestuurd naar de directie" in directie
    assert all(f"Kind{i:02d} Test" in _html(client_voor(wereld.directie), url) for i in range(11))

    client = client_voor(wereld.zorgcoordinator)
    assert url not in _html(client, reverse("start"))
    assert client.get(url).status_code == 404


def test_an_unknown_status_shows_the_unacknowledged(wereld, client_voor):
    v = _rood(wereld, wereld.leerling_a, minuten=3)
    html = _html(client_voor(wereld.zorgcoordinator), f"{ROOD}?status=<script>")
    assert reverse("leerlingen:vlag_detail", args=[v.pk]) in html


def test_the_red_flag_list_is_paginated(wereld, client_voor, settings):
    settings.ZORG_PAGINA_GROOTTE = 5
    for i, kind in enumerate(_leerlingen(wereld, 12)):
        _rood(wereld, kind, minuten=100 - i)
    client = client_voor(wereld.zorgcoordinator)
    derde = _html(client, f"{ROOD}?status=onerkend&pagina=3")
    assert "Kind10 Test" in derde and "Kind11 Test" in derde
    assert "Kind09 Test" not in derde
    assert "Pagina 3 van 3" in derde


def test_reading_the_red_flag_list_is_audited_with_its_students(wereld, client_voor):
    _rood(wereld, wereld.leerling_a, minuten=3)
    _html(client_voor(wereld.zorgcoordinator), ROOD)
    gelezen = AuditEvent.objects.filter(actie=Actie.LEZEN, onderwerp="vlag")
    assert list(gelezen.values_list("leerling_id", flat=True)) == [wereld.leerling_a.pk]


def _tel(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("status", ["onerkend", "erkend", "geescaleerd"])
def test_the_red_flag_list_costs_the_same_queries_for_3_or_40_flags(
    wereld, client_voor, template_queries, status
):
    # Guards against a query per flag: its class, its students, who
    # acknowledged and who took it up.
    client = client_voor(wereld.directie)
    url = f"{ROOD}?status={status}"

    def vul(aantal):
        for kind in _leerlingen(wereld, aantal):
            v = _rood(wereld, kind, minuten=30, geescaleerd_op=timezone.now())
            if status == "erkend":
                vlag_erkennen(vlag=v, door=wereld.zorgcoordinator)

    vul(3)
    weinig = _tel(client, url)
    vul(37)
    assert _tel(client, url) == weinig <= 20
    assert template_queries == []


# --- signals -----------------------------------------------------------------------


def test_the_capped_signal_list_links_to_all_open_signals(wereld, client_voor):
    for kind in _leerlingen(wereld, 12):
        signaal(kind)
    signaal(wereld.leerling_x)
    client = client_voor(wereld.zorgcoordinator)
    start = _html(client, reverse("start"))
    meer = start[start.index('data-testid="signalen-meer"') :]
    assert meer.index(f'href="{SIGNALEN}"') < meer.index("De oudste 10 van 12: alle open signalen")
    lijst = _html(client, SIGNALEN)
    posities = [lijst.index(f"Kind{i:02d} Test") for i in range(12)]
    assert posities == sorted(posities)
    assert "Mila Peeters" not in lijst


def test_the_class_teacher_lists_only_the_signals_of_their_class(wereld, client_voor):
    for kind in _leerlingen(wereld, 11):
        signaal(kind)
    signaal(wereld.leerling_b)  # 3B
    client = client_voor(wereld.titularis)
    assert SIGNALEN in _html(client, reverse("start"))
    lijst = _html(client, SIGNALEN)
    assert all(f"Kind{i:02d} Test" in lijst for i in range(11))
    assert "Noah Janssens" not in lijst


@pytest.mark.parametrize("rol", ["leerkracht", "secretariaat", "clb"])
def test_who_sees_no_signals_on_the_start_page_gets_404(wereld, client_voor, rol):
    signaal(wereld.leerling_a)
    assert client_voor(wereld.users[rol]).get(SIGNALEN).status_code == 404


def test_the_signal_list_costs_the_same_queries_for_3_or_40_signals(
    wereld, client_voor, template_queries
):
    # Guards against a query per signal: its student, the student's class.
    client = client_voor(wereld.titularis)
    for kind in _leerlingen(wereld, 3):
        signaal(kind)
    weinig = _tel(client, SIGNALEN)
    for kind in _leerlingen(wereld, 37):
        signaal(kind)
    assert _tel(client, SIGNALEN) == weinig <= 20
    assert template_queries == []
