"""The PDF flow: asking, the job and its progress, the download (only by
whoever asked, only while they may see what it shows), the expiry, and the
fetcher that loads nothing but Zorg's own stylesheets and fonts. The class
measures overview is the document these tests ask for."""

import datetime
import socket
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.pdf.conftest import downloaden, pdf_tekst
from zorg.audit.models import Actie, AuditEvent
from zorg.pdf.models import PdfOpdracht
from zorg.pdf.opmaak import BASIS_URL, html_naar_pdf, lichte_ua_tekst, statisch_bestand
from zorg.pdf.services import pdf_opruimen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _na_commit(django_capture_on_commit_callbacks):
    """What runs after a commit (the queued task, in-process here) runs."""
    global _vastleggen
    _vastleggen = django_capture_on_commit_callbacks


def _aanvragen(client, klas, **data):
    with _vastleggen(execute=True):
        return client.post(reverse("pdf:aanvragen", args=["klas-maatregelen", klas.pk]), data)


@pytest.fixture
def maatregelen(wereld):
    w = wereld
    MaatregelFactory(leerling=w.leerling_a, titel="Extra tijd bij toetsen")
    MaatregelFactory(leerling=w.leerling_b, titel="Voorleessoftware")
    return w


def test_a_teacher_gets_the_class_overview_as_a_pdf_with_footer_on_every_page(maatregelen, client):
    w = maatregelen
    client.force_login(w.leerkracht)
    antwoord = _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    assert antwoord.url == reverse("pdf:opdracht", args=[opdracht.pk])
    # Embedded and test mode: the task ran after the commit, in-process.
    opdracht.refresh_from_db()
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    pagina = client.get(antwoord.url).content.decode()
    assert "PDF downloaden" in pagina
    paginas = pdf_tekst(downloaden(client, opdracht))
    tekst = "\n".join(paginas)
    assert "Peeters, Lotte" in tekst
    assert "Extra tijd bij toetsen" in tekst
    # Another class's student is not in it.
    assert "Janssens" not in tekst and "Voorleessoftware" not in tekst
    for nummer, inhoud in enumerate(paginas, 1):
        assert f"pagina {nummer} van {len(paginas)}" in inhoud
        assert "VERTROUWELIJK" in inhoud.upper()
        assert "Sint-Testcollege" in inhoud
        assert "Gemaakt door" in inhoud
    assert opdracht.paginas == len(paginas)
    # Made and downloaded: both in the student's audit trail.
    acties = set(
        AuditEvent.objects.filter(
            leerling=w.leerling_a, onderwerp="pdf_klas-maatregelen"
        ).values_list("actie", flat=True)
    )
    assert acties == {Actie.EXPORTEREN, Actie.DOWNLOADEN}


def test_the_pdf_speaks_the_readers_language(maatregelen, client):
    w = maatregelen
    client.force_login(w.leerkracht)
    client.post(reverse("set_language"), {"language": "en"})
    _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    assert opdracht.taal == "en"
    tekst = "\n".join(pdf_tekst(downloaden(client, opdracht)))
    assert "page 1 of 1" in tekst
    assert "CONFIDENTIAL" in tekst.upper()


def test_a_double_click_makes_one_job(maatregelen, client):
    client.force_login(maatregelen.leerkracht)
    eerste = _aanvragen(client, maatregelen.klas_a)
    tweede = _aanvragen(client, maatregelen.klas_a)
    assert PdfOpdracht.objects.count() == 1
    assert eerste.url == tweede.url


def test_who_may_not_see_the_class_gets_a_404_for_the_request_the_job_and_the_file(
    maatregelen, client
):
    w = maatregelen
    client.force_login(w.leerkracht)
    _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    job = reverse("pdf:opdracht", args=[opdracht.pk])
    bestand = reverse("pdf:downloaden", args=[opdracht.pk])
    for wie in ("leerkracht_b", "secretariaat", "buitenstaander", "zorgcoordinator"):
        client.force_login(w.users[wie])
        # Not theirs: the job is anyone else's, whatever they may see.
        assert client.get(job).status_code == 404, wie
        assert client.get(bestand).status_code == 404, wie
    for wie in ("leerkracht_b", "secretariaat", "buitenstaander", "clb"):
        client.force_login(w.users[wie])
        assert _aanvragen(client, w.klas_a).status_code == 404, wie
    assert PdfOpdracht.objects.count() == 1
    # Unknown kinds, classes and jobs look the same.
    client.force_login(w.leerkracht)
    assert client.post("/pdf/bestaat-niet/1/").status_code == 404
    assert _aanvragen(client, w.klas_x).status_code == 404
    assert client.get(f"/pdf/opdrachten/{PdfOpdracht().pk}/").status_code == 404


