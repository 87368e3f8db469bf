"""Issue 3's journey in a real browser: a care coordinator moves a student to
phase 1 and adds a measure; the student's teacher then finds that measure on
the class measures overview; a teacher of another class cannot open the
student."""

import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phase_and_measure_reach_the_class_measures_overview(
    wereld, aanmelden, live_server, browser
):
    page = aanmelden(wereld.zorgcoordinator)
    page.goto(f"{live_server.url}/leerlingen/{wereld.leerling_a.pk}/")
    sectie = page.get_by_test_id("sectie-zorgfase")
    expect(sectie.get_by_test_id("sectie-huidige-fase")).to_have_text("0. Brede basiszorg")

    sectie.get_by_role("link", name="Zorgfase wijzigen").click()
    page.get_by_label("1. Verhoogde zorg").check()
    page.get_by_label("Reden").fill("Leest erg traag; de signalen van de leerkrachten houden aan.")
    page.get_by_label("Beslist op").fill("Begeleidende klassenraad")
    page.get_by_role("button", name="Zorgfase wijzigen").click()
    expect(page.get_by_test_id("sectie-huidige-fase")).to_have_text("1. Verhoogde zorg")

    page.get_by_role("link", name="Nieuwe maatregel").click()
    page.get_by_label("Soort (STICORDI)").select_option("compenserend")
    page.locator("#id_titel").fill("Laptop met voorleessoftware")
    page.get_by_label("Leren en studeren").check()
    page.get_by_label("alle vakken", exact=True).check()
    vandaag = datetime.date.today()
    page.get_by_label("Start").fill(vandaag.isoformat())
    page.get_by_label("Evaluatiedatum").fill((vandaag + datetime.timedelta(days=42)).isoformat())
    page.get_by_label("Beslist op").fill("Begeleidende klassenraad")
    page.get_by_role("button", name="Maatregel bewaren").click()
    expect(page.locator("main")).to_contain_text("Laptop met voorleessoftware")

    # The teacher of 3A, in a browser of their own.
    context = browser.new_context()
    leerkracht = context.new_page()
    leerkracht.goto(f"{live_server.url}/account/login/")
    leerkracht.fill("input[name=login]", wereld.leerkracht.email)
    leerkracht.fill("input[name=password]", "geheim-wachtwoord-123")
    leerkracht.locator('form[action="/account/login/"] button[type=submit]').click()
    leerkracht.get_by_role("link", name="Maatregelen in 3A").click()
    main = leerkracht.locator("main")
    expect(main).to_contain_text("Peeters")
    expect(main).to_contain_text("Laptop met voorleessoftware")
    context.close()

    # A teacher of another class gets the plain 404 for the student.
    context = browser.new_context()
    ander = context.new_page()
    ander.goto(f"{live_server.url}/account/login/")
    ander.fill("input[name=login]", wereld.leerkracht_b.email)
    ander.fill("input[name=password]", "geheim-wachtwoord-123")
    ander.locator('form[action="/account/login/"] button[type=submit]').click()
    ander.wait_for_url(f"{live_server.url}/")
    ander.goto(f"{live_server.url}/leerlingen/{wereld.leerling_a.pk}/")
    expect(ander.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    expect(ander.locator("main")).not_to_contain_text("Laptop")
    context.close()
