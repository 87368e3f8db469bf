"""The role matrix: every URL pattern of the project, for every role plus an
outsider from another school and an anonymous visitor, with GET and POST.

The list of URLs comes from the URL conf itself, so a new view without a row
here fails `test_every_url_has_a_row`. A role that may not see a thing gets
404, exactly as for a thing that does not exist."""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.beheer.matrix_rijen import RIJEN as KALENDER
from tests.beheer.matrix_rijen_overgang import RIJEN as OVERGANG
from tests.beheer.matrix_rijen_personeel import RIJEN as PERSONEEL
from tests.beheer.matrix_rijen_structuur import RIJEN as STRUCTUUR
from tests.bewaring.matrix_rijen_bewaring import RIJEN as BEWARING
from tests.clb.matrix_rijen import CLB_SCHOOL, CLB_TRAJECTEN
from tests.conftest import ROLLEN
from tests.dossier import dossier_vullen
from tests.factories import MeldingFactory
from tests.invoer.matrix_rijen import RIJEN as INVOER
from tests.inzage.matrix_rijen_inzage import RIJEN as INZAGE
from tests.klassenraad.matrix_rijen import (
    ACTIEPUNTEN,
    AGENDA,
    BESLISSINGEN,
    BESPREEKVRAGEN,
    OVERLEGGEN,
)
from tests.klassenraad.matrix_rijen_remediering import RIJEN as KLASSENRAAD_REMEDIERING
from tests.leerlingen.matrix_rijen import (
    AFWEZIGHEDEN,
    DOCUMENTEN,
    GESPREKKEN,
    INTAKE,
    MAATREGELEN,
    OBSERVATIES,
    TIJDLIJN,
    VLAGALARM,
    VLAGGEN,
    VLAGTRENDS,
    WERKLIJSTEN,
    ZORGFASE,
)
from tests.leerlingen.matrix_rijen_ouderbrief import RIJEN as OUDERBRIEF
from tests.leerlingen.matrix_rijen_remediering import RIJEN as REMEDIERING
from tests.leerlingen.matrix_rijen_soda import RIJEN as SODA
from tests.matrix import PORTAAL, ZIET_SCHOOL1_LEERLING_A, Rij, codes, zichtbaar_voor
from tests.overdracht.matrix_rijen_overdracht import RIJEN as OVERDRACHT
from tests.pdf.matrix_rijen import RIJEN as PDF
from tests.portaal.matrix_rijen_portaal import RIJEN as PORTAAL_RIJEN
from tests.zorgbeleid.matrix_rijen import RIJEN as ZORGBELEID

# Third-party URL trees whose access rules are their package's: allauth's
# account pages (login, password reset, MFA) and Django's admin (superusers
# only). They keep a few explicit rows below; every other URL needs a row.
DERDEN = ("account/", "platformbeheer/")


def _portaal(code: int) -> dict[str, int]:
    return dict.fromkeys(PORTAAL, code)


def _melding_kwargs(w):
    melding = MeldingFactory(ontvanger=w.zorgcoordinator, link="/")
    return {"pk": melding.pk}


