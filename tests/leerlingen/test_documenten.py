"""Uploaded documents: only PDF, PNG and JPEG judged by their bytes, stored
under MEDIA_ROOT with a random name, handed out only by a policy-checked,
audited download view. Every test writes real files to a temporary
MEDIA_ROOT."""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import Document, TijdlijnItem, Zichtbaarheid
from leerlingen.services import documenten as documenten_service
from leerlingen.services.documenten import document_opslaan, max_grootte_tekst
from leerlingen.views import documenten as documenten_views
from tests.clb.factories import aanmelding
from tests.conftest import ROLLEN
from tests.leerlingen.factories_documenten import (
    EXE_BYTES,
    HTML_BYTES,
    document_met_bestand,
    jpeg_bytes,
    pdf_bytes,
    pdf_van_precies,
    png_bytes,
)
from zorg.audit.models import Actie, AuditEvent

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _bestanden(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


def _upload(naam: str, inhoud: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(naam, inhoud, content_type=content_type)


def _opslaan(wereld, bestand, titel="Diagnoseverslag dyslexie", soort=Document.Soort.ATTEST):
    return document_opslaan(
        leerling=wereld.leerling_a,
        door=wereld.zorgcoordinator,
        bestand=bestand,
        titel=titel,
        soort=soort,
    )


def _nieuw_url(wereld):
    return reverse("leerlingen:document_nieuw", args=[wereld.leerling_a.pk])


def _download_url(document, leerling=None):
    return reverse(
        "leerlingen:document_download", args=[(leerling or document.leerling).pk, document.pk]
    )


def _inhoud(response) -> bytes:
    """The streamed body, read to the end: the test client then closes the
    file, as a WSGI server would."""
    return b"".join(response.streaming_content)


def _detail_url(wereld):
    return reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])


# --- the service: what is accepted ----------------------------------------------


@pytest.mark.parametrize(
    ("inhoud", "inhoudstype", "extensie"),
    [
        (pdf_bytes(), "application/pdf", ".pdf"),
        (png_bytes(), "image/png", ".png"),
        (jpeg_bytes(), "image/jpeg", ".jpg"),
    ],
)
def test_a_real_pdf_png_or_jpeg_is_stored_under_media_root(
    wereld, media, inhoud, inhoudstype, extensie
):
    document = _opslaan(wereld, _upload("scan" + extensie, inhoud))
    document.refresh_from_db()
    assert document.inhoudstype == inhoudstype
    assert document.grootte == len(inhoud)
    [bestand] = _bestanden(media)
    assert bestand.read_bytes() == inhoud
    assert bestand.suffix == extensie
    assert bestand == Path(media) / document.bestand.name


def test_the_sample_pdf_really_is_a_pdf_1_4():
    inhoud = pdf_bytes()
    assert inhoud.startswith(b"%PDF-1.4")
    assert inhoud.rstrip().endswith(b"%%EOF")


def test_the_type_comes_from_the_bytes_not_from_the_name_or_the_browser(wereld, media):
    document = _opslaan(wereld, _upload("verslag.pdf", png_bytes(), "application/pdf"))
    assert document.inhoudstype == "image/png"
    assert document.bestand.name.endswith(".png")
    assert document.bestandsnaam == "verslag.pdf"


def test_the_stored_name_is_random_and_says_nothing_about_the_student_or_the_file(wereld, media):
    document = _opslaan(wereld, _upload("Lotte Peeters dyslexie.pdf", pdf_bytes()))
    naam = document.bestand.name
    assert re.fullmatch(rf"documenten/{wereld.school.pk}/[0-9a-f]{{32}}\.pdf", naam), naam
    for woord in ("Lotte", "Peeters", "dyslexie", str(wereld.leerling_a.pk) + "/"):
        assert woord not in naam
    assert document.bestandsnaam == "Lotte Peeters dyslexie.pdf"


def test_two_uploads_of_the_same_file_get_different_names(wereld, media):
    een = _opslaan(wereld, _upload("verslag.pdf", pdf_bytes()))
    twee = _opslaan(wereld, _upload("verslag.pdf", pdf_bytes()))
    assert een.bestand.name != twee.bestand.name
    assert len(_bestanden(media)) == 2


