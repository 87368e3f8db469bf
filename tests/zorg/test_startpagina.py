"""The start page puts what needs action today first: for the care
coordinator the red flags waiting for acknowledgement, then preparing the
next care cell, then their own (overdue) action items, then the signals;
what one looks up (classes, notifications) comes after. Checked on the
rendered HTML, by the positions of each section's heading."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from tests import factories as f
from tests.clb.factories import aanmelding
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_vlagalarm import signaal, vlag
from zorg import startpagina
from zorg.accounts.models import Rol


def _posities(html: str, *markers: str) -> list[int]:
    posities = []
    for marker in markers:
        assert marker in html, marker
        posities.append(html.index(marker))
    return posities


def _op_volgorde(html: str, *markers: str) -> None:
    posities = _posities(html, *markers)
    assert posities == sorted(posities), list(zip(markers, posities, strict=True))


@pytest.fixture
def drukke_dag(wereld):
    """A care coordinator who also teaches 3A, on a day with everything."""
    w = wereld
    f.LidmaatschapFactory(user=w.zorgcoordinator, school=w.school, rol=Rol.LEERKRACHT)
    f.LesopdrachtFactory(leerkracht=w.zorgcoordinator, klas=w.klas_a)
    vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht)
    cel = kf.overleg(w, dagen=2)
    kf.actiepunt(cel, w.leerling_a, w.zorgcoordinator, dagen=-3)
    kf.actiepunt(cel, w.leerling_a, w.titularis, dagen=-1)
    signaal(w.leerling_a)
    f.MeldingFactory(ontvanger=w.zorgcoordinator, titel="Iets om te lezen")
    f.MeldingFactory(ontvanger=w.titularis, titel="Iets om te lezen")
    return w


def test_the_coordinator_sees_red_flags_then_the_agenda_then_action_items_then_the_rest(
    drukke_dag, client_voor
):
    html = client_voor(drukke_dag.zorgcoordinator).get(reverse("start")).content.decode()
    _op_volgorde(
        html,
        'id="rode-vlaggen"',
        'data-testid="rode-vlaggen-onerkend"',
        "Agenda voorbereiden",
        'id="mijn-actiepunten-kop"',
        'id="signalen-kop"',
        'id="mijn-klassen"',
        'id="meldingen-kop"',
    )


def test_the_class_teacher_sees_action_items_and_signals_before_the_classes(
    drukke_dag, client_voor
):
    html = client_voor(drukke_dag.titularis).get(reverse("start")).content.decode()
    _op_volgorde(
        html,
        'id="mijn-actiepunten-kop"',
        'id="signalen-kop"',
        'id="mijn-klassen"',
        'id="meldingen-kop"',
    )


def test_the_clb_worker_sees_waiting_referrals_before_the_notifications(wereld, client_voor):
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    f.MeldingFactory(ontvanger=wereld.users["clb"], titel="Iets om te lezen")
    html = client_voor(wereld.users["clb"]).get(reverse("start")).content.decode()
    _op_volgorde(html, 'id="clb-aanmeldingen"', 'id="meldingen-kop"')


# --- the registry (zorg.startpagina) --------------------------------------------------


def test_each_app_registers_its_cards_in_the_order_of_what_needs_action_first():
    assert [kaart.naam for kaart in startpagina.geregistreerde_kaarten()] == [
        "rode_vlaggen",
        "volgende_cel",
        "inzage_termijnen",
        "mijn_actiepunten",
        "mijn_beleidsacties",
        "signalen",
        "clb_aanmeldingen",
        "mijn_klassen",
        "administratie",
        "zorgbeleid",
        "overdrachten",
        "meldingen",
        "bewaring",
    ]
    nakijken = {
        "mijn_klassen",
        "administratie",
        "zorgbeleid",
        "overdrachten",
        "meldingen",
        "bewaring",
    }
    assert all(
        (kaart.volgorde < startpagina.NAKIJKEN) == (kaart.naam not in nakijken)
        for kaart in startpagina.geregistreerde_kaarten()
    )


@pytest.fixture
def eigen_kaarten(monkeypatch):
    """An empty registry for this test; the apps' cards come back after."""
    monkeypatch.setattr(startpagina, "_KAARTEN", {})


def _kaart(naam, volgorde, context, **kwargs):
    return startpagina.Kaart(
        naam=naam, volgorde=volgorde, template=f"{naam}.html", context=context, **kwargs
    )


def test_the_page_composes_the_cards_that_apply_in_order_with_their_context(
    eigen_kaarten, rf, wereld
):
    gevraagd = []

    def niet_voor_jou(request):
        gevraagd.append("verborgen")
        return {"verborgen": True}

    startpagina.kaart_registreren(
        _kaart("later", 20, lambda request: {"later": 2}),
        _kaart("eerst", 10, lambda request: {"eerst": 1}),
        _kaart("leeg", 15, lambda request: None),
        _kaart("verborgen", 5, niet_voor_jou, voor=lambda user: False),
    )
    request = rf.get("/")
    request.user = wereld.zorgcoordinator
    context = startpagina.startpagina(request)
    assert context["kaarten"] == ["eerst.html", "later.html"]
    assert context["eerst"] == 1
    assert context["later"] == 2
    assert "verborgen" not in context
    assert gevraagd == []  # a card not for this user costs nothing
    assert context["rollen"] == [(Rol.ZORGCOORDINATOR.label, wereld.school)]


def test_registering_a_card_again_replaces_it(eigen_kaarten):
    startpagina.kaart_registreren(_kaart("een", 10, lambda request: {}))
    startpagina.kaart_registreren(_kaart("een", 30, lambda request: {}))
    assert [k.volgorde for k in startpagina.geregistreerde_kaarten()] == [30]


@pytest.mark.parametrize("module", ["views.py", "startpagina.py"])
def test_the_start_page_imports_no_app(module):
    """The apps plug their cards in; the core knows none of them."""
    bron = (Path(startpagina.__file__).parent / module).read_text()
    modules = set()
    for knoop in ast.walk(ast.parse(bron)):
        if isinstance(knoop, ast.ImportFrom) and knoop.module:
            modules.add(knoop.module.split(".")[0])
        elif isinstance(knoop, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in knoop.names}
    assert not modules & {"leerlingen", "klassenraad", "clb"}
