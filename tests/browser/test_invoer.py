"""Issue 16's import journey in a real browser on the demo school: the
administrator of Sint-Jozefscollege imports a new class, then a CSV of its
students with their guardians whose columns are named otherwise (the
mapping is corrected), reads the dry run that a real Celery worker makes
(the page polls its progress), confirms, and finds the students in the
class."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from leerlingen.models import Klas, Ouder
from zorg.demo.plan import DEMO_WACHTWOORD, SEC_DOMEIN

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def invoer_map(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


KLASSEN = b"naam;leerjaar;campus;titularis\r\n1Z;1;;\r\n"
LEERLINGEN = (
    "Stamnummer;Naam;Voornaam;Geboren op;Klas;Naam ouder 1;Relatie ouder 1;GSM ouder 1\r\n"
    "990001;Claes;Emma;14/03/2014;1Z;Sofie Claes;moeder;0470 11 22 33\r\n"
    "990002;Maes;Jonas;2014-05-01;1Z;Jan Maes;vader;0470 44 55 66\r\n"
).encode("cp1252")


def _inloggen(page, live_server, email):
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_WACHTWOORD)
    page.locator('form[action="/account/login/"] button[type=submit]').click()
    page.wait_for_url(f"{live_server.url}/")


def _uploaden(page, soort, naam, inhoud):
    page.select_option("select[name=soort]", soort)
    page.set_input_files(
        "input[name=bestand]", files=[{"name": naam, "mimeType": "text/csv", "buffer": inhoud}]
    )
    page.get_by_role("button", name="Bestand controleren").click()


def test_the_demo_administrator_imports_a_class_and_its_students(live_server, page, echte_worker):
    call_command("demo", students=60, verbosity=0)
    _inloggen(page, live_server, f"beheerder@{SEC_DOMEIN}")
    page.locator("a.dropdown-toggle").last.click()
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import uit het administratiepakket")

    # The class first: every column has the template's name.
    _uploaden(page, "klassen", "klassen.csv", KLASSEN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kolommen koppelen")
    page.get_by_role("button", name="Proefimport starten").click()
    status = page.get_by_test_id("import-status")
    expect(status).to_have_attribute("data-status", "gecontroleerd", timeout=30_000)
    expect(page.get_by_test_id("totaal-nieuw")).to_have_text("1")
    page.get_by_role("button", name="Import bevestigen").click()
    expect(status).to_have_attribute("data-status", "klaar", timeout=30_000)

    # The students: an export whose "Geboren op" Zorg does not know.
    page.get_by_role("link", name="Sint-Jozefscollege").click()
    _uploaden(page, "leerlingen", "export.csv", LEERLINGEN)
    expect(page.locator("select[name=leerlingnummer]")).to_have_value("0")
    expect(page.locator("select[name=ouder1_telefoon]")).to_have_value("7")
    expect(page.locator("select[name=geboortedatum]")).to_have_value("")
    page.get_by_role("button", name="Proefimport starten").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("Kies de kolom")
    page.select_option("select[name=geboortedatum]", label="Geboren op")
    page.get_by_role("button", name="Proefimport starten").click()
    expect(status).to_have_attribute("data-status", "gecontroleerd", timeout=30_000)
    expect(page.get_by_test_id("totaal-nieuw")).to_have_text("2")
    expect(page.get_by_test_id("regels")).to_contain_text("Emma Claes")
    page.get_by_role("button", name="Import bevestigen").click()
    expect(status).to_have_attribute("data-status", "klaar", timeout=30_000)

    klas = Klas.objects.get(
        naam="1Z", schooljaar__is_huidig=True, schooljaar__school__naam="Sint-Jozefscollege"
    )
    page.goto(live_server.url + reverse("leerlingen:klas_detail", args=[klas.pk]))
    expect(page.get_by_role("main")).to_contain_text("Claes")
    expect(page.get_by_role("main")).to_contain_text("Maes")
    assert Ouder.objects.get(naam="Sofie Claes").telefoon == "0470 11 22 33"


@pytest.mark.parametrize("pagina", ["school", "koppelen", "opdracht"])
def test_the_import_pages_are_accessible(aanmelden, live_server, wereld, pagina):
    from tests.browser.test_toegankelijkheid import _schendingen
    from tests.invoer.matrix_rijen import _opdracht
    from zorg.invoer.models import Importopdracht

    if pagina == "school":
        pad = reverse("invoer:school", args=[wereld.school.pk])
    elif pagina == "koppelen":
        pad = reverse("invoer:koppelen", kwargs=_opdracht(wereld, Importopdracht.Status.KOPPELEN))
    else:
        pad = reverse("invoer:opdracht", kwargs=_opdracht(wereld))
    page = aanmelden(wereld.users["beheerder"])
    page.goto(live_server.url + pad)
    assert _schendingen(page) == []