@pytest.mark.parametrize(
    "naam", ["../../etc/passwd.pdf", "..\\..\\windows\\system32\\passwd.pdf", "/etc/passwd.pdf"]
)
def test_a_path_in_the_file_name_is_stripped_and_nothing_lands_outside_media_root(
    wereld, media, tmp_path, naam
):
    document = _opslaan(wereld, ContentFile(pdf_bytes(), name=naam))
    assert document.bestandsnaam == "passwd.pdf"
    alle = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert alle == _bestanden(media)
    assert len(alle) == 1


def test_a_very_long_file_name_is_capped_and_keeps_its_extension(wereld, media):
    document = _opslaan(wereld, ContentFile(pdf_bytes(), name="a" * 500 + ".pdf"))
    assert len(document.bestandsnaam) == 200
    assert document.bestandsnaam.endswith(".pdf")


def test_a_file_of_exactly_the_limit_is_accepted(wereld, media, settings):
    settings.ZORG_DOCUMENT_MAX_BYTES = 1 * MB
    inhoud = pdf_van_precies(MB)
    document = _opslaan(wereld, _upload("groot.pdf", inhoud))
    assert document.grootte == MB


def test_an_upload_is_audited(wereld, media):
    document = _opslaan(wereld, _upload("verslag.pdf", pdf_bytes()))
    [event] = AuditEvent.objects.filter(actie=Actie.AANMAKEN, onderwerp="document")
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.gebruiker == wereld.zorgcoordinator
    assert event.object_id == str(document.pk)
    # The trail is read by the functional administrator: no care content.
    assert "Diagnoseverslag" not in event.omschrijving


def test_an_upload_puts_a_care_team_entry_on_the_timeline(wereld, media):
    document = _opslaan(wereld, _upload("verslag.pdf", pdf_bytes()))
    [item] = TijdlijnItem.objects.filter(leerling=wereld.leerling_a)
    assert item.soort == TijdlijnItem.Soort.DOCUMENT
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.titel == "Diagnoseverslag dyslexie"
    assert item.url == _download_url(document)


# --- the service: what is refused ------------------------------------------------

GEWEIGERD = [
    pytest.param("verslag.pdf", HTML_BYTES, "Enkel PDF, PNG of JPEG", id="html-named-pdf"),
    pytest.param("verslag.pdf", EXE_BYTES, "Enkel PDF, PNG of JPEG", id="exe-renamed-pdf"),
    pytest.param("foto.jpg", b"GIF89a\x01\x00\x01\x00", "Enkel PDF, PNG of JPEG", id="gif"),
    pytest.param("leeg.pdf", b"", "Het bestand is leeg.", id="empty"),
    # Issue 15: the whole file is read, not only its first bytes.
    pytest.param(
        "verslag.pdf",
        b"%PDF-1.4\n" + HTML_BYTES,
        "bevat een webpagina (HTML)",
        id="pdf-signature-then-html",
    ),
    pytest.param(
        "verslag.pdf",
        pdf_bytes(commentaar=b"<html><body><script>fetch('/leerlingen/')</script>"),
        "bevat een webpagina (HTML)",
        id="valid-pdf-with-html-in-a-comment",
    ),
    pytest.param(
        "verslag.pdf", pdf_bytes() + HTML_BYTES, "bevat een webpagina (HTML)", id="html-after-eof"
    ),
    pytest.param(
        "foto.png", png_bytes() + HTML_BYTES, "bevat een webpagina (HTML)", id="html-after-png"
    ),
    pytest.param(
        "foto.jpg",
        jpeg_bytes()[:4] + b"<svg onload=alert(1)>" + jpeg_bytes()[4:],
        "bevat een webpagina (HTML)",
        id="svg-in-a-jpeg",
    ),
    pytest.param(
        "verslag.pdf",
        b"%PDF-1.4\n" + b"0" * 200,
        "is beschadigd of geen echte",
        id="pdf-header-only",
    ),
    pytest.param(
        "verslag.pdf", pdf_bytes()[:-60], "is beschadigd of geen echte", id="truncated-pdf"
    ),
    pytest.param("foto.png", png_bytes()[:-20], "is beschadigd of geen echte", id="truncated-png"),
    pytest.param(
        "foto.jpg",
        b"\xff\xd8\xff\xe0" + b"\x00" * 200,
        "is beschadigd of geen echte",
        id="jpeg-header-then-junk",
    ),
]


