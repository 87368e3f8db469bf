"""Accessibility: axe-core (vendored under tests/data/axe, MPL-2.0, test-only)
checks the main pages against WCAG 2.1 A/AA in the real browser."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent.parent / "data" / "axe" / "axe.min.js").read_text()


def _schendingen(page) -> list[str]:
    # evaluate() runs through the DevTools protocol, so Zorg's strict CSP
    # (no inline scripts) does not need loosening for the check.
    page.evaluate(AXE + "\n;undefined")
    resultaat = page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
        })).violations.map(
            v => `${v.impact}: ${v.id}: ${v.nodes.map(n => n.target).join(' | ')}`
        )"""
    )
    return resultaat


def test_login_page_is_accessible(page, live_server, wereld):
    page.goto(f"{live_server.url}/account/login/")
    assert _schendingen(page) == []


@pytest.mark.parametrize(
    "pad",
    [
        lambda w: "/",
        lambda w: "/klassen/",
        lambda w: f"/klassen/{w.klas_a.pk}/",
        lambda w: "/leerlingen/",
        lambda w: f"/leerlingen/{w.leerling_a.pk}/",
        lambda w: "/meldingen/",
    ],
    ids=["start", "klassen", "klas", "leerlingen", "leerling", "meldingen"],
)
def test_main_pages_are_accessible(aanmelden, live_server, wereld, pad):
    page = aanmelden(wereld.titularis)
    page.goto(live_server.url + pad(wereld))
    assert _schendingen(page) == []
