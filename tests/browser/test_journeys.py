"""The main journeys of the foundation, in a real browser against a live
server on PostgreSQL."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_sees_only_own_classes_and_cannot_find_other_students(
    wereld, aanmelden, live_server
):
    page = aanmelden(wereld.leerkracht)
    expect(page.get_by_role("heading", name="Mijn klassen")).to_be_visible()

    page.get_by_role("link", name="Klassen", exact=True).click()
    rijen = page.locator("main table tbody tr")
    expect(rijen).to_have_count(1)
    expect(rijen.first).to_contain_text("3A")
    expect(page.locator("main")).not_to_contain_text("3B")

    # Noah Janssens is in 3B, a class this teacher does not teach.
    page.fill("#snelzoeken", "Janssens")
    page.press("#snelzoeken", "Enter")
    expect(page.get_by_test_id("geen-resultaten")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Noah")

    # The live search (htmx) finds the teacher's own student without a reload.
    page.fill("#zoekterm", "Lott")
    expect(page.locator("#zoekresultaten")).to_contain_text("Peeters, Lotte")
    expect(page.locator("#zoekresultaten")).not_to_contain_text("Mila")

    # A tampered URL to the other class's student is the plain 404 page.
    page.goto(f"{live_server.url}/leerlingen/{wereld.leerling_b.pk}/")
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()


def test_secretariat_opens_a_student_and_sees_no_care_section(wereld, aanmelden):
    page = aanmelden(wereld.secretariaat)
    page.get_by_role("link", name="Leerlingen", exact=True).click()
    page.get_by_role("link", name="Peeters, Lotte").click()
    expect(page.get_by_role("heading", name="Lotte Peeters")).to_be_visible()
    expect(page.get_by_role("heading", name="Ouders en voogden")).to_be_visible()
    expect(page.get_by_test_id("zorg")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Zorgfase")
    expect(page.locator("main")).not_to_contain_text("basiszorg")


def test_language_switch_turns_the_ui_english_and_back(wereld, aanmelden):
    page = aanmelden(wereld.leerkracht)
    expect(page.get_by_role("heading", name="Mijn klassen")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="My classes")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", name="Mijn klassen")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^nl"))


def test_wrong_password_shows_a_message_and_no_page_loads_from_elsewhere(wereld, page, live_server):
    externe = []
    page.on(
        "request",
        lambda r: externe.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", wereld.leerkracht.email)
    page.fill("input[name=password]", "verkeerd-wachtwoord")
    page.locator('form[action="/account/login/"] button[type=submit]').click()
    expect(page.locator("main")).to_contain_text("wachtwoord is niet correct")
    assert externe == []