@pytest.mark.parametrize(("naam", "inhoud", "melding"), GEWEIGERD)
def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_stored(
    wereld, media, naam, inhoud, melding
):
    with pytest.raises(ValidationError) as fout:
        _opslaan(wereld, _upload(naam, inhoud))
    assert melding in fout.value.messages[0]
    assert not Document.objects.exists()
    assert _bestanden(media) == []
    assert not AuditEvent.objects.filter(onderwerp="document").exists()


def test_an_oversized_file_is_refused_with_the_limit_in_mb(wereld, media, settings):
    settings.ZORG_DOCUMENT_MAX_BYTES = 1 * MB
    with pytest.raises(ValidationError) as fout:
        _opslaan(wereld, _upload("groot.pdf", b"%PDF-1.4\n" + b"0" * MB))
    assert fout.value.messages == ["Het bestand is te groot: maximaal 1 MB."]
    assert not Document.objects.exists()
    assert _bestanden(media) == []


def test_the_default_limit_is_ten_mb(settings):
    assert max_grootte_tekst(10 * MB) == "10 MB"
    assert max_grootte_tekst(int(2.5 * MB)) == "2,5 MB"


@pytest.mark.parametrize("stap", ["audit_vastleggen", "tijdlijn_registreren"])
def test_a_failure_after_the_file_was_written_leaves_nothing_behind(
    wereld, media, monkeypatch, stap
):
    def faalt(**kwargs):
        # The file is on disk by now: the cleanup must really remove it.
        assert len(_bestanden(media)) == 1
        raise RuntimeError("database weg")

    monkeypatch.setattr(documenten_service, stap, faalt)
    with pytest.raises(RuntimeError):
        _opslaan(wereld, _upload("verslag.pdf", pdf_bytes()))
    assert not Document.objects.exists()
    assert not TijdlijnItem.objects.exists()
    assert not AuditEvent.objects.filter(onderwerp="document").exists()
    assert _bestanden(media) == []


def test_a_row_that_the_database_refuses_leaves_no_file_behind(wereld, media):
    # A title longer than its column: the INSERT fails after the file was written.
    with pytest.raises(Exception):  # noqa: B017  (DataError from the driver)
        _opslaan(wereld, _upload("verslag.pdf", pdf_bytes()), titel="x" * 300)
    assert _bestanden(media) == []


# --- uploading through the page ----------------------------------------------------


