"""Accessibility: axe-core (vendored under tests/data/axe, MPL-2.0, test-only)
checks the main pages against WCAG 2.1 A/AA in the real browser."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clb.models import Betrokkene, Laag, Trajectnotitie
from klassenraad.models import Beslissing, BeslissingSoort, Overleg, OverlegSoort
from leerlingen.models import Aanmelding, Intake, ObservatieSoort
from tests.clb.factories import aanmelding, behoefte, consultatie, doel, notitie, traject
from tests.klassenraad.factories import actiepunt, agendapunt, bespreekvraag, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.leerlingen.factories_vlagalarm import vlag
from tests.leerlingen.test_zorgfase import naar_fase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent.parent / "data" / "axe" / "axe.min.js").read_text()


def _schendingen(page) -> list[str]:
    # evaluate() runs through the DevTools protocol, so Zorg's strict CSP
    # (no inline scripts) does not need loosening for the check.
    page.evaluate(AXE + "\n;undefined")
    resultaat = page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })).violations.map(
            v => `${v.impact}: ${v.id}: ${v.nodes.map(n => n.target).join(' | ')}`
        )"""
    )
    return resultaat


def test_login_page_is_accessible(page, live_server, wereld):
    page.goto(f"{live_server.url}/account/login/")
    assert _schendingen(page) == []


@pytest.mark.parametrize(
    "pad",
    [
        lambda w: "/",
        lambda w: "/klassen/",
        lambda w: f"/klassen/{w.klas_a.pk}/",
        lambda w: "/leerlingen/",
        lambda w: f"/leerlingen/{w.leerling_a.pk}/",
        lambda w: "/meldingen/",
        lambda w: f"/klassen/{w.klas_a.pk}/vlag/",
    ],
    ids=["start", "klassen", "klas", "leerlingen", "leerling", "meldingen", "vlag-registreren"],
)
def test_main_pages_are_accessible(aanmelden, live_server, wereld, pad):
    page = aanmelden(wereld.titularis)
    page.goto(live_server.url + pad(wereld))
    assert _schendingen(page) == []


# --- meetings (issue 5) ------------------------------------------------------------------


@pytest.fixture
def overleggen(wereld):
    """A care cell in two days with Lotte on its agenda (a red flag, notes, a
    decision, an action item of the class teacher and an overdue one), Noah
    proposed on a teacher's request, a closed cell of last month and a
    portrait class council of 3A with Lotte's profile."""
    w = wereld
    vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht, geleden=datetime.timedelta(hours=3))
    bespreekvraag(w.leerling_b, w.leerkracht_b)
    vorige = overleg(
        w,
        dagen=-30,
        status=Overleg.Status.AFGESLOTEN,
        afgesloten_op=timezone.now() - datetime.timedelta(days=29),
        afgesloten_door=w.zorgcoordinator,
        notulen="Korte cel.",
        versie=2,
    )
    agendapunt(vorige, w.leerling_b, notities="Gaat beter.", besproken=True)
    cel = overleg(w, dagen=2)
    cel.deelnemers.add(w.zorgcoordinator, w.users["clb"])
    punt = agendapunt(
        cel,
        w.leerling_a,
        redenen=[{"soort": "rode_vlag", "tekst": "Rode vlag (3A)"}],
        notities="Lotte was erg onrustig deze week.",
        besproken=True,
    )
    beslissing = Beslissing.objects.create(
        agendapunt=punt,
        soort=BeslissingSoort.ACTIEPUNT,
        tekst="De klastitularis overloopt de afspraken met Lotte.",
        door=w.zorgcoordinator,
    )
    actiepunt(cel, w.leerling_a, w.titularis, beslissing=beslissing)
    actiepunt(vorige, w.leerling_a, w.titularis, dagen=-3, omschrijving="Ouders bellen.")
    portret = overleg(w, OverlegSoort.PORTRET, dagen=1)
    agendapunt(portret, w.leerling_a)
    MaatregelFactory(leerling=w.leerling_a, beslist_door=w.zorgcoordinator, titel="Extra tijd")
    ObservatieFactory(leerling=w.leerling_a, auteur=w.leerkracht, soort=ObservatieSoort.STERKTE)
    Intake.objects.create(
        leerling=w.leerling_a,
        datum=timezone.localdate() - datetime.timedelta(days=90),
        vorige_school="De Regenboog",
        door=w.directie,
    )
    return {"cel": cel, "portret": portret, "vorige": vorige}


