"""Reading an uploaded table, CSV or XLSX, row by row.

Our own reader on the csv module and openpyxl (read_only), not tablib or
django-import-export: those load the whole sheet into memory and bring a
model-resource layer that matches rows one query at a time, while an
import of 20,000 students must stream and match against dictionaries.

What a school's administration package exports varies: UTF-8 with or
without a byte order mark, or Windows-1252 from an older Excel; ";" (a
Dutch-language Windows' list separator) or ","; dates as Excel date cells,
as Excel serial numbers, or as text (31/12/2012, 31-12-2012, 2012-12-31).
Whatever is wrong with a file becomes an `OngeldigBestand` with a Dutch
message, never an exception the user sees as a 500."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 20 * 1024 * 1024
BLOK = 1024 * 1024
# Dates before this are no birth dates of students, nor enrolment dates.
EERSTE_JAAR = 1900
EXCEL_NUL = datetime.date(1899, 12, 30)

csv.field_size_limit(1024 * 1024)


class OngeldigBestand(Exception):
    """The file cannot be read as a table; the message says why, in Dutch."""

    def __init__(self, bericht: str):
        super().__init__(bericht)
        self.bericht = bericht


class OngeldigeWaarde(ValueError):
    pass


@dataclass
class Tabel:
    kolommen: list[str]
    # (row number as the spreadsheet shows it, the row's values)
    rijen: Iterator[tuple[int, list]]


def formaat_van(bestand, naam: str) -> str:
    """ "csv" or "xlsx", from what the file is, checked against what its
    name claims."""
    bestand.seek(0)
    begin = bestand.read(8)
    bestand.seek(0)
    extensie = naam.rsplit(".", 1)[-1].lower() if "." in naam else ""
    if not begin:
        raise OngeldigBestand(_("Het bestand is leeg."))
    if begin.startswith(b"\xd0\xcf\x11\xe0"):
        raise OngeldigBestand(
            _(
                "Dit is een Excel-bestand in het oude formaat (.xls). Bewaar het in Excel als "
                "Excel-werkmap (.xlsx) of als CSV en kies het opnieuw."
            )
        )
    is_zip = begin.startswith(b"PK\x03\x04")
    if extensie == "xlsx" and not is_zip:
        raise OngeldigBestand(
            _("Dit bestand heet .xlsx, maar is geen Excel-werkmap. Kies een .xlsx- of CSV-bestand.")
        )
    if is_zip:
        if extensie not in ("xlsx", ""):
            raise OngeldigBestand(
                _(
                    "Dit bestand heet .%(extensie)s, maar is een gecomprimeerd bestand "
                    "(zoals een Excel-werkmap). Geef het de extensie .xlsx of bewaar het als CSV."
                )
                % {"extensie": extensie}
            )
        return "xlsx"
    if extensie not in ("csv", "txt", ""):
        raise OngeldigBestand(
            _("Zorg leest alleen CSV-bestanden (.csv) en Excel-werkmappen (.xlsx).")
        )
    return "csv"


def tekenset_van(bestand) -> str:
    """The encoding of a CSV file: UTF-8 (with or without BOM) if the whole
    file is valid UTF-8, else Windows-1252. Read in blocks: a 20 MB file is
    not held in memory twice. Excel's "Unicode text" is UTF-16 with a BOM."""
    bestand.seek(0)
    begin = bestand.read(2)
    bestand.seek(0)
    if begin in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    for tekenset in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(tekenset)()
        bestand.seek(0)
        try:
            eerste = True
            while blok := bestand.read(BLOK):
                if eerste and b"\x00" in blok[:4096]:
                    raise OngeldigBestand(
                        _(
                            "Dit bestand is geen tekstbestand (CSV). Bewaar de tabel als CSV "
                            "of als Excel-werkmap (.xlsx)."
                        )
                    )
                eerste = False
                decoder.decode(blok)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            bestand.seek(0)
        return tekenset
    raise OngeldigBestand(
        _(
            "De tekens in dit bestand zijn niet te lezen (geen UTF-8 of Windows-1252). "
            "Bewaar het opnieuw als CSV UTF-8."
        )
    )


def scheidingsteken_van(kopregel: str) -> str:
    """ ";", "," or a tab: the one the header line holds most of; csv.Sniffer
    guesses wrong on a header of plain words, which a header is."""
    tellingen = {teken: kopregel.count(teken) for teken in (";", ",", "\t")}
    teken = max(tellingen, key=tellingen.get)
    return teken if tellingen[teken] else ";"


def _leeg(waarden) -> bool:
    return all(w is None or (isinstance(w, str) and not w.strip()) for w in waarden)