BASIS: dict[str, Rij] = {
    # Issue 17: the start page sends guardians and students to the portal.
    "start": Rij(get=codes(200, ouder=302, leerling=302)),
    # The health check, the language switch, the account pages and the
    # sessions are everyone's, the portal's users' too (PORTAAL named below).
    "gezondheid": Rij(
        get=codes(200, anoniem=200, **_portaal(200)), post=codes(405, anoniem=405, **_portaal(405))
    ),
    "set_language": Rij(
        get=codes(302, anoniem=302, **_portaal(302)), post=codes(302, anoniem=302, **_portaal(302))
    ),
    "meldingen:melding_lijst": Rij(get=codes(200)),
    "meldingen:melding_openen": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302),
        kwargs=_melding_kwargs,
    ),
    "meldingen:alles_gelezen": Rij(get=codes(405), post=codes(302)),
    # Everyone's own preferences; an empty POST leaves a choice per kind
    # unanswered (200, the form again).
    "meldingen:voorkeuren": Rij(get=codes(200), post=codes(200)),
    "leerlingen:klas_lijst": Rij(get=codes(200)),
    "leerlingen:klas_detail": Rij(
        get=zichtbaar_voor(ZIET_SCHOOL1_LEERLING_A),
        kwargs=lambda w: {"pk": w.klas_a.pk},
    ),
    "leerlingen:leerling_lijst": Rij(get=codes(200)),
    "leerlingen:leerling_export": Rij(
        get=zichtbaar_voor({"zorgcoordinator", "directie", "secretariaat", "buitenstaander"})
    ),
    "leerlingen:leerling_detail": Rij(
        get=zichtbaar_voor(ZIET_SCHOOL1_LEERLING_A),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "leerlingen:leerling_audit": Rij(
        get=zichtbaar_voor({"directie", "beheerder"}),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    # Issue 15: the school's whole trail, filtered by person and period, on
    # screen and as CSV, for those who read one student's trail.
    "audit:trail": Rij(get=zichtbaar_voor({"directie", "beheerder"})),
    "audit:trail_export": Rij(get=zichtbaar_voor({"directie", "beheerder"})),
    # The school's settings: its administrator and care coordinators change
    # them, the director reads them; the care coordinator of another school
    # reaches only their own school's (302 to it), never school 1's.
    "beheer:instellingen_start": Rij(
        get=codes(404, beheerder=302, zorgcoordinator=302, directie=302, buitenstaander=302)
    ),
    "beheer:instellingen": Rij(
        get=zichtbaar_voor({"beheerder", "zorgcoordinator", "directie"}),
        # An empty POST is a form with errors (200); the director only reads.
        post=codes(404, beheerder=200, zorgcoordinator=200),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    # Third-party rows: the pages staff use every day.
    "account_login": Rij(
        get=codes(302, anoniem=200, **_portaal(302)), post=codes(302, anoniem=200, **_portaal(302))
    ),
    "account_logout": Rij(
        get=codes(200, anoniem=302, **_portaal(200)), post=codes(302, anoniem=302, **_portaal(302))
    ),
    "account_signup": Rij(
        get=codes(302, anoniem=200, **_portaal(302)), post=codes(302, anoniem=200, **_portaal(302))
    ),
    "account_reset_password": Rij(
        get=codes(200, anoniem=200, **_portaal(200)), post=codes(200, anoniem=200, **_portaal(200))
    ),
    "account_change_password": Rij(
        get=codes(200, **_portaal(200)), post=codes(200, **_portaal(200))
    ),
    "mfa_index": Rij(get=codes(200, **_portaal(200)), post=codes(405, **_portaal(405))),
    "admin:index": Rij(get=codes(302, platform=200), post=codes(302, platform=200)),
    # Sessions (zorg.sessies): everyone's own list; an empty POST chooses no
    # action and goes back to it. The page's warning asks how long is left
    # (the anonymous hear they are not signed in) and extends the session.
    "sessies:lijst": Rij(get=codes(200, **_portaal(200)), post=codes(302, **_portaal(302))),
    "sessies:status": Rij(
        get=codes(200, anoniem=200, **_portaal(200)), post=codes(405, anoniem=405, **_portaal(405))
    ),
    "sessies:verlengen": Rij(
        get=codes(405, anoniem=405, **_portaal(405)), post=codes(200, anoniem=200, **_portaal(200))
    ),
}

MATRIX: dict[str, Rij] = {}
for rijen in (
    BASIS,
    TIJDLIJN,
    ZORGFASE,
    OBSERVATIES,
    MAATREGELEN,
    REMEDIERING,
    GESPREKKEN,
    INTAKE,
    DOCUMENTEN,
    VLAGGEN,
    VLAGALARM,
    VLAGTRENDS,
    WERKLIJSTEN,
    OVERLEGGEN,
    AGENDA,
    BESLISSINGEN,
    ACTIEPUNTEN,
    BESPREEKVRAGEN,
    KLASSENRAAD_REMEDIERING,
    CLB_TRAJECTEN,
    CLB_SCHOOL,
    KALENDER,
    STRUCTUUR,
    PERSONEEL,
    OVERGANG,
    PDF,
    ZORGBELEID,
    INVOER,
    SODA,
    AFWEZIGHEDEN,
    OUDERBRIEF,
    PORTAAL_RIJEN,
    INZAGE,
    OVERDRACHT,
    BEWARING,
):
    dubbel = set(MATRIX) & set(rijen)
    assert not dubbel, f"matrix rows defined twice: {dubbel}"
    MATRIX.update(rijen)


def _patronen(resolver=None, namespace="", route=""):
    """(name, full route) of every URL pattern in the URL conf."""
    resolver = resolver or get_resolver()
    for patroon in resolver.url_patterns:
        volledig = route + str(patroon.pattern)
        if isinstance(patroon, URLResolver):
            ns = patroon.namespace
            volgend = f"{namespace}{ns}:" if ns else namespace
            yield from _patronen(patroon, volgend, volledig)
        elif isinstance(patroon, URLPattern):
            yield (f"{namespace}{patroon.name}" if patroon.name else None), volledig


def test_every_url_has_a_row():
    ontbrekend = [
        f"{naam} ({route})"
        for naam, route in _patronen()
        if not route.startswith(DERDEN) and naam not in MATRIX
    ]
    assert not ontbrekend, f"URLs without a row in the role matrix: {ontbrekend}"


def test_the_walk_finds_the_project_urls():
    # Guards the walker itself: were it to yield nothing, the test above
    # could never fail.
    namen = {naam for naam, _ in _patronen()}
    assert {"leerlingen:leerling_detail", "meldingen:melding_lijst", "start"} <= namen


def test_every_row_is_a_url():
    namen = {naam for naam, _ in _patronen()}
    assert set(MATRIX) <= namen


GEVALLEN = [
    (naam, rol, methode) for naam in MATRIX for rol in ROLLEN for methode in ("get", "post")
]


@pytest.mark.parametrize(("naam", "rol", "methode"), GEVALLEN)
def test_role_matrix(wereld, client_voor, naam, rol, methode):
    rij = MATRIX[naam]
    if rij.opzet:
        rij.opzet(wereld)
    kwargs = rij.kwargs(wereld) if rij.kwargs else {}
    url = reverse(naam, kwargs=kwargs)
    client = client_voor(wereld.users[rol])
    response = getattr(client, methode)(url)
    verwacht = getattr(rij, methode)[rol]
    assert response.status_code == verwacht, (
        f"{methode.upper()} {url} as {rol}: {response.status_code}, expected {verwacht}"
    )
    # Issue 15: no page of Zorg stays in a shared PC's browser cache, whoever
    # asks and whatever the answer (zorg/geencache.py).
    assert {"no-store", "private"} <= _cache_control(response), (
        f"{methode.upper()} {url} as {rol}: Cache-Control {response.get('Cache-Control')!r}"
    )
    if verwacht == 302 and rol == "anoniem" and naam not in ("set_language", "account_logout"):
        assert (
            "/account/login/" in response["Location"]
            or "/platformbeheer/login/" in (response["Location"])
        )


def _cache_control(response) -> set[str]:
    return {d.strip().lower() for d in response.get("Cache-Control", "").split(",")}


def test_a_hidden_thing_and_a_missing_thing_look_the_same(wereld, client_voor):
    client = client_voor(wereld.leerkracht_b)
    verborgen = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    onbestaand = client.get(reverse("leerlingen:leerling_detail", args=[999_999_999]))
    assert verborgen.status_code == onbestaand.status_code == 404
    # Byte for byte, once the per-request CSRF token and the requested path
    # (echoed in the language switch) are set aside.
    assert _gelijkgemaakt(verborgen, wereld.leerling_a.pk) == _gelijkgemaakt(
        onbestaand, 999_999_999
    )


def _gelijkgemaakt(response, pk) -> str:
    html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())
    return html.replace(f"/leerlingen/{pk}/", "/leerlingen/PK/")


# --- every link a role is shown opens for that role ----------------------------------

# Links that leave the role's pages on purpose: signing out, and the
# static and uploaded files the web server serves.
GEEN_PAGINA = ("/account/logout/", "/static/", "/media/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.hrefs.append(href)


def _links(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    result = set()
    for href in parser.hrefs:
        href = urldefrag(href).url
        if href and not href.startswith(GEEN_PAGINA):
            result.add(href)
    return result


@pytest.mark.parametrize("rol", ROLLEN)
def test_every_link_on_a_page_a_role_reaches_opens_for_that_role(wereld, client_voor, rol):
    """A link is shown only when its reader may follow it. Walks every page of
    the matrix in one world, gathers the same-site links on those that answer
    200 for `rol`, and opens each distinct link once as `rol`. The world
    first gets a full care record (tests/dossier.py), so the pages show what
    they show on a working day: the CLB reaches the student, a measure was
    stopped, a flag and a meeting decision are on the timeline."""
    dossier_vullen(wereld)
    client = client_voor(wereld.users[rol])
    gevonden: dict[str, str] = {}
    # Every row, not only those the matrix expects to open: with the full
    # record the CLB reaches the student, so more pages open for it.
    for naam, rij in MATRIX.items():
        if rij.opzet:
            rij.opzet(wereld)
        url = reverse(naam, kwargs=rij.kwargs(wereld) if rij.kwargs else {})
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _links(response.content.decode()):
            gevonden.setdefault(href, url)
    assert gevonden, "the walk found no links at all"
    dood = []
    for href, pagina in sorted(gevonden.items()):
        response = client.get(href, follow=True)
        if response.status_code != 200:
            dood.append(f"{href} ({response.status_code}, on {pagina})")
    assert not dood, f"links {rol} is shown but cannot open: {dood}"