@pytest.mark.parametrize(
    ("wie", "pad", "testid"),
    [
        ("zorgcoordinator", lambda w, o: "/overleggen/", "overleggen"),
        ("zorgcoordinator", lambda w, o: f"/overleggen/{o['cel'].pk}/agenda/", "voorstel"),
        ("zorgcoordinator", lambda w, o: f"/overleggen/{o['cel'].pk}/", "punt"),
        (
            "zorgcoordinator",
            lambda w, o: f"/overleggen/{o['portret'].pk}/",
            lambda w: f"profiel-{w.leerling_a.pk}",
        ),
        (
            "leerkracht",
            lambda w, o: f"/overleggen/{o['portret'].pk}/",
            lambda w: f"profiel-{w.leerling_a.pk}",
        ),
        ("zorgcoordinator", lambda w, o: f"/overleggen/{o['vorige'].pk}/", "punt"),
        (
            "zorgcoordinator",
            lambda w, o: (
                f"/overleggen/{o['cel'].pk}/beslissing/"
                f"?leerling={w.leerling_a.pk}&soort=maatregel_starten"
            ),
            "actiepunt-velden",
        ),
        ("zorgcoordinator", lambda w, o: f"/overleggen/{o['cel'].pk}/verslag/", "punt"),
        ("titularis", lambda w, o: "/actiepunten/", "actiepunten"),
        ("zorgcoordinator", lambda w, o: "/actiepunten/?wie=school", "actiepunten"),
        ("titularis", lambda w, o: "/", "mijn-actiepunten"),
        ("zorgcoordinator", lambda w, o: "/", "volgende-cel"),
    ],
    ids=[
        "overleg-lijst",
        "agendavoorstel-cel",
        "cel-met-punt",
        "portretklassenraad",
        "portretklassenraad-leerkracht",
        "afgesloten-cel",
        "beslissing-formulier",
        "verslag",
        "actiepunten",
        "actiepunten-school",
        "start-met-actiepunten",
        "start-zorgcoordinator",
    ],
)
def test_meeting_pages_are_accessible(aanmelden, live_server, wereld, overleggen, wie, pad, testid):
    page = aanmelden(wereld.users[wie])
    antwoord = page.goto(live_server.url + pad(wereld, overleggen))
    assert antwoord.status == 200
    # The page shows what it is checked for, not an empty state.
    testid = testid(wereld) if callable(testid) else testid
    expect(page.get_by_test_id(testid).first).to_be_visible()
    assert _schendingen(page) == []


def test_decision_form_with_errors_is_accessible(aanmelden, live_server, wereld, overleggen):
    """The measure's fields after a refused save (nothing filled in), as the
    browser shows them once htmx swapped them in."""
    page = aanmelden(wereld.zorgcoordinator)
    cel = overleggen["cel"]
    page.goto(f"{live_server.url}/overleggen/{cel.pk}/beslissing/?leerling={wereld.leerling_a.pk}")
    page.get_by_label("maatregel starten").check()
    expect(
        page.get_by_role("heading", name="2. Maatregel starten voor Lotte Peeters")
    ).to_be_visible()
    page.get_by_role("button", name="Beslissing bewaren").click()
    expect(page.locator("main")).to_contain_text("Beschrijf de beslissing.")
    expect(page.locator("main")).to_contain_text("Geef de maatregel een titel.")
    assert _schendingen(page) == []


# --- the CLB (issue 6) -------------------------------------------------------------------


