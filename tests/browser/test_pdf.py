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
