import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

KOP = (
    "leerlingnummer;voornaam;achternaam;geboortedatum;klas;ouder1_naam;ouder1_relatie;"
    "ouder1_telefoon;ouder1_email"
)


@pytest.fixture(autouse=True)
def invoer_map(settings, tmp_path):
    """Each test's uploaded files in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "invoer"


def csv_bestand(regels: list[str], *, naam="leerlingen.csv", tekenset="utf-8", bom=False):
    inhoud = ("\r\n".join(regels) + "\r\n").encode(tekenset)
    if bom:
        inhoud = b"\xef\xbb\xbf" + inhoud
    return SimpleUploadedFile(naam, inhoud, content_type="text/csv")


def xlsx_bestand(rijen: list[list], naam="leerlingen.xlsx"):
    from openpyxl import Workbook

    werkmap = Workbook()
    blad = werkmap.active
    for rij in rijen:
        blad.append(rij)
    uit = io.BytesIO()
    werkmap.save(uit)
    return SimpleUploadedFile(naam, uit.getvalue())
