"""What every download of a table needs once: a CSV that Excel in Flanders
opens as it should (UTF-8 with a byte order mark, ";" between the fields:
the list separator of a Dutch-language Windows), and text that no
spreadsheet program runs as a formula."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

# A cell that begins with one of these is a formula to Excel, LibreOffice
# and Google Sheets ("CSV injection"): =HYPERLINK(...), +cmd|..., @SUM(...).
FORMULETEKENS = ("=", "+", "-", "@", "\t", "\r")


def csv_veilig(waarde: str) -> str:
    """Keep spreadsheet programs from running a text (a name, a label) as a
    formula: a leading apostrophe makes it text."""
    if waarde[:1] in FORMULETEKENS:
        return "'" + waarde
    return waarde


def csv_antwoord(bestandsnaam: str):
    """An attachment response for a CSV file and a writer into it. The
    response is not kept by the browser or a proxy: what is downloaded is
    care data."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bestandsnaam}"'
    add_never_cache_headers(response)
    response.write("\ufeff")  # Excel opens UTF-8 correctly with a BOM
    return response, csv.writer(response, delimiter=";")
