"""Asking for a PDF in a real browser, made by a real Celery worker through
the private Redis: the job's page shows its progress (htmx polls it) until
the download button appears, and the download is the PDF with what the
reader may see."""

import pytest
from playwright.sync_api import expect

from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.pdf.conftest import pdf_tekst

pytestmark = [pytest.mark.browser, pytest.mark.celery, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def pdf_map(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_teacher_asks_for_the_class_overview_waits_for_it_and_downloads_it(
    wereld, aanmelden, live_server, echte_worker
):
    w = wereld
    MaatregelFactory(leerling=w.leerling_a, titel="Extra tijd bij toetsen")
    MaatregelFactory(leerling=w.leerling_b, titel="Voorleessoftware")
    page = aanmelden(w.leerkracht)
    page.goto(f"{live_server.url}/klassen/{w.klas_a.pk}/maatregelen/")
    page.get_by_test_id("pdf-klas-maatregelen").click()

    status = page.get_by_test_id("pdf-status")
    expect(status).to_be_visible()
    # The worker makes it; the page follows until it is ready.
    expect(status).to_have_attribute("data-status", "klaar", timeout=30_000)
    with page.expect_download() as download:
        page.get_by_test_id("pdf-download").click()
    inhoud = open(download.value.path(), "rb").read()  # noqa: SIM115
    tekst = "\n".join(pdf_tekst(inhoud))
    assert "Peeters, Lotte" in tekst and "Extra tijd bij toetsen" in tekst
    assert "Voorleessoftware" not in tekst
    assert "pagina 1 van 1" in tekst


def test_the_care_coordinator_asks_for_a_care_file_waits_for_it_and_downloads_it(
    wereld, aanmelden, live_server, echte_worker
):
    from tests.leerlingen.factories_observaties import ObservatieFactory

    w = wereld
    MaatregelFactory(leerling=w.leerling_a, titel="Extra tijd bij toetsen")
    ObservatieFactory(
        leerling=w.leerling_a, auteur=w.leerkracht, tekst="Leest hardop met veel zelfvertrouwen."
    )
    page = aanmelden(w.zorgcoordinator)
    page.goto(f"{live_server.url}/leerlingen/{w.leerling_a.pk}/")
    formulier = page.get_by_test_id("zorgdossier-pdf")
    formulier.get_by_label("Zorgdossier als PDF").select_option("alles")
    formulier.get_by_role("button", name="PDF maken").click()

    status = page.get_by_test_id("pdf-status")
    expect(status).to_have_attribute("data-status", "klaar", timeout=30_000)
    expect(status).to_contain_text("Zorgdossier van Lotte Peeters is klaar")
    with page.expect_download() as download:
        page.get_by_test_id("pdf-download").click()
    assert download.value.suggested_filename == "zorgdossier-van-lotte-peeters.pdf"
    tekst = " ".join("\n".join(pdf_tekst(open(download.value.path(), "rb").read())).split())  # noqa: SIM115
    assert "Zorgdossier van Lotte Peeters" in tekst
    assert "Extra tijd bij toetsen" in tekst
    assert "Leest hardop met veel zelfvertrouwen." in tekst
    assert "pagina 1 van" in tekst
