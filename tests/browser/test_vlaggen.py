"""Issue 4's journey in a real browser: a teacher logs a red flag for two
students; a care coordinator sees the alert, acknowledges it, and the flag
shows on both students' timelines."""

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.hulp import inloggen

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