@pytest.fixture
def clb_dossier(wereld):
    """Lotte in an HGD trajectory with a goal, a need, advice, a CLB-only note
    and a participant; Noah in phase 1, his referral waiting, and a written
    consultation on him."""
    w = wereld
    clb_medewerker = w.users["clb"]
    t = traject(w)
    doel(t, clb_medewerker)
    behoefte(t, clb_medewerker)
    notitie(t, clb_medewerker, soort=Trajectnotitie.Soort.ADVIES, laag=Laag.GEDEELD)
    notitie(t, clb_medewerker)
    Betrokkene.objects.create(
        traject=t, soort=Betrokkene.Soort.OUDERS, naam="Sofie Peeters", rol="moeder"
    )
    naar_fase(w.leerling_b, 1, w.zorgcoordinator)
    aanmelding(w.leerling_b, w.zorgcoordinator)
    consultatie(w.leerling_b, w.clb, clb_medewerker)
    return {"traject": t, "wachtend": Aanmelding.objects.get(leerling=w.leerling_b)}


@pytest.mark.parametrize(
    ("wie", "pad", "testid"),
    [
        ("clb", lambda w, d: "/", "clb-wachtend"),
        ("clb", lambda w, d: "/clb/aanmeldingen/", "wachtend"),
        ("clb", lambda w, d: f"/clb/aanmeldingen/{d['wachtend'].pk}/aanvaarden/", "hulpvraag"),
        ("clb", lambda w, d: "/clb/trajecten/", "trajecten"),
        ("clb", lambda w, d: f"/clb/trajecten/{d['traject'].pk}/", "doelen"),
        ("clb", lambda w, d: f"/clb/trajecten/{d['traject'].pk}/doelen/nieuw/", None),
        ("clb", lambda w, d: f"/clb/trajecten/{d['traject'].pk}/notities/nieuw/", None),
        ("clb", lambda w, d: f"/clb/trajecten/{d['traject'].pk}/afsluiten/", None),
        ("clb", lambda w, d: f"/leerlingen/{w.leerling_b.pk}/clb-consultatie/", None),
        ("zorgcoordinator", lambda w, d: f"/leerlingen/{w.leerling_a.pk}/", "sectie-clb"),
        ("zorgcoordinator", lambda w, d: f"/leerlingen/{w.leerling_a.pk}/hgd/", "traject"),
    ],
    ids=[
        "start-clb",
        "aanmeldingen",
        "aanvaarden",
        "trajecten",
        "traject",
        "doel-formulier",
        "notitie-formulier",
        "afsluiten-formulier",
        "consultatie-formulier",
        "leerling-met-traject",
        "traject-school",
    ],
)
def test_clb_pages_are_accessible(aanmelden, live_server, wereld, clb_dossier, wie, pad, testid):
    page = aanmelden(wereld.users[wie])
    antwoord = page.goto(live_server.url + pad(wereld, clb_dossier))
    assert antwoord.status == 200
    if testid:
        expect(page.get_by_test_id(testid).first).to_be_visible()
    else:
        expect(page.locator("main form[method=post]")).to_be_visible()
    assert _schendingen(page) == []


# --- the start page's whole lists (issue 11) ---------------------------------------------


@pytest.fixture
def volle_lijsten(wereld):
    """Eleven unacknowledged red flags and eleven open signals in 3A: each
    start-page list is capped and links to its whole."""
    from tests.factories import leerling_in
    from tests.leerlingen.factories_vlagalarm import signaal

    for i in range(11):
        kind = leerling_in(wereld.klas_a, voornaam=f"Kind{i:02d}", achternaam="Test")
        vlag(kind, klas=wereld.klas_a, gemeld_door=wereld.leerkracht)
        signaal(kind)


@pytest.mark.parametrize(
    ("pad", "testid"),
    [
        ("/", "rode-vlaggen-onerkend-meer"),
        ("/vlaggen/rood/?status=onerkend", "rode-vlag-lijst"),
        ("/signalen/", "signaal-lijst"),
    ],
    ids=["start-met-links", "rode-vlaggen", "signalen"],
)
def test_the_whole_lists_are_accessible(aanmelden, live_server, wereld, volle_lijsten, pad, testid):
    page = aanmelden(wereld.zorgcoordinator)
    page.goto(live_server.url + pad)
    expect(page.get_by_test_id(testid)).to_be_visible()
    assert _schendingen(page) == []
