"""Both class councils show each student's SODA summary of the latest
periods, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klassenraad.models import OverlegSoort
from klassenraad.profielen import profielen
from leerlingen.models import SodaPeriode
from tests import factories as f
from tests.klassenraad.factories import agendapunt, overleg
from tests.leerlingen.factories_soda import in_het_voorjaar, perioden_maken, score, waarden

__all__ = ["in_het_voorjaar"]

pytestmark = pytest.mark.usefixtures("in_het_voorjaar")


def _rapporten(wereld, leerling, codes=("2", "3")):
    w = waarden(wereld.school)
    kerst, paas, _eind = perioden_maken_een_keer(wereld.schooljaar)
    opdracht = wereld.leerkracht.lesopdrachten.get()
    for periode, code in zip((kerst, paas), codes, strict=True):
        score(leerling, periode, opdracht, w[code])


def perioden_maken_een_keer(schooljaar):
    bestaand = list(SodaPeriode.objects.filter(schooljaar=schooljaar).order_by("volgorde"))
    return bestaand or perioden_maken(schooljaar)


@pytest.mark.parametrize("soort", [OverlegSoort.PORTRET, OverlegSoort.BEGELEIDEND])
def test_a_class_council_shows_the_soda_summary_of_the_latest_periods(wereld, soort):
    _rapporten(wereld, wereld.leerling_a)
    o = overleg(wereld, soort)
    # The class team (a teacher of the class) reads them as the care team does.
    for user in (wereld.leerkracht, wereld.zorgcoordinator):
        soda = profielen(user, o, [wereld.leerling_a.pk])[wereld.leerling_a.pk].soda
        assert [(s.periode.naam, s.kort(), s.laag) for s in soda] == [
            ("Kerstrapport", "S 2 · O 2 · D 2 · A 2", True),
            ("Paasrapport", "S 3 · O 3 · D 3 · A 3", False),
        ]


def test_a_care_cell_shows_no_soda_summary(wereld):
    _rapporten(wereld, wereld.leerling_a)
    o = overleg(wereld, OverlegSoort.CEL)
    assert (
        profielen(wereld.zorgcoordinator, o, [wereld.leerling_a.pk])[wereld.leerling_a.pk].soda
        == []
    )


def _vul(wereld, o, van, tot):
    for n in range(van, tot):
        leerling = wereld.leerling_a if n == 0 else f.leerling_in(wereld.klas_a)
        _rapporten(wereld, leerling)
        agendapunt(o, leerling, volgorde=n)


def _meet(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    return len(ctx.captured_queries), antwoord


@pytest.mark.parametrize("soort", [OverlegSoort.PORTRET, OverlegSoort.BEGELEIDEND])
def test_the_soda_summaries_cost_the_same_queries_for_5_and_30_students(
    wereld, client_voor, template_queries, soort
):
    # The periods, the scores and the scale once for the whole agenda, not
    # per student on it.
    o = overleg(wereld, soort)
    client = client_voor(wereld.titularis)
    url = reverse("klassenraad:overleg_detail", args=[o.pk])
    _vul(wereld, o, 0, 5)
    weinig, antwoord = _meet(client, url)
    assert antwoord.content.decode().count('data-testid="profiel-soda"') == 5
    _vul(wereld, o, 5, 30)
    veel, antwoord = _meet(client, url)
    assert antwoord.content.decode().count('data-testid="profiel-soda"') == 30
    assert weinig == veel
    assert template_queries == []
