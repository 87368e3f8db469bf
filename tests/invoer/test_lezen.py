"""Reading CSV and XLSX files as a school's administration package writes
them: each encoding, separator and date form."""

import datetime
import io

import pytest

from zorg.invoer.lezen import (
    OngeldigBestand,
    OngeldigeWaarde,
    datum,
    formaat_van,
    ja_nee,
    kop_normaal,
    tabel_openen,
    tekenset_van,
    tekst,
)

from .conftest import xlsx_bestand


def _lees(inhoud: bytes, naam="x.csv"):
    bestand = io.BytesIO(inhoud)
    formaat = formaat_van(bestand, naam)
    with tabel_openen(bestand, formaat) as tabel:
        return tabel.kolommen, list(tabel.rijen)


@pytest.mark.parametrize(
    ("inhoud", "tekenset"),
    [
        ("nummer;naam\r\n1;Chloé\r\n".encode(), "utf-8-sig"),
        (b"\xef\xbb\xbf" + "nummer;naam\r\n1;Chloé\r\n".encode(), "utf-8-sig"),
        ("nummer;naam\r\n1;Chloé\r\n".encode("cp1252"), "cp1252"),
        ("nummer\tnaam\r\n1\tChloé\r\n".encode("utf-16"), "utf-16"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "excel-unicode-text"],
)
def test_each_encoding_reads_the_same_text(inhoud, tekenset):
    assert tekenset_van(io.BytesIO(inhoud)) == tekenset
    kolommen, rijen = _lees(inhoud)
    assert kolommen == ["nummer", "naam"]
    assert rijen == [(2, ["1", "Chloé"])]


@pytest.mark.parametrize("scheiding", [";", ",", "\t"])
def test_the_separator_is_found_in_the_header(scheiding):
    inhoud = f"nummer{scheiding}naam{scheiding}klas\n7{scheiding}Noah{scheiding}3A\n".encode()
    kolommen, rijen = _lees(inhoud)
    assert kolommen == ["nummer", "naam", "klas"]
    assert rijen == [(2, ["7", "Noah", "3A"])]


def test_a_comma_inside_quotes_does_not_split_with_a_semicolon_file():
    _kolommen, rijen = _lees(b'nummer;adres\n7;"Kerkstraat 1, Gent"\n')
    assert rijen == [(2, ["7", "Kerkstraat 1, Gent"])]


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_file():
    kolommen, rijen = _lees(b"\n;;\nnummer;naam\n1;Lotte\n;\n\n2;Noah\n")
    assert kolommen == ["nummer", "naam"]
    assert rijen == [(4, ["1", "Lotte"]), (7, ["2", "Noah"])]


def test_an_xlsx_file_with_date_cells_and_numbers():
    bestand = xlsx_bestand(
        [
            ["Stamnummer", "Geboortedatum"],
            [None, None],
            [20230117, datetime.datetime(2012, 3, 14)],
        ]
    )
    kolommen, rijen = _lees(bestand.read(), "lijst.xlsx")
    assert kolommen == ["Stamnummer", "Geboortedatum"]
    assert rijen == [(3, [20230117, datetime.datetime(2012, 3, 14)])]
    assert tekst(rijen[0][1][0]) == "20230117"
    assert tekst(20230117.0) == "20230117"


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [
        ("14/03/2012", datetime.date(2012, 3, 14)),
        ("14-03-2012", datetime.date(2012, 3, 14)),
        ("4/3/2012", datetime.date(2012, 3, 4)),
        ("14.03.2012", datetime.date(2012, 3, 14)),
        ("2012-03-14", datetime.date(2012, 3, 14)),
        ("2012-03-14 00:00:00", datetime.date(2012, 3, 14)),
        (datetime.datetime(2012, 3, 14, 0, 0), datetime.date(2012, 3, 14)),
        (datetime.date(2012, 2, 29), datetime.date(2012, 2, 29)),
        (40982, datetime.date(2012, 3, 14)),  # Excel's serial number
        (40982.0, datetime.date(2012, 3, 14)),
        ("40982", datetime.date(2012, 3, 14)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_every_form_a_school_writes_them(waarde, verwacht):
    assert datum(waarde) == verwacht


@pytest.mark.parametrize(
    "waarde", ["30/02/2012", "29/02/2013", "14 maart", "2012/14/03", "01/01/1800", -5]
)
def test_what_is_no_date_says_so(waarde):
    with pytest.raises(OngeldigeWaarde):
        datum(waarde)


def test_headers_compare_without_case_accents_and_punctuation():
    assert kop_normaal("Geboorte-datum ") == kop_normaal("geboortedatum")
    assert kop_normaal("Zorgcoördinator") == "zorgcoordinator"


def test_yes_and_no():
    assert ja_nee("Ja") and ja_nee("x") and not ja_nee("") and not ja_nee("nee")
    with pytest.raises(OngeldigeWaarde):
        ja_nee("misschien")


@pytest.mark.parametrize(
    ("inhoud", "naam", "bericht"),
    [
        (b"", "x.csv", "leeg"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "x.xls", "oude formaat"),
        (b"nummer;naam\n1;Lotte\n", "x.xlsx", "geen Excel-werkmap"),
        (b"PK\x03\x04rest", "x.csv", "gecomprimeerd"),
        (b"%PDF-1.7 ...", "x.pdf", "alleen CSV"),
        (b"\x00\x01\x02\x03binary", "x.csv", "geen tekstbestand"),
        (b"PK\x03\x04not really a zip", "x.xlsx", "beschadigd"),
        (b"\n\n;;\n", "x.csv", "geen kolomkoppen"),
        (b"nummer;naam\n1;\x81\x8d\x9d\xff\xfe", "x.csv", "niet te lezen"),
        (b'nummer;naam\n1;"open\x00 quote\n', "x.csv", None),
    ],
    ids=[
        "empty",
        "old-xls",
        "csv-named-xlsx",
        "zip-named-csv",
        "pdf",
        "binary",
        "broken-zip",
        "no-header",
        "bad-bytes",
        "nul-in-field",
    ],
)
def test_a_bad_file_gets_a_message(inhoud, naam, bericht):
    with pytest.raises(OngeldigBestand) as fout:
        _lees(inhoud, naam)
    if bericht:
        assert bericht in fout.value.bericht
