"""HTML to PDF with WeasyPrint, fetching nothing but Zorg's own static
files.

A document's HTML is rendered with the base URL `BASIS_URL`, a host that
cannot exist (`.invalid` is reserved). The fetcher hands out only files
under `BASIS_URL + STATIC_URL` with the suffix of a stylesheet or a font,
read from Zorg's static files; every other URL (`file:`, `http(s):` to any
host, `data:`, a path outside static) is refused, and nothing is fetched.
Free text reaches the HTML escaped, so it cannot ask for anything anyway:
this is the second wall."""

from __future__ import annotations

import logging
import mimetypes
import posixpath
from collections.abc import Callable
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


def html_naar_pdf(
    html: str, *, voortgang: Callable[[int], None] | None = None
) -> tuple[bytes, int, list[str]]:
    """The PDF of `html`, its number of pages and the URLs refused.
    `voortgang(paginas)` is called once the pages are laid out, before they
    are written."""
    from weasyprint import HTML

    fetcher = statische_fetcher()
    document = HTML(string=html, base_url=BASIS_URL, url_fetcher=fetcher).render()
    paginas = len(document.pages)
    if voortgang:
        voortgang(paginas)
    return document.write_pdf(), paginas, fetcher.geweigerd
