"""Issue 14's "done when", in a real browser on the demo school: the
director of Sint-Jozefscollege opens the care-policy report for this school
year and the last (where last year's final choices come back with what became
of their actions), records the team's choice for an expectation and makes it
final, then downloads the XLSX and the PDF (made by a real Celery worker).
Both files carry the choice just recorded and hide small numbers."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.hulp import veld
from tests.pdf.conftest import pdf_tekst
from zorg.accounts.models import School, User
from zorg.demo.plan import DEMO_WACHTWOORD, SEC_DOMEIN

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]

REDEN = "Ouders vaker betrekken bij het begeleidingsplan."


@pytest.fixture(autouse=True)
def pdf_map(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _inloggen(page, live_server, email):
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_WACHTWOORD)
    page.locator('form[action="/account/login/"] button[type=submit]').click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_demo_director_reads_records_and_downloads_the_report(live_server, page, echte_worker):
    call_command("demo", students=60, verbosity=0)
    school = School.objects.get(naam="Sint-Jozefscollege")
    jaar = school.schooljaren.get(is_huidig=True)
    vorig = school.schooljaren.filter(einde__lt=jaar.begin).order_by("-einde").first()
    directeur = User.objects.get(email=f"directie@{SEC_DOMEIN}")
    _inloggen(page, live_server, directeur.email)

    # From the menu to this year's report: exact figures, marked internal.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zorgbeleid").click()
    page.get_by_test_id(f"school-{school.pk}").get_by_role("link", name=jaar.naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(jaar.naam)
    expect(page.get_by_test_id("intern")).to_be_visible()
    expect(page.locator("svg.staafdiagram").first).to_be_visible()

    # Last year's report: the demo's final choices, with their actions' fate.
    page.get_by_test_id("jaren").get_by_role("link", name=vorig.naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(vorig.naam)
    samen = page.get_by_test_id("sectie-overleggen").get_by_test_id("keuze-samen")
    expect(samen).not_to_contain_text("Nog geen keuze.")
    page.get_by_test_id("jaren").get_by_role("link", name=jaar.naam).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(jaar.naam)

    # This year the team has not yet chosen for "together with learner,
    # parents and partners"; last year's choice is shown beside it.
    keuze = page.get_by_test_id("sectie-overleggen").get_by_test_id("keuze-samen")
    expect(keuze).to_contain_text("Nog geen keuze.")
    expect(keuze.get_by_test_id("vorig-jaar").get_by_test_id("vorige-actie").first).to_be_visible()
    keuze.get_by_test_id("bewerken").click()
    page.get_by_label("versterken, aanscherpen, meer doen dan nu").check()
    veld(page, "Waarom?").fill(REDEN)
    page.get_by_role("button", name="Bewaren als ontwerp").click()
    expect(page.locator("main")).to_contain_text("De reflectie is bewaard.")
    page.get_by_role("button", name="Definitief maken").click()
    expect(page.get_by_test_id("beslist")).to_contain_text(directeur.get_full_name())

    page.goto(f"{live_server.url}/zorgbeleid/scholen/{school.pk}/{jaar.pk}/")
    keuze = page.get_by_test_id("sectie-overleggen").get_by_test_id("keuze-samen")
    expect(keuze).to_contain_text(REDEN)

    # The spreadsheet: a sheet per section and the team's reflection.
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    boek = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert len(boek.sheetnames) >= 7
    teksten = [
        str(c)
        for blad in boek.worksheets
        for rij in blad.iter_rows(values_only=True)
        for c in rij
        if c is not None
    ]
    assert REDEN in teksten
    assert any(t == "< 5" for t in teksten)

    # The PDF, made by the worker; the page follows it until it is ready.
    page.get_by_test_id("pdf-zorgbeleid").click()
    status = page.get_by_test_id("pdf-status")
    expect(status).to_have_attribute("data-status", "klaar", timeout=60_000)
    with page.expect_download() as download:
        page.get_by_test_id("pdf-download").click()
    assert download.value.suggested_filename.endswith(".pdf")
    tekst = " ".join(
        "\n".join(pdf_tekst(open(download.value.path(), "rb").read())).split()  # noqa: SIM115
    )
    assert "Sint-Jozefscollege" in tekst and jaar.naam in tekst
    assert REDEN in tekst
    assert "< 5" in tekst
    # No student of the school is named in what leaves it.
    from leerlingen.models import Leerling

    for leerling in Leerling.objects.filter(school=school)[:60]:
        assert f"{leerling.achternaam}, {leerling.voornaam}" not in tekst
