"""Issue 4's journey in a real browser: a teacher logs a red flag for two
students; a care coordinator sees the alert, acknowledges it, and the flag
shows on both students' timelines."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.hulp import inloggen
from tests.browser.test_toegankelijkheid import _schendingen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_red_flag_for_two_students_is_acknowledged_and_on_both_timelines(
    wereld, live_server, browser
):
    tweede = f.leerling_in(wereld.klas_a, voornaam="Jules", achternaam="Maes")

    leerkracht_context = browser.new_context()
    page = inloggen(leerkracht_context, live_server, wereld.leerkracht)
    page.goto(f"{live_server.url}/klassen/{wereld.klas_a.pk}/")
    page.get_by_role("link", name="Vlag registreren").click()
    page.get_by_label("Peeters, Lotte").check()
    page.get_by_label("Maes, Jules").check()
    page.get_by_label("Rol van Jules Maes").select_option("getroffen")
    page.locator("label[for=vlag-kleur-rood]").click()
    page.locator("#vlag_omschrijving").fill(
        "Duwen en roepen tijdens de les; lesgeven werd onmogelijk."
    )
    page.get_by_role("button", name="Vlag registreren").click()
    expect(page.locator("main")).to_contain_text("Vlag geregistreerd")
    leerkracht_context.close()

    zorg_context = browser.new_context()
    zorg = inloggen(zorg_context, live_server, wereld.zorgcoordinator)
    alarm = zorg.get_by_test_id("rode-vlaggen-onerkend")
    expect(alarm).to_contain_text("3A")
    expect(zorg.get_by_test_id("ongelezen")).to_be_visible()  # the bell
    alarm.get_by_role("button", name="Erkennen").click()
    expect(zorg.get_by_test_id("rode-vlaggen-onerkend")).to_have_count(0)

    for leerling in (wereld.leerling_a, tweede):
        zorg.goto(f"{live_server.url}/leerlingen/{leerling.pk}/tijdlijn/")
        expect(zorg.locator("main")).to_contain_text("Rode vlag")
    zorg.goto(f"{live_server.url}/leerlingen/{tweede.pk}/tijdlijn/")
    expect(zorg.locator("main")).to_contain_text("Rode vlag (getroffen)")
    zorg.get_by_role("link", name="Rode vlag (getroffen)").click()
    expect(zorg.get_by_test_id("rode-vlag-erkend")).to_be_visible()
    zorg_context.close()


# --- issue 11: the form on a tablet ------------------------------------------------

TABLET = {"width": 768, "height": 1024}
KLASGENOTEN = [
    ("Emma", "Claes"),
    ("Jules", "Maes"),
    ("Noor", "Wouters"),
    ("Lucas", "Jacobs"),
    ("Mila", "Mertens"),
    ("Arthur", "Willems"),
    ("Olivia", "Goossens"),
    ("Louis", "Dubois"),
    ("Marie", "Lambert"),
    ("Liam", "Dupont"),
    ("Ella", "Hermans"),
    ("Adam", "Vermeulen"),
    ("Nina", "Claessens"),
    ("Victor", "Desmet"),
    ("Lena", "Aerts"),
    ("Finn", "Martens"),
    ("Julie", "Segers"),
    ("Vic", "Smet"),
    ("Fien", "Bogaert"),
    ("Mats", "Coppens"),
    ("Lou", "Verstraete"),
    ("Roos", "Pauwels"),
    ("Seppe", "De Smet"),
]


def _in_beeld(page, locator) -> bool:
    """Wholly inside the viewport as it is now: bounding_box() is relative
    to the viewport, so this is what the teacher sees without scrolling."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= TABLET["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "zonder-javascript"])
def test_on_a_tablet_a_red_flag_is_logged_without_scrolling_to_the_button(
    wereld, live_server, browser, javascript
):
    for voornaam, achternaam in KLASGENOTEN:
        f.leerling_in(wereld.klas_a, voornaam=voornaam, achternaam=achternaam)
    context = browser.new_context(viewport=TABLET, java_script_enabled=javascript)
    page = inloggen(context, live_server, wereld.leerkracht)
    page.goto(f"{live_server.url}/klassen/{wereld.klas_a.pk}/vlag/")
    leerlingen = page.locator("input[name=leerlingen]")
    expect(leerlingen).to_have_count(len(KLASGENOTEN) + 1)
    knop = page.get_by_role("button", name="Vlag registreren")

    # Before anything scrolls, the button is on the screen: the old page put
    # it some 1,900 px down, below the students.
    assert page.evaluate("window.scrollY") == 0
    box = knop.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= TABLET["height"], box
    # Every field, and the students' list (which scrolls on its own), ends
    # above the button's sticky bar: none hides behind it, none needs the
    # page scrolled.
    balk = page.locator(".vlag-actie").bounding_box()["y"]
    for veld in [
        *(f"label[for=vlag-kleur-{kleur}]" for kleur in ("groen", "geel", "oranje", "rood")),
        "#vlag_omschrijving",
        "#vlag_reeds_gedaan",
        "#vlag_vak",
        "#vlag_moment",
        ".vlag-leerlingen",
    ]:
        vak = page.locator(veld).bounding_box()
        assert vak["y"] >= 0 and vak["y"] + vak["height"] <= balk, (veld, vak, balk)
    if javascript:  # axe runs in the page: the scrolling regions pass WCAG too
        assert _schendingen(page) == []

    # Students, then colour and description by keyboard, in that order.
    page.get_by_label("Claes, Emma").check()
    page.get_by_label("Peeters, Lotte").check()  # further down: the list scrolls
    page.locator("select[name^=rol_]").last.focus()
    page.keyboard.press("Tab")
    expect(page.locator("#vlag-kleur-groen")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#vlag-kleur-rood")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#vlag_omschrijving")).to_be_focused()
    page.keyboard.type("Duwen en roepen tijdens de les; lesgeven werd onmogelijk.")
    page.keyboard.press("Tab")
    expect(page.locator("#vlag_reeds_gedaan")).to_be_focused()
    page.keyboard.press("Tab")
    expect(knop).to_be_focused()

    assert _in_beeld(page, knop)
    page.keyboard.press("Enter")
    # With htmx the panel in place of the form; without, the message on the
    # flag's page (where the red flag's own alert box shows too).
    bevestiging = page.get_by_role("status" if javascript else "alert").filter(
        has_text="Vlag geregistreerd"
    )
    expect(bevestiging).to_contain_text("Vlag geregistreerd voor Emma Claes en Lotte Peeters.")
    expect(bevestiging).to_contain_text("Het zorgteam werd verwittigd.")
    context.close()
