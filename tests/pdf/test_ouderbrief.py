"""The parent letter never holds more than the parents may be told: built
on a student with every kind of care content (tests/dossier.py: an
observation, a red flag and its follow-up, a talk summary, an intake, a
care-cell decision, a request to discuss her) plus the CLB's confidential
notes and a note the CLB shares with the school only, the letter's preview,
its page and its PDF hold the measure in parent wording, the agreement with
the parents and the CLB's note for parents, and none of the rest."""

import datetime
import html
import uuid

import pytest
from django.urls import reverse

from clb.models import Laag, Trajectnotitie
from clb.services.ouders import notitie_ouders_delen
from leerlingen.models import Ouderbrief
from leerlingen.services.maatregelen import maatregel_maken
from tests.clb import factories as c
from tests.dossier import INHOUD, _gegevens, dossier_vullen
from tests.pdf.conftest import downloaden, pdf_tekst
from zorg.pdf.models import PdfOpdracht

pytestmark = pytest.mark.django_db

IN_DE_BRIEF = {
    "ouderwoorden": "Uw kind krijgt de toetsen op groot papier",
    "afspraken": INHOUD["afspraken"],
    "clb": "OUDERS-advies: elke avond samen de boekentas maken.",
}
NOOIT = [tekst for sleutel, tekst in INHOUD.items() if sleutel != "afspraken"] + [
    "GEHEIM",
    "SCHOOL-advies",
    "Vergrote kopieën op A4",  # the measure's school title: the parents read their words
]


@pytest.fixture
def dossier(schooljaar_onderweg, wereld):
    d = dossier_vullen(wereld)
    clb = wereld.users["clb"]
    maatregel_maken(
        leerling=wereld.leerling_a,
        gegevens=_gegevens(
            "Vergrote kopieën op A4",
            ouderomschrijving=IN_DE_BRIEF["ouderwoorden"],
            akkoord_nodig=True,
        ),
        door=wereld.zorgcoordinator,
    )
    advies = Trajectnotitie.Soort.ADVIES
    gisteren = datetime.date.today() - datetime.timedelta(days=1)
    for laag, tekst in ((Laag.CLB, "GEHEIM vertrouwelijk"), (Laag.GEDEELD, "SCHOOL-advies")):
        c.notitie(d.traject, clb, laag=laag, soort=advies, tekst=tekst, datum=gisteren)
    for_ouders = c.notitie(
        d.traject, clb, laag=Laag.GEDEELD, soort=advies, tekst=IN_DE_BRIEF["clb"], datum=gisteren
    )
    notitie_ouders_delen(notitie=for_ouders, delen=True, door=clb)
    return d


def _compact(tekst: str) -> str:
    return "".join(tekst.split())


def _controleren(tekst: str, waar: str) -> None:
    compact = _compact(tekst)
    for gezocht in IN_DE_BRIEF.values():
        assert _compact(gezocht) in compact, f"{gezocht!r} missing from {waar}"
    for verboden in NOOIT:
        assert _compact(verboden) not in compact, f"{verboden!r} in {waar}"


def _pagina(client, url) -> str:
    antwoord = client.get(url)
    assert antwoord.status_code == 200, url
    return html.unescape(antwoord.content.decode())


def test_the_letter_tells_the_parents_only_what_they_may_know_on_screen_and_on_paper(
    dossier, wereld, client_voor, django_capture_on_commit_callbacks
):
    client = client_voor(wereld.zorgcoordinator)
    leerling = wereld.leerling_a

    _controleren(
        _pagina(client, reverse("leerlingen:ouderbrief_nieuw", args=[leerling.pk])), "the preview"
    )

    antwoord = client.post(
        reverse("leerlingen:ouderbrief_nieuw", args=[leerling.pk]),
        {"geinformeerd_op": datetime.date.today().isoformat(), "sleutel": str(uuid.uuid4())},
    )
    assert antwoord.status_code == 302
    brief = Ouderbrief.objects.get(leerling=leerling)
    _controleren(
        _pagina(client, reverse("leerlingen:ouderbrief_detail", args=[leerling.pk, brief.pk])),
        "the letter's page",
    )

    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(reverse("pdf:aanvragen", args=["ouderbrief", brief.pk]))
    assert antwoord.status_code == 302
    opdracht = PdfOpdracht.objects.get(soort="ouderbrief")
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    tekst = "\n".join(pdf_tekst(downloaden(client, opdracht)))
    _controleren(tekst, "the PDF")
    assert "Hiervoor vragen we uw akkoord" in tekst


def test_a_teacher_of_the_class_may_not_ask_for_the_letters_pdf(dossier, wereld, client_voor):
    brief = Ouderbrief.objects.create(
        leerling=wereld.leerling_a,
        schooljaar=wereld.schooljaar,
        aangemaakt_door=wereld.zorgcoordinator,
        geinformeerd_op=datetime.date.today(),
        inhoud={"leerling": {"id": 0, "naam": "x"}, "maatregelen": [], "afspraken": [], "clb": []},
    )

    antwoord = client_voor(wereld.leerkracht).post(
        reverse("pdf:aanvragen", args=["ouderbrief", brief.pk])
    )

    assert antwoord.status_code == 404
    assert not PdfOpdracht.objects.exists()
