"""A transfer never carries more than the next school may receive: built on
a student with every kind of care content (tests/dossier.py), the CLB's
confidential notes, a note the CLB shares with the school only, and another
student's agreements, the preview, the page, the PDF, the signed file and
the imported transfer hold the phase, the measure that worked with its
evaluation, the agreement with the parents and the CLB's note for parents,
and none of the rest."""

import datetime
import html
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clb.models import Laag, Trajectnotitie
from clb.services.ouders import notitie_ouders_delen
from leerlingen.models import Gesprek
from overdracht.models import OntvangenOverdracht, Overdracht
from tests.clb import factories as c
from tests.dossier import INHOUD, dossier_vullen
from tests.leerlingen.factories_gesprekken import GesprekFactory
from tests.overdracht.hulp import geinformeerd, voorbereid, zonder_bezwaar
from tests.pdf.conftest import downloaden, pdf_tekst
from zorg.pdf.models import PdfOpdracht

pytestmark = pytest.mark.django_db

ERIN = {
    "maatregel": INHOUD["maatregel"],
    "evaluatie": "werkt gedeeltelijk",
    "afspraken": INHOUD["afspraken"],
    "clb": "OUDERS-advies: elke avond samen de boekentas maken.",
}
NOOIT = [
    tekst
    for sleutel, tekst in INHOUD.items()
    if sleutel not in {"afspraken", "maatregel", "catalogus"}
] + [
    "GEHEIM",
    "SCHOOL-advies",
    "Noah",
    "Janssens",
    "Mila",
    "Afspraak over een andere leerling",
]


@pytest.fixture(autouse=True)
def pdf_map(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(schooljaar_onderweg, wereld):
    d = dossier_vullen(wereld)
    clb = wereld.users["clb"]
    advies = Trajectnotitie.Soort.ADVIES
    gisteren = timezone.localdate() - datetime.timedelta(days=1)
    for laag, tekst in ((Laag.CLB, "GEHEIM vertrouwelijk"), (Laag.GEDEELD, "SCHOOL-advies")):
        c.notitie(d.traject, clb, laag=laag, soort=advies, tekst=tekst, datum=gisteren)
    voor_ouders = c.notitie(
        d.traject, clb, laag=Laag.GEDEELD, soort=advies, tekst=ERIN["clb"], datum=gisteren
    )
    notitie_ouders_delen(notitie=voor_ouders, delen=True, door=clb)
    GesprekFactory(
        leerling=wereld.leerling_b,
        datum=gisteren,
        soort=Gesprek.Soort.OUDERS,
        afspraken="Afspraak over een andere leerling: Noah Janssens.",
    )
    return d


def _compact(tekst: str) -> str:
    return "".join(html.unescape(tekst).split())


def _controleren(tekst: str, waar: str) -> None:
    compact = _compact(tekst)
    for gezocht in ERIN.values():
        assert _compact(gezocht) in compact, f"{gezocht!r} missing from {waar}"
    for verboden in NOOIT:
        assert _compact(verboden) not in compact, f"{verboden!r} in {waar}"


def _samenvatting(pagina: str) -> str:
    """The summary of a receiving school's page: the page itself names the
    receiving school's own students (the picker, the title)."""
    begin = pagina.index('data-testid="samenvatting"')
    return pagina[begin : pagina.index("</div>", pagina.index("volgt via de CLB", begin))]


def _pagina(client, url) -> str:
    antwoord = client.get(url)
    assert antwoord.status_code == 200, url
    return antwoord.content.decode()


def test_the_transfer_carries_only_what_the_next_school_may_receive_everywhere(
    dossier, wereld, client_voor, django_capture_on_commit_callbacks
):
    client = client_voor(wereld.zorgcoordinator)
    o = voorbereid(wereld, school_instellingsnummer=wereld.school2.instellingsnummer)
    _controleren(_pagina(client, reverse("overdracht:detail", args=[o.pk])), "the preview")

    o = zonder_bezwaar(wereld, geinformeerd(wereld, o))
    _controleren(json.dumps(o.inhoud, ensure_ascii=False), "the frozen summary")
    antwoord = client.post(reverse("overdracht:vrijgeven", args=[o.pk]), {"versie": o.versie})
    assert antwoord.status_code == 302
    assert Overdracht.objects.get().status == Overdracht.Status.VRIJGEGEVEN
    _controleren(_pagina(client, reverse("overdracht:detail", args=[o.pk])), "the page")

    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(reverse("pdf:aanvragen", args=["overdracht", o.pk]))
    assert antwoord.status_code == 302
    opdracht = PdfOpdracht.objects.get(soort="overdracht")
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    _controleren("\n".join(pdf_tekst(downloaden(client, opdracht))), "the PDF")

    bestand = client.get(reverse("overdracht:bestand", args=[o.pk])).content
    _controleren(json.dumps(json.loads(bestand), ensure_ascii=False), "the signed file")

    # The next school (school 2's care coordinator) imports it.
    ontvanger = client_voor(wereld.buitenstaander)
    antwoord = ontvanger.post(
        reverse("overdracht:importeren"),
        {"bestand": SimpleUploadedFile("overdracht.json", bestand, "application/json")},
    )
    _controleren(_samenvatting(antwoord.content.decode()), "the import preview")
    antwoord = ontvanger.post(
        reverse("overdracht:importeren"),
        {
            "document": bestand.decode(),
            "leerling": wereld.leerling_x.pk,
            "sleutel": str(uuid.uuid4()),
        },
    )
    ontvangen = OntvangenOverdracht.objects.get()
    assert antwoord.status_code == 302
    _controleren(
        _samenvatting(_pagina(ontvanger, reverse("overdracht:ontvangen", args=[ontvangen.pk]))),
        "the received transfer",
    )
