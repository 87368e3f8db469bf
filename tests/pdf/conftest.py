import io

import pytest


@pytest.fixture(autouse=True)
def pdf_map(settings, tmp_path):
    """Each test's PDFs in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "pdf"


def pdf_tekst(inhoud: bytes) -> list[str]:
    """The text of each page of a PDF, as a reader's PDF viewer extracts it."""
    from pypdf import PdfReader

    return [pagina.extract_text() for pagina in PdfReader(io.BytesIO(inhoud)).pages]


def downloaden(client, opdracht) -> bytes:
    antwoord = client.get(f"/pdf/opdrachten/{opdracht.pk}/download/")
    assert antwoord.status_code == 200, antwoord.status_code
    assert antwoord["Content-Type"] == "application/pdf"
    return b"".join(antwoord.streaming_content)