def test_a_reader_who_lost_access_can_no_longer_download(maatregelen, client):
    w = maatregelen
    client.force_login(w.leerkracht)
    _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    w.leerkracht.lesopdrachten.all().delete()
    assert client.get(reverse("pdf:downloaden", args=[opdracht.pk])).status_code == 404


def test_a_job_made_after_access_was_lost_fails_with_a_reason(maatregelen, client, monkeypatch):
    from zorg.pdf import services

    w = maatregelen
    client.force_login(w.leerkracht)
    # Queued, not yet made (as when the worker is busy) ...
    monkeypatch.setattr(services, "in_wachtrij_na_commit", lambda pk: None)
    _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    # ... and by the time it is made, the teacher no longer teaches the class.
    w.leerkracht.lesopdrachten.all().delete()
    assert services.pdf_maken(opdracht.pk) == PdfOpdracht.Status.MISLUKT
    opdracht.refresh_from_db()
    assert "geen toegang" in opdracht.reden
    assert opdracht.bestand == ""
    pagina = client.get(reverse("pdf:opdracht", args=[opdracht.pk])).content.decode()
    assert "geen toegang" in pagina


def test_progress_is_polled_until_the_job_ends(maatregelen, client, monkeypatch):
    from zorg.pdf import services

    w = maatregelen
    client.force_login(w.leerkracht)
    monkeypatch.setattr(services, "in_wachtrij_na_commit", lambda pk: None)
    _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    url = reverse("pdf:opdracht", args=[opdracht.pk])
    deel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in deel and "in de wachtrij" in deel.lower()
    assert "<html" not in deel
    services.pdf_maken(opdracht.pk)
    deel = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in deel and "PDF downloaden" in deel


def test_after_a_day_the_file_and_the_job_are_gone(maatregelen, client, pdf_map):
    w = maatregelen
    client.force_login(w.leerkracht)
    _aanvragen(client, w.klas_a)
    opdracht = PdfOpdracht.objects.get()
    assert list(pdf_map.iterdir())
    assert pdf_opruimen(timezone.now() + datetime.timedelta(hours=23)) == (0, 0)
    assert pdf_opruimen(timezone.now() + datetime.timedelta(hours=25)) == (1, 0)
    assert not PdfOpdracht.objects.exists()
    assert list(pdf_map.iterdir()) == []
    assert client.get(reverse("pdf:downloaden", args=[opdracht.pk])).status_code == 404


def test_a_job_whose_task_was_lost_is_queued_again(maatregelen, client, monkeypatch):
    from zorg.pdf import services

    client.force_login(maatregelen.leerkracht)
    verloren = []
    monkeypatch.setattr(services, "in_wachtrij_na_commit", verloren.append)
    _aanvragen(client, maatregelen.klas_a)
    assert PdfOpdracht.objects.get().status == PdfOpdracht.Status.WACHTEND
    monkeypatch.undo()
    # Young: its own task may still come. Three minutes on: queued again.
    assert pdf_opruimen()[1] == 0
    with _vastleggen(execute=True):
        assert pdf_opruimen(timezone.now() + datetime.timedelta(minutes=3))[1] == 1
    assert PdfOpdracht.objects.get().status == PdfOpdracht.Status.KLAAR


# --- what WeasyPrint may fetch ---------------------------------------------------


