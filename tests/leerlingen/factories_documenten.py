"""Real small files for the document tests, and a document with its file
written to the storage (MEDIA_ROOT)."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from leerlingen.models import Document


def pdf_bytes(*, commentaar: bytes = b"") -> bytes:
    """A minimal but valid one-page PDF 1.4, with a correct xref table;
    `commentaar` goes in a comment line right after the header (a PDF reader
    skips it, so the file stays valid whatever it says)."""
    objecten = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    uit = io.BytesIO()
    uit.write(b"%PDF-1.4\n")
    if commentaar:
        uit.write(b"%" + commentaar + b"\n")
    posities = []
    for nummer, inhoud in enumerate(objecten, start=1):
        posities.append(uit.tell())
        uit.write(b"%d 0 obj\n%s\nendobj\n" % (nummer, inhoud))
    xref = uit.tell()
    uit.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objecten) + 1))
    for positie in posities:
        uit.write(b"%010d 00000 n \n" % positie)
    uit.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objecten) + 1, xref)
    )
    return uit.getvalue()


def _afbeelding(formaat: str) -> bytes:
    uit = io.BytesIO()
    Image.new("RGB", (4, 4), (31, 78, 95)).save(uit, format=formaat)
    return uit.getvalue()


def png_bytes() -> bytes:
    return _afbeelding("PNG")


def jpeg_bytes() -> bytes:
    return _afbeelding("JPEG")


def pdf_van_precies(grootte: int) -> bytes:
    """A valid PDF of exactly `grootte` bytes, padded with a comment."""
    vulling = grootte - len(pdf_bytes())
    while len(inhoud := pdf_bytes(commentaar=b"0" * vulling)) != grootte:
        vulling -= len(inhoud) - grootte
    return inhoud


HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
# The start of a Windows executable: "MZ" and the DOS stub.
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def document_met_bestand(
    *, leerling, door, inhoud: bytes | None = None, titel="Diagnoseverslag dyslexie", **velden
) -> Document:
    """A document row with its file really written to the default storage,
    as the upload service would leave it."""
    inhoud = pdf_bytes() if inhoud is None else inhoud
    document = Document(
        leerling=leerling,
        titel=titel,
        soort=velden.pop("soort", Document.Soort.ATTEST),
        bestandsnaam=velden.pop("bestandsnaam", "verslag logopedie.pdf"),
        inhoudstype=velden.pop("inhoudstype", "application/pdf"),
        grootte=len(inhoud),
        geupload_door=door,
        **velden,
    )
    document.bestand.save("upload", ContentFile(inhoud), save=False)
    document.save()
    return document


def bestand_bestaat(naam: str) -> bool:
    return default_storage.exists(naam)