@contextlib.contextmanager
def tabel_openen(bestand, formaat: str) -> Iterator[Tabel]:
    """The table in `bestand` (a binary file object): its header (the first
    non-empty row) and an iterator over the rows below it, empty rows
    skipped. Raises OngeldigBestand."""
    if formaat == "xlsx":
        with _xlsx_openen(bestand) as tabel:
            yield tabel
        return
    tekenset = tekenset_van(bestand)
    tekst = io.TextIOWrapper(bestand, encoding=tekenset, newline="")
    try:
        eerste = ""
        regels_voor_kop = 0
        while True:
            eerste = tekst.readline()
            if not eerste:
                raise OngeldigBestand(_("Het bestand bevat geen kolomkoppen en geen rijen."))
            regels_voor_kop += 1
            if eerste.strip().strip(";,\t"):
                break
        scheiding = scheidingsteken_van(eerste)
        kop = next(csv.reader([eerste], delimiter=scheiding))
        lezer = csv.reader(tekst, delimiter=scheiding)

        def rijen():
            try:
                for rij in lezer:
                    if _leeg(rij):
                        continue
                    yield regels_voor_kop + lezer.line_num, rij
            except csv.Error as exc:
                raise OngeldigBestand(
                    _("Rij %(rij)d van het bestand is geen geldige CSV-regel.")
                    % {"rij": regels_voor_kop + lezer.line_num}
                ) from exc

        yield Tabel([str(k).strip() for k in kop], rijen())
    finally:
        tekst.detach()


@contextlib.contextmanager
def _xlsx_openen(bestand) -> Iterator[Tabel]:
    from openpyxl import load_workbook

    try:
        werkmap = load_workbook(bestand, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, XML and openpyxl's own kinds for malformed parts
        raise OngeldigBestand(
            _(
                "Dit Excel-bestand is beschadigd of geen Excel-werkmap. "
                "Bewaar het opnieuw als .xlsx."
            )
        ) from exc
    try:
        blad = werkmap.worksheets[0] if werkmap.worksheets else None
        if blad is None:
            raise OngeldigBestand(_("De Excel-werkmap heeft geen werkblad."))
        try:
            iterator = enumerate(blad.iter_rows(values_only=True), start=1)
            kop = None
            for _nummer, rij in iterator:
                if not _leeg(rij):
                    kop = rij
                    break
        except Exception as exc:
            raise OngeldigBestand(
                _("Het eerste werkblad van dit Excel-bestand is niet te lezen.")
            ) from exc
        if kop is None:
            raise OngeldigBestand(_("Het bestand bevat geen kolomkoppen en geen rijen."))

        def rijen():
            try:
                for nummer, rij in iterator:
                    if not _leeg(rij):
                        yield nummer, list(rij)
            except Exception as exc:
                raise OngeldigBestand(
                    _("Het eerste werkblad van dit Excel-bestand is niet te lezen.")
                ) from exc

        yield Tabel(["" if k is None else str(k).strip() for k in kop], rijen())
    finally:
        werkmap.close()


# --- headers --------------------------------------------------------------------


def kop_normaal(kop: str) -> str:
    """A header as compared: no accents, case, spaces or punctuation
    ("Geboorte-datum" and "geboortedatum" are one)."""
    zonder = unicodedata.normalize("NFKD", str(kop)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", zonder.lower())


# --- values ---------------------------------------------------------------------


def tekst(waarde) -> str:
    """A cell as text: Excel turns the student number 01234 into 1234.0
    once it was typed as a number; that is 1234 here."""
    if waarde is None:
        return ""
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    if isinstance(waarde, datetime.datetime):
        return waarde.date().isoformat()
    return str(waarde).strip()


_DATUM = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def datum(waarde) -> datetime.date | None:
    """A date from an Excel date cell, an Excel serial number, or text
    dd/mm/jjjj, dd-mm-jjjj, dd.mm.jjjj or jjjj-mm-dd. Empty: None. Raises
    OngeldigeWaarde (a message in Dutch)."""
    if waarde is None or (isinstance(waarde, str) and not waarde.strip()):
        return None
    if isinstance(waarde, datetime.datetime):
        resultaat = waarde.date()
    elif isinstance(waarde, datetime.date):
        resultaat = waarde
    elif isinstance(waarde, int | float) and not isinstance(waarde, bool):
        if not 1 <= waarde < 2_958_466:
            raise OngeldigeWaarde(_("%(waarde)s is geen datum.") % {"waarde": waarde})
        resultaat = EXCEL_NUL + datetime.timedelta(days=int(waarde))
    else:
        tekstwaarde = str(waarde).strip()
        try:
            if m := _DATUM.match(tekstwaarde):
                resultaat = datetime.date(int(m[3]), int(m[2]), int(m[1]))
            elif m := _ISO.match(tekstwaarde):
                resultaat = datetime.date(int(m[1]), int(m[2]), int(m[3]))
            elif tekstwaarde.isdigit() and 4 < len(tekstwaarde) < 7:
                # A serial number that a CSV export wrote as text.
                resultaat = EXCEL_NUL + datetime.timedelta(days=int(tekstwaarde))
            else:
                raise ValueError
        except ValueError:
            raise OngeldigeWaarde(
                _("'%(waarde)s' is geen datum (schrijf dd/mm/jjjj).") % {"waarde": tekstwaarde[:30]}
            ) from None
    if resultaat.year < EERSTE_JAAR:
        raise OngeldigeWaarde(_("%(datum)s is geen geldige datum.") % {"datum": resultaat})
    return resultaat


JA = {"ja", "j", "x", "1", "true", "waar", "yes", "y"}
NEE = {"", "nee", "n", "0", "false", "onwaar", "no"}


def ja_nee(waarde) -> bool:
    if isinstance(waarde, bool):
        return waarde
    tekstwaarde = tekst(waarde).lower()
    if tekstwaarde in JA:
        return True
    if tekstwaarde in NEE:
        return False
    raise OngeldigeWaarde(_("'%(waarde)s' is geen ja of nee.") % {"waarde": tekstwaarde[:30]})
