"""Issue 14's journey in a real browser: a director opens the care-policy
report for this school year and the last, records the team's choice for one
quality expectation on the reflection's page, and finds it beside the
figures of the report."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.hulp import inloggen, veld
from tests.browser.test_toegankelijkheid import _schendingen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_director_reads_the_report_and_records_the_teams_choice(wereld, live_server, browser):
    w = wereld
    context = browser.new_context()
    page = inloggen(context, live_server, w.directie)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zorgbeleid").click()
    page.get_by_test_id(f"school-{w.school.pk}").get_by_role("link", name=w.schooljaar.naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(w.schooljaar.naam)
    expect(page.get_by_test_id("intern")).to_contain_text("enkel voor het zorgteam")
    expect(page.get_by_test_id("tabel-bewegingen").locator("svg.staafdiagram")).to_be_visible()

    # Last year's report, one switch away, and back.
    page.get_by_test_id("jaren").get_by_role("link", name=w.vorig_schooljaar.naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(w.vorig_schooljaar.naam)
    expect(page.get_by_test_id("tabel-bewegingen")).to_contain_text(w.vorig_schooljaar.naam)
    page.get_by_test_id("jaren").get_by_role("link", name=w.schooljaar.naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(w.schooljaar.naam)

    # The team's choice for the four domains, beside the observations.
    observaties = page.get_by_test_id("sectie-observaties")
    expect(observaties.get_by_test_id("keuze-domeinen")).to_contain_text("Nog geen keuze.")
    observaties.get_by_test_id("keuze-domeinen").get_by_role(
        "link", name=re.compile("Reflectie bewerken")
    ).click()
    page.get_by_label("als nieuw initiatief opstarten").check()
    veld(page, "Waarom?").fill("Preventieve gezondheid krijgt te weinig aandacht.")
    page.get_by_role("button", name="Bewaren als ontwerp").click()
    expect(page.locator("main")).to_contain_text("De reflectie is bewaard.")

    page.goto(f"{live_server.url}/zorgbeleid/scholen/{w.school.pk}/{w.schooljaar.pk}/")
    keuze = page.get_by_test_id("sectie-observaties").get_by_test_id("keuze-domeinen")
    expect(keuze).to_contain_text("Als nieuw initiatief opstarten")
    expect(keuze).to_contain_text("Preventieve gezondheid krijgt te weinig aandacht.")
    context.close()


@pytest.mark.parametrize(
    ("wie", "pad"),
    [
        ("directie", lambda w: "/"),
        ("directie", lambda w: "/zorgbeleid/rapport/"),
        ("directie", lambda w: f"/zorgbeleid/scholen/{w.school.pk}/{w.schooljaar.pk}/"),
        (
            "groepsdirectie",
            lambda w: f"/zorgbeleid/groepen/{w.school.scholengemeenschap_id}/{w.schooljaar.naam}/",
        ),
    ],
    ids=["start", "lijst", "school", "groep"],
)
def test_the_report_pages_are_accessible(aanmelden, live_server, wereld, wie, pad):
    page = aanmelden(wereld.users[wie])
    page.goto(live_server.url + pad(wereld))
    expect(page.get_by_role("link", name="Zorgbeleid", exact=True).first).to_be_visible()
    assert _schendingen(page) == []