def test_the_care_coordinator_uploads_a_pdf(wereld, client_voor, media):
    response = client_voor(wereld.zorgcoordinator).post(
        _nieuw_url(wereld),
        {
            "titel": "Gemotiveerd verslag",
            "soort": "verslag",
            "sleutel": str(uuid.uuid4()),
            "bestand": _upload("gv.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _detail_url(wereld)
    document = Document.objects.get()
    assert document.titel == "Gemotiveerd verslag"
    assert document.soort == "verslag"
    assert document.geupload_door == wereld.zorgcoordinator
    assert (Path(media) / document.bestand.name).read_bytes() == pdf_bytes()


def test_an_upload_through_the_page_strips_a_path_from_the_name(wereld, client_voor, media):
    response = client_voor(wereld.directie).post(
        _nieuw_url(wereld),
        {
            "titel": "Verslag",
            "soort": "verslag",
            "sleutel": str(uuid.uuid4()),
            "bestand": _upload("../../etc/passwd.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().bestandsnaam == "passwd.pdf"


@pytest.mark.parametrize(("naam", "inhoud", "melding"), GEWEIGERD)
def test_a_refused_upload_gives_a_dutch_message_and_stores_nothing(
    wereld, client_voor, media, naam, inhoud, melding
):
    response = client_voor(wereld.zorgcoordinator).post(
        _nieuw_url(wereld),
        {"titel": "Verslag", "soort": "verslag", "bestand": _upload(naam, inhoud)},
    )
    assert response.status_code == 200
    assert melding in response.content.decode()
    assert not Document.objects.exists()
    assert _bestanden(media) == []


def test_an_oversized_upload_through_the_page_names_the_limit(wereld, client_voor, media, settings):
    settings.ZORG_DOCUMENT_MAX_BYTES = 1 * MB
    response = client_voor(wereld.zorgcoordinator).post(
        _nieuw_url(wereld),
        {
            "titel": "Verslag",
            "soort": "verslag",
            "sleutel": str(uuid.uuid4()),
            "bestand": _upload("groot.pdf", b"%PDF-1.4\n" + b"0" * MB),
        },
    )
    assert response.status_code == 200
    assert "Het bestand is te groot: maximaal 1 MB." in response.content.decode()
    assert _bestanden(media) == []


@pytest.mark.parametrize(
    ("data", "melding"),
    [
        ({"titel": "   ", "soort": "verslag"}, "Geef het document een titel."),
        ({"titel": "Verslag", "soort": "virus"}, "Selecteer een geldige keuze."),
        ({"titel": "x" * 201, "soort": "verslag"}, "niet meer dan 200 tekens"),
    ],
)
def test_bad_fields_give_a_dutch_message_and_store_nothing(
    wereld, client_voor, media, data, melding
):
    response = client_voor(wereld.zorgcoordinator).post(
        _nieuw_url(wereld), {**data, "bestand": _upload("v.pdf", pdf_bytes())}
    )
    assert response.status_code == 200
    assert melding in response.content.decode()
    assert not Document.objects.exists()
    assert _bestanden(media) == []


def test_an_upload_without_a_file_asks_for_one(wereld, client_voor, media):
    response = client_voor(wereld.zorgcoordinator).post(
        _nieuw_url(wereld), {"titel": "Verslag", "soort": "verslag"}
    )
    assert response.status_code == 200
    assert "Kies een bestand om op te laden." in response.content.decode()


@pytest.mark.parametrize(
    "rol", ["leerkracht", "titularis", "clb", "secretariaat", "buitenstaander"]
)
def test_who_is_not_the_care_team_cannot_upload(wereld, client_voor, media, rol):
    if rol == "clb":
        # A CLB worker who reaches her (a referral) still does not upload.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client_voor(wereld.users[rol]).post(
        _nieuw_url(wereld),
        {"titel": "Verslag", "soort": "verslag", "bestand": _upload("v.pdf", pdf_bytes())},
    )
    assert response.status_code == 404
    assert not Document.objects.exists()
    assert _bestanden(media) == []


def test_the_upload_form_states_the_limit(wereld, client_voor, settings):
    settings.ZORG_DOCUMENT_MAX_BYTES = 5 * MB
    response = client_voor(wereld.zorgcoordinator).get(_nieuw_url(wereld))
    assert "PDF, PNG of JPEG, maximaal 5 MB." in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


# --- downloading -------------------------------------------------------------------


@pytest.fixture
def document(wereld, media):
    return document_met_bestand(leerling=wereld.leerling_a, door=wereld.zorgcoordinator)


MAG_DOWNLOADEN = {"zorgcoordinator", "directie", "clb"}
ALLE_ROLLEN = [rol for rol in ROLLEN if rol != "anoniem"]


@pytest.mark.parametrize("rol", ALLE_ROLLEN)
def test_only_the_care_team_and_the_referred_clb_download(wereld, client_voor, document, rol):
    client = client_voor(wereld.users[rol])
    if rol == "clb":
        # Without a referral the CLB does not reach the student: 404, no trace.
        assert client.get(_download_url(document)).status_code == 404
        assert not AuditEvent.objects.filter(actie=Actie.DOWNLOADEN).exists()
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client.get(_download_url(document))
    if rol in MAG_DOWNLOADEN:
        assert response.status_code == 200
        assert _inhoud(response) == pdf_bytes()
    else:
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(actie=Actie.DOWNLOADEN).exists()


def test_an_anonymous_visitor_is_sent_to_the_login(wereld, client_voor, document):
    response = client_voor(None).get(_download_url(document))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_every_download_is_audited(wereld, client_voor, document):
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # the CLB reaches her
    client = client_voor(wereld.users["clb"])
    for _ in range(2):
        _inhoud(client.get(_download_url(document)))
    events = AuditEvent.objects.filter(actie=Actie.DOWNLOADEN)
    assert events.count() == 2
    for event in events:
        assert event.gebruiker == wereld.users["clb"]
        assert event.leerling_id == wereld.leerling_a.pk
        assert event.onderwerp == "document"
        assert event.object_id == str(document.pk)
        assert document.titel not in event.omschrijving


def test_the_download_response_headers(wereld, client_voor, document):
    response = client_voor(wereld.zorgcoordinator).get(_download_url(document))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="verslag logopedie.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert int(response["Content-Length"]) == len(pdf_bytes())
    assert _inhoud(response) == pdf_bytes()


def test_a_nasty_original_name_gives_a_safe_download_name(wereld, client_voor, media):
    document = document_met_bestand(
        leerling=wereld.leerling_a,
        door=wereld.zorgcoordinator,
        bestandsnaam='rapport"; filename="x.html\r\nSet-Cookie: a=b.pdf',
    )
    response = client_voor(wereld.zorgcoordinator).get(_download_url(document))
    kop = response["Content-Disposition"]
    assert kop.startswith('attachment; filename="')
    assert kop.count('"') == 2
    assert "\r" not in kop and "\n" not in kop
    assert kop.endswith('.pdf"')
    _inhoud(response)


def test_a_png_named_pdf_downloads_as_a_png(wereld, client_voor, media):
    document = _opslaan(wereld, _upload("scan.pdf", png_bytes()))
    response = client_voor(wereld.directie).get(_download_url(document))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert _inhoud(response) == png_bytes()


def test_another_students_document_via_a_tampered_url_is_404(wereld, client_voor, media):
    # The care coordinator may see both students, but a document is only
    # found under its own student.
    ander = document_met_bestand(leerling=wereld.leerling_b, door=wereld.zorgcoordinator)
    client = client_voor(wereld.zorgcoordinator)
    assert _inhoud(client.get(_download_url(ander))) == pdf_bytes()
    response = client.get(_download_url(ander, leerling=wereld.leerling_a))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actie=Actie.DOWNLOADEN).count() == 1


def test_another_schools_document_via_a_tampered_url_is_404(wereld, client_voor, media):
    elders = document_met_bestand(leerling=wereld.leerling_x, door=wereld.buitenstaander)
    client = client_voor(wereld.zorgcoordinator)
    assert client.get(_download_url(elders)).status_code == 404
    assert client.get(_download_url(elders, leerling=wereld.leerling_a)).status_code == 404
    assert not AuditEvent.objects.filter(actie=Actie.DOWNLOADEN).exists()


def test_a_missing_document_number_is_404(wereld, client_voor, document):
    url = reverse("leerlingen:document_download", args=[wereld.leerling_a.pk, 999_999_999])
    assert client_voor(wereld.zorgcoordinator).get(url).status_code == 404


def test_a_document_whose_file_is_gone_is_404_not_500(wereld, client_voor, document, media):
    (Path(media) / document.bestand.name).unlink()
    response = client_voor(wereld.zorgcoordinator).get(_download_url(document))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(actie=Actie.DOWNLOADEN).exists()


def test_no_url_serves_media_root(wereld, client_voor, document):
    client = client_voor(wereld.zorgcoordinator)
    assert client.get(document.bestand.url).status_code == 404
    assert client.get("/media/" + document.bestand.name).status_code == 404


# --- the section on the student page -----------------------------------------------


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "secretariaat", "beheerder"])
def test_teachers_and_administration_never_see_the_documents_or_a_link(
    wereld, client_voor, document, rol
):
    response = client_voor(wereld.users[rol]).get(_detail_url(wereld))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="sectie-documenten"' not in html
    assert "Diagnoseverslag dyslexie" not in html
    assert "/documenten/" not in html


@pytest.mark.parametrize(("rol", "mag_uploaden"), [("zorgcoordinator", True), ("clb", False)])
def test_the_care_team_and_the_referred_clb_see_the_list_with_download_links(
    wereld, client_voor, document, rol, mag_uploaden
):
    client = client_voor(wereld.users[rol])
    if rol == "clb":
        # Without a referral the student page itself is a 404 for the CLB.
        assert client.get(_detail_url(wereld)).status_code == 404
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client.get(_detail_url(wereld))
    html = response.content.decode()
    assert 'data-testid="sectie-documenten"' in html
    assert "Diagnoseverslag dyslexie" in html
    assert "attest of diagnoseverslag" in html
    assert str(wereld.zorgcoordinator) in html
    assert _download_url(document) in html
    assert (_nieuw_url(wereld) in html) is mag_uploaden


def _vul_documenten(wereld, aantal):
    gebruikers = [wereld.zorgcoordinator, wereld.directie]
    Document.objects.bulk_create(
        Document(
            leerling=wereld.leerling_a,
            titel=f"Verslag {i}",
            soort=Document.Soort.VERSLAG,
            bestand=f"documenten/{wereld.school.pk}/{i:032x}.pdf",
            bestandsnaam=f"verslag-{i}.pdf",
            inhoudstype="application/pdf",
            grootte=1000 + i,
            geupload_door=gebruikers[i % 2],
        )
        for i in range(aantal)
    )


def _sectie_queries(wereld, rf):
    leerling = wereld.leerling_a
    request = rf.get("/")
    request.user = wereld.zorgcoordinator
    with CaptureQueriesContext(connection) as ctx:
        context = documenten_views.sectie(request, leerling)
        # What the template shows of each row, the uploader included.
        for document in context["documenten"]:
            str(document.geupload_door)
    return len(ctx.captured_queries), context


def test_the_section_costs_the_same_queries_for_5_and_50_documents(wereld, rf):
    # Guards against an N+1 on the uploader of each document (joined).
    _vul_documenten(wereld, 5)
    _sectie_queries(wereld, rf)  # scope caches warm
    weinig, context = _sectie_queries(wereld, rf)
    assert len(context["documenten"]) == 5
    Document.objects.all().delete()
    _vul_documenten(wereld, 50)
    veel, context = _sectie_queries(wereld, rf)
    assert len(context["documenten"]) == 50
    assert veel == weinig


def test_the_student_page_costs_the_same_queries_for_5_and_50_documents(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    _vul_documenten(wereld, 5)
    client.get(_detail_url(wereld))
    with CaptureQueriesContext(connection) as weinig:
        assert client.get(_detail_url(wereld)).status_code == 200
    _vul_documenten(wereld, 45)
    with CaptureQueriesContext(connection) as veel:
        response = client.get(_detail_url(wereld))
    assert response.content.decode().count("/download/") == 50
    assert len(veel.captured_queries) == len(weinig.captured_queries)


def test_the_student_page_with_documents_runs_no_template_queries(
    wereld, client_voor, template_queries
):
    _vul_documenten(wereld, 5)
    response = client_voor(wereld.zorgcoordinator).get(_detail_url(wereld))
    assert response.status_code == 200
    assert template_queries == []


def test_the_upload_page_runs_no_template_queries(wereld, client_voor, template_queries):
    response = client_voor(wereld.zorgcoordinator).get(_nieuw_url(wereld))
    assert response.status_code == 200
    assert template_queries == []


# --- issue 15: the whole file is read ---------------------------------------------


def test_a_pdf_made_by_a_real_writer_is_accepted(wereld, media):
    from weasyprint import HTML

    inhoud = HTML(string="<h1>Verslag logopedie</h1><p>Leesniveau AVI E4.</p>").write_pdf()
    assert _opslaan(wereld, _upload("verslag.pdf", inhoud)).inhoudstype == "application/pdf"


def test_a_pdf_without_pages_is_refused(wereld, media):
    from pypdf import PdfWriter

    uit = io.BytesIO()
    PdfWriter().write(uit)
    with pytest.raises(ValidationError, match="is beschadigd of geen echte"):
        _opslaan(wereld, _upload("leeg.pdf", uit.getvalue()))


def test_a_password_protected_pdf_is_refused_with_its_own_message(wereld, media):
    from pypdf import PdfReader, PdfWriter

    schrijver = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    schrijver.encrypt(user_password="geheim", algorithm="AES-128")
    uit = io.BytesIO()
    schrijver.write(uit)
    with pytest.raises(ValidationError, match="met een wachtwoord beveiligd"):
        _opslaan(wereld, _upload("verslag.pdf", uit.getvalue()))


def test_an_image_of_too_many_pixels_is_refused_not_decoded(wereld, media, monkeypatch):
    from PIL import Image

    # Pillow warns above MAX_IMAGE_PIXELS: a decompression bomb is refused.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10)
    with pytest.raises(ValidationError, match="is beschadigd of geen echte"):
        _opslaan(wereld, _upload("foto.png", png_bytes()))


def test_a_pdf_with_html_is_refused_by_the_upload_form_with_a_message(wereld, media, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _nieuw_url(wereld),
        {
            "titel": "Verslag",
            "soort": Document.Soort.ATTEST,
            "bestand": _upload("verslag.pdf", b"%PDF-1.7\n" + HTML_BYTES),
            "sleutel": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert "bevat een webpagina (HTML)" in response.content.decode()
    assert not Document.objects.exists()
    assert _bestanden(media) == []
