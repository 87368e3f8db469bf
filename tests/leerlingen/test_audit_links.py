"""The student's audit trail leads the director to the records of issue 17
(the parent letter, the SODA section, the absences), and leads nobody where
they may not go: the functional administrator gets no link at all. The
world lives in the school year 2026-2027 (the SODA Kerstrapport runs)."""

import re
import uuid

import pytest
from django.urls import reverse

from leerlingen.models import AfwezigheidCode, Dagdeel
from leerlingen.services.afwezigheden import afwezigheden_klasdag_registreren
from leerlingen.services.ouderbrieven import ouderbrief_maken
from leerlingen.services.soda import soda_score_bewaren
from tests.datums import IN_2026_2027
from tests.leerlingen.factories_soda import perioden_maken, waarden

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


@pytest.fixture
def sporen(wereld):
    """A letter, a SODA score and a recorded absence of leerling_a, each
    written by its own service (and so audited the way it really is)."""
    w = wereld
    brief = ouderbrief_maken(
        leerling=w.leerling_a, geinformeerd_op=IN_2026_2027.date(), door=w.zorgcoordinator
    )
    kerst = perioden_maken(w.schooljaar)[0]
    soda_score_bewaren(
        leerling=w.leerling_a,
        periode=kerst,
        lesopdracht=w.users["leerkracht"].lesopdrachten.get(),
        waarden={"orde": waarden(w.school)["2"]},
        door=w.leerkracht,
    )
    afwezigheden_klasdag_registreren(
        klas=w.klas_a,
        datum=IN_2026_2027.date(),
        door=w.secretariaat,
        keuzes={(w.leerling_a.pk, Dagdeel.VOORMIDDAG): AfwezigheidCode.ONGEWETTIGD},
        gezien={},
        sleutel=uuid.uuid4(),
    )
    return brief


def _links(client, leerling):
    html = client.get(reverse("leerlingen:leerling_audit", args=[leerling.pk])).content.decode()
    return set(re.findall(r'<td><a href="([^"]+)"', html))


def test_the_director_follows_the_trail_to_the_letter_the_soda_section_and_the_absences(
    wereld, sporen, client_voor
):
    a = wereld.leerling_a
    client = client_voor(wereld.directie)

    links = _links(client, a)

    assert {
        reverse("leerlingen:ouderbrief_detail", args=[a.pk, sporen.pk]),
        reverse("leerlingen:leerling_detail", args=[a.pk]) + "#soda",
        reverse("leerlingen:leerling_afwezigheden", args=[a.pk]),
    } <= links
    for link in links:
        assert client.get(link).status_code == 200, link


def test_the_administrator_gets_no_link_to_them(wereld, sporen, client_voor):
    assert _links(client_voor(wereld.beheerder), wereld.leerling_a) == set()
