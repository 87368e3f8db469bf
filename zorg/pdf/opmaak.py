"""HTML to PDF with WeasyPrint, fetching nothing but Zorg's own static
files.

A document's HTML is rendered with the base URL `BASIS_URL`, a host that
cannot exist (`.invalid` is reserved). The fetcher hands out only files
under `BASIS_URL + STATIC_URL` with the suffix of a stylesheet or a font,
read from Zorg's static files; every other URL (`file:`, `http(s):` to any
host, `data:`, a path outside static) is refused, and nothing is fetched.
Free text reaches the HTML escaped, so it cannot ask for anything anyway:
this is the second wall.

WeasyPrint's user-agent stylesheet is used without its rules for
pseudo-elements that name no element (`lichte_ua_tekst`): see there why."""

from __future__ import annotations

import functools
import logging
import mimetypes
import posixpath
import re
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint is imported only where a PDF is made (the worker): it is large,
# and the web processes never need it.

log = logging.getLogger(__name__)

BASIS_URL = "https://zorg-pdf.invalid/"
TOEGESTAAN = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}


def statisch_bestand(url: str) -> Path | None:
    """The file of one of Zorg's static stylesheets or fonts that `url`
    names, or None."""
    delen = urlsplit(url)
    basis = urlsplit(BASIS_URL)
    if (delen.scheme, delen.netloc) != (basis.scheme, basis.netloc) or delen.query:
        return None
    pad = unquote(delen.path)
    if not pad.startswith(settings.STATIC_URL):
        return None
    naam = posixpath.normpath(pad[len(settings.STATIC_URL) :])
    if naam.startswith(("..", "/")) or Path(naam).suffix.lower() not in TOEGESTAAN:
        return None
    # Collected (and hashed) files in production, the source files otherwise.
    if settings.STATIC_ROOT:
        gevonden = Path(settings.STATIC_ROOT) / naam
        if gevonden.is_file():
            return gevonden
    gevonden = finders.find(naam)
    return Path(gevonden) if gevonden else None


def statische_fetcher():
    """WeasyPrint's fetcher, reduced to Zorg's own static files. Its
    `geweigerd` keeps what it refused (the tests read it)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StatischeFetcher(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols=["https"], allow_redirects=False)
            self.geweigerd: list[str] = []

        def fetch(self, url, headers=None):
            bestand = statisch_bestand(url)
            if bestand is None:
                self.geweigerd.append(url)
                log.warning("PDF: refused to fetch %.200s", url)
                raise ValueError("Zorg's PDFs load only Zorg's own stylesheets and fonts")
            mime = TOEGESTAAN.get(bestand.suffix.lower()) or mimetypes.guess_type(bestand.name)[0]
            return URLFetcherResponse(url, bestand.read_bytes(), {"Content-Type": mime})

    return StatischeFetcher()


# The rules of WeasyPrint's user-agent stylesheet for a pseudo-element alone
# as selector (`::marker { ... }` at the start of a line), and what becomes
# of them: a list marker is kept for list items (the only elements that are
# list items there), footnote and note calls and markers are left out.
_KAAL_PSEUDO = re.compile(r"^::([a-z-]+)(\s*\{[^}]*\})\n?", re.MULTILINE)
_HOUDEN = {"marker": "li::marker"}
_WEGLATEN = {"footnote-call", "footnote-marker", "note-call", "note-marker", "note-callback"}


def _kale_pseudo_weg(regel: re.Match) -> str:
    naam, blok = regel[1], regel[2]
    if naam in _HOUDEN:
        return f"{_HOUDEN[naam]}{blok}\n"
    if naam in _WEGLATEN:
        return ""
    return regel[0]


@functools.cache
def lichte_ua_tekst() -> str | None:
    """WeasyPrint's user-agent stylesheet, less its rules for pseudo-elements
    that name no element, or None (WeasyPrint's own is used) when this
    WeasyPrint's stylesheet holds others than the ones known here.

    A selector such as `::footnote-call` matches every element, so WeasyPrint
    computes and keeps the style of six pseudo-elements (::marker, two of
    footnotes, three of notes) for each element of the document, used or not:
    for a care file of 200 pages (8,000 elements) that was 55 MiB of the
    worker's peak and about a second of its time, and the PDF is the same,
    byte for byte, without them. Zorg's PDFs have no footnotes or notes
    (`float: footnote`) and no list items other than `li`; one that needs
    them sets their pseudo-elements in pdf.css, naming the element."""
    tekst = (files("weasyprint.css") / "html5_ua.css").read_text("utf-8")
    licht = _KAAL_PSEUDO.sub(_kale_pseudo_weg, tekst)
    if _KAAL_PSEUDO.search(licht):
        log.warning("PDF: WeasyPrint's stylesheet has unknown pseudo-element rules: kept whole")
        return None
    return licht


@functools.cache
def _lichte_ua():
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    tekst = lichte_ua_tekst()
    if tekst is None:
        return None
    # Its @counter-style rules go to a counter store of its own: WeasyPrint
    # gives each document a copy of the one it made for its own stylesheet.
    return CSS(string=tekst, counter_style=CounterStyle())


@functools.cache
def _html_klasse():
    """WeasyPrint's HTML with the lighter user-agent stylesheet (the hook
    WeasyPrint's own tests use for theirs)."""
    from weasyprint import HTML

    class ZorgHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            eigen = super()._ua_stylesheets(forms)
            licht = _lichte_ua()
            return eigen if licht is None else [licht, *eigen[1:]]

    return ZorgHTML


def html_naar_pdf(
    html: str, *, voortgang: Callable[[int], None] | None = None
) -> tuple[bytes, int, list[str]]:
    """The PDF of `html`, its number of pages and the URLs refused.
    `voortgang(paginas)` is called once the pages are laid out, before they
    are written."""
    fetcher = statische_fetcher()
    document = _html_klasse()(string=html, base_url=BASIS_URL, url_fetcher=fetcher).render()
    paginas = len(document.pages)
    if voortgang:
        voortgang(paginas)
    return document.write_pdf(), paginas, fetcher.geweigerd