@pytest.fixture
def luisteraar():
    """A local port that counts who connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    verbindingen = []
    stop = threading.Event()

    def luisteren():
        while not stop.is_set():
            try:
                verbinding, _adres = server.accept()
            except TimeoutError:
                continue
            verbindingen.append(1)
            verbinding.close()

    draad = threading.Thread(target=luisteren, daemon=True)
    draad.start()
    yield server.getsockname()[1], verbindingen
    stop.set()
    draad.join(2)
    server.close()


def test_the_fetcher_hands_out_only_zorgs_own_stylesheets_and_fonts(settings):
    assert statisch_bestand(BASIS_URL + "static/css/pdf.css").name == "pdf.css"
    assert statisch_bestand(BASIS_URL + "static/vendor/dejavu/DejaVuSans.ttf").is_file()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:8000/static/css/pdf.css",
        "https://cdn.example.com/static/css/pdf.css",
        BASIS_URL + "static/../../../etc/passwd",
        BASIS_URL + "static/%2e%2e/%2e%2e/zorg/settings.py",
        BASIS_URL + "static/vendor/htmx/htmx.min.js",
        BASIS_URL + "etc/passwd",
        "data:text/css,body{}",
    ):
        assert statisch_bestand(url) is None, url


def test_the_user_agent_stylesheet_has_no_pseudo_element_for_every_element():
    """WeasyPrint's own stylesheet gives every element a style for six
    pseudo-elements (55 MiB of a 200-page care file): the PDFs use it
    without those rules. This WeasyPrint's stylesheet is still understood,
    and its HTML still has the hook that swaps it in."""
    import inspect

    import tinycss2
    from weasyprint import HTML

    tekst = lichte_ua_tekst()
    assert tekst is not None
    selectors = [
        selector.strip()
        for regel in tinycss2.parse_stylesheet(tekst, skip_comments=True, skip_whitespace=True)
        if regel.type == "qualified-rule"
        for selector in tinycss2.serialize(regel.prelude).split(",")
    ]
    assert "li::marker" in selectors
    assert [s for s in selectors if s.startswith("::")] == []
    assert list(inspect.signature(HTML._ua_stylesheets).parameters) == ["self", "forms"]


def test_a_list_keeps_its_markers_and_the_pdf_is_the_one_weasyprints_stylesheet_makes():
    from weasyprint import HTML

    html = (
        "<style>@page { @bottom-right { content: 'p. ' counter(page) '/' counter(pages) } }"
        "</style><ul><li>eerste</li><li>tweede</li></ul><ol><li>derde</li></ol>"
    )
    pdf, paginas, _geweigerd = html_naar_pdf(html)
    tekst = "\n".join(pdf_tekst(pdf))
    assert paginas == 1
    assert tekst.count("• ") == 2 and "1. " in tekst and "derde" in tekst
    assert "p. 1/1" in tekst
    assert pdf == HTML(string=html, base_url=BASIS_URL).write_pdf()


def test_markup_that_asks_for_local_files_or_ports_fetches_nothing(luisteraar):
    poort, verbindingen = luisteraar
    html = (
        f'<link rel="stylesheet" href="http://127.0.0.1:{poort}/x.css">'
        '<link rel="stylesheet" href="file:///etc/passwd">'
        f'<p>hallo</p><img src="http://127.0.0.1:{poort}/x.png"><img src="file:///etc/passwd">'
        f"<div style=\"background: url('http://127.0.0.1:{poort}/y.png')\">x</div>"
    )
    pdf, _paginas, geweigerd = html_naar_pdf(html)
    assert verbindingen == []
    assert len(geweigerd) == 5
    tekst = "\n".join(pdf_tekst(pdf))
    assert "hallo" in tekst and "root:" not in tekst


def test_free_text_that_looks_like_markup_is_printed_as_text(wereld, client, luisteraar):
    poort, verbindingen = luisteraar
    w = wereld
    kwaad = (
        f'<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:{poort}/">'
    )
    MaatregelFactory(leerling=w.leerling_a, titel="Titel " + kwaad, omschrijving=kwaad)
    client.force_login(w.leerkracht)
    _aanvragen(client, w.klas_a)
    tekst = "\n".join(pdf_tekst(downloaden(client, PdfOpdracht.objects.get())))
    assert verbindingen == []
    assert "root:" not in tekst
    assert 'src="file:///etc/passwd"' in tekst.replace("\n", " ")


def test_a_bad_option_goes_back_with_a_message_never_to_another_site(wereld, client):
    w = wereld
    client.force_login(w.zorgcoordinator)
    url = reverse("pdf:aanvragen", args=["zorgdossier", w.leerling_a.pk])
    antwoord = client.post(
        url, {"periode": "morgen"}, headers={"referer": "https://kwaad.example/"}
    )
    assert antwoord.status_code == 302 and antwoord.url == reverse("start")
    pagina = client.get(antwoord.url).content.decode()
    assert "Kies als periode dit schooljaar of alles." in pagina
    terug = f"/leerlingen/{w.leerling_a.pk}/"
    antwoord = client.post(
        url, {"periode": "morgen"}, headers={"referer": f"http://testserver{terug}"}
    )
    assert antwoord.url == f"http://testserver{terug}"
    assert not PdfOpdracht.objects.exists()
