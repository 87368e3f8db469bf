"""Issue 16's rollover in a real browser on the demo school: the
administrator of Sint-Jozefscollege opens the new school year from the
settings, looks at the preview and runs it, making the new year current at
once; the care coordinator then still finds every care record, each student
in their new class."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from leerlingen.models import Inschrijving, Maatregel
from tests.browser.test_toegankelijkheid import _schendingen
from zorg.accounts.models import School
from zorg.demo.plan import DEMO_WACHTWOORD, SEC_DOMEIN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _inloggen(page, live_server, email):
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_WACHTWOORD)
    page.locator('form[action="/account/login/"] button[type=submit]').click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_demo_administrator_moves_the_school_into_the_next_year(live_server, page, browser):
    call_command("demo", students=60, verbosity=0)
    school = School.objects.get(naam="Sint-Jozefscollege")
    jaar = school.schooljaren.get(is_huidig=True)
    maatregel = (
        Maatregel.objects.actief()
        .filter(
            leerling__school=school,
            leerling__inschrijvingen__klas__schooljaar=jaar,
            leerling__inschrijvingen__einde__isnull=True,
            leerling__inschrijvingen__klas__leerjaar__lt=6,
        )
        .select_related("leerling")
        .first()
    )
    assert maatregel is not None, "the demo has active measures below the top grade"

    _inloggen(page, live_server, f"beheerder@{SEC_DOMEIN}")
    page.goto(f"{live_server.url}{reverse('beheer:instellingen_start')}")
    page.get_by_role("link", name="Nieuw schooljaar: de klassen gaan over").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw schooljaar")
    expect(page.get_by_test_id("klasrij").first).to_be_visible()
    page.get_by_role("button", name="Naar het voorbeeld").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Voorbeeld van de overgang")
    expect(page.get_by_test_id("overgang").first).to_be_visible()
    expect(page.get_by_test_id("vertrek").first).to_be_visible()
    page.get_by_label("Nu: vanaf nu zijn de nieuwe klassen de huidige").check()
    page.get_by_role("button", name="Overgang uitvoeren").click()
    expect(page.locator("main")).to_contain_text("De overgang is uitgevoerd")
    nieuw = school.schooljaren.get(is_huidig=True)
    assert nieuw.startjaar == jaar.startjaar + 1
    expect(page.locator("main")).to_contain_text(f"{nieuw.naam} is nu het huidige schooljaar.")

    # The care coordinator finds the measure on the student's page, the
    # student in their new class.
    klas = Inschrijving.objects.actief().get(leerling=maatregel.leerling).klas
    assert klas.schooljaar_id == nieuw.pk
    zorg = browser.new_context(base_url=live_server.url).new_page()
    _inloggen(zorg, live_server, f"zorg@{SEC_DOMEIN}")
    zorg.goto(
        f"{live_server.url}{reverse('leerlingen:leerling_detail', args=[maatregel.leerling.pk])}"
    )
    expect(zorg.locator("main")).to_contain_text(maatregel.titel)
    expect(zorg.locator("main")).to_contain_text(klas.naam)


@pytest.mark.parametrize("naam", ["beheer:overgang_start", "beheer:overgang_voorbeeld"])
def test_the_wizard_pages_are_accessible(aanmelden, live_server, wereld, naam):
    page = aanmelden(wereld.beheerder)
    page.goto(live_server.url + reverse(naam, args=[wereld.school.pk]))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert _schendingen(page) == []
