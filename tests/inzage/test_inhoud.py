"""The access export: the school's record of the student, without the CLB's
file and without third parties, the same in the JSON and the PDF, in a
fixed number of queries."""

import json

import pytest
from django.urls import resolve, reverse

from inzage.inhoud import inzage_inhoud
from inzage.models import Inzageverzoek
from klassenraad.models import Beslissing, BeslissingSoort, OverlegSoort
from leerlingen.models import Remediering, VlagOpvolging
from tests import factories as f
from tests.clb.lagen import GEHEIM, clb_dossier
from tests.dossier import INHOUD, dossier_vullen
from tests.inzage.hulp import verzoek
from tests.klassenraad.factories import agendapunt, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.leerlingen.factories_remediering import RemedieringFactory
from tests.leerlingen.factories_vlaggen import vlag_met
from tests.pdf.conftest import downloaden, pdf_tekst
from zorg.audit.models import Actie, AuditEvent
from zorg.pdf.models import PdfOpdracht

pytestmark = pytest.mark.django_db

# What the CLB keeps and shares: nothing of it is the school's to hand out.
CLB_WOORDEN = [GEHEIM, "GEDEELD-"]
# Another student and what is written about her only.
ANDERE = ["Noah", "Janssens", "Noah verstoorde de les", "Noah kreeg straf"]


@pytest.fixture(autouse=True)
def _pdf_map(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _json(client, v) -> tuple[dict, str]:
    antwoord = client.get(reverse("inzage:json", args=[v.pk]))
    assert antwoord.status_code == 200
    tekst = antwoord.content.decode("utf-8")
    return json.loads(tekst), tekst


def _pdf(client, v, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(reverse("pdf:aanvragen", args=["inzage", v.pk]))
    assert antwoord.status_code == 302
    opdracht = PdfOpdracht.objects.get(pk=resolve(antwoord.url).kwargs["pk"])
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    return " ".join(" ".join(pdf_tekst(downloaden(client, opdracht))).split())


@pytest.fixture
def derden(wereld):
    """Leerling_b (Noah Janssens) beside leerling_a: in the same group
    remediation, on the same class council (with minutes about him), in the
    same flag, with an observation of his own."""
    w = wereld
    b = w.leerling_b
    RemedieringFactory(
        klas=w.klas_a,
        niveau=Remediering.Niveau.GROEP,
        groep=[w.leerling_a, b],
        titel="Breuken in kleine groep",
        nood="Lotte en Noah kreeg straf voor hun toets breuken.",
        door=w.zorgcoordinator,
    )
    raad = overleg(
        w, OverlegSoort.BEGELEIDEND, notulen="Noah verstoorde de les; Janssens thuis bellen."
    )
    eigen = agendapunt(raad, w.leerling_a, notities="Lotte werkt goed mee in de raad.")
    agendapunt(raad, b, notities="Noah kreeg straf van de directie.")
    Beslissing.objects.create(
        agendapunt=eigen,
        soort=BeslissingSoort.AFSPRAAK,
        tekst="Lotte krijgt een vaste plaats vooraan.",
        door=w.zorgcoordinator,
    )
    vlag = vlag_met(
        w.leerling_a,
        b,
        klas=w.klas_a,
        omschrijving="Noah verstoorde de les samen met Lotte.",
        gemeld_door=w.users["leerkracht"],
    )
    VlagOpvolging.objects.create(
        vlag=vlag,
        soort=VlagOpvolging.Soort.HERSTELGESPREK,
        datum=vlag.moment.date(),
        notities="Herstelgesprek met Noah en Lotte samen.",
        door=w.zorgcoordinator,
    )
    ObservatieFactory(leerling=b, tekst="Noah verstoorde de les opnieuw.")
    return w


def test_the_export_holds_no_clb_content_of_any_layer(
    wereld, client_voor, django_capture_on_commit_callbacks
):
    w = wereld
    clb_dossier(w)
    v = verzoek(w)
    client = client_voor(w.users["directie"])
    data, tekst = _json(client, v)
    pdf = _pdf(client, v, django_capture_on_commit_callbacks)
    for woord in CLB_WOORDEN:
        assert woord not in tekst, woord
        assert woord not in pdf, woord
    # The export is not empty: the school's own part of her record is there.
    assert data["leerling"]["voornaam"] == "Lotte"
    assert "Lotte" in pdf


def test_the_export_holds_the_schools_own_record(wereld, client_voor):
    w = wereld
    dossier_vullen(w)
    data, tekst = _json(client_voor(w.users["directie"]), verzoek(w))
    for sleutel in (
        "maatregel",
        "evaluatie",
        "fasereden",
        "hulpvraag",
        "observatie",
        "gesprek",
        "afspraken",
        "vlag",
        "opvolging",
        "intake",
        "beslissing",
        "bespreekvraag",
    ):
        assert INHOUD[sleutel] in tekst, sleutel
    # The trajectory's goal is the CLB's, the talk's list of names is left out.
    assert INHOUD["doel"] not in tekst
    assert INHOUD["deelnemers"] not in tekst
    assert [w["naar"][0] for w in data["zorgfasen"]] == ["1", "2"]


def test_the_export_names_no_other_student_nor_what_is_written_about_them(
    derden, client_voor, django_capture_on_commit_callbacks
):
    w = derden
    v = verzoek(w)
    client = client_voor(w.users["directie"])
    data, tekst = _json(client, v)
    pdf = _pdf(client, v, django_capture_on_commit_callbacks)
    for woord in ANDERE:
        assert woord not in tekst, woord
        assert woord not in pdf, woord
    # What concerns her is there, told without the others.
    assert "Lotte werkt goed mee in de raad." in tekst
    assert "Lotte krijgt een vaste plaats vooraan." in pdf
    (remediering,) = data["remedieringen"]
    assert remediering["titel"] == "Breuken in kleine groep"
    assert remediering["nood"] == ""
    (vlag,) = data["vlaggen"]
    assert vlag["met_anderen"] is True
    assert vlag["omschrijving"] == ""
    assert [o["notities"] for o in vlag["opvolging"]] == [""]


def test_staff_are_named_by_their_function_not_their_name(derden, client_voor):
    w = derden
    leerkracht = w.users["leerkracht"]
    leerkracht.first_name, leerkracht.last_name = "Zeger", "Xylofoon"
    leerkracht.save()
    data, tekst = _json(client_voor(w.users["directie"]), verzoek(w))
    assert "Xylofoon" not in tekst
    assert data["vlaggen"][0]["gemeld_door"] == "Leerkracht"


def test_the_json_is_a_utf8_file_named_after_the_student_number_and_day(wereld, client_voor):
    w = wereld
    w.leerling_a.achternaam = "Peeters-Ünal"
    w.leerling_a.save()
    v = verzoek(w)
    antwoord = client_voor(w.users["directie"]).get(reverse("inzage:json", args=[v.pk]))
    datum = v.ontvangen_op.isoformat()
    assert antwoord["Content-Type"] == "application/json; charset=utf-8"
    assert antwoord["Content-Disposition"] == (
        f'attachment; filename="inzage-{w.leerling_a.leerlingnummer}-{datum}.json"'
    )
    assert "Peeters-Ünal".encode() in antwoord.content
    v.refresh_from_db()
    assert v.status == Inzageverzoek.Status.KLAAR
    assert AuditEvent.objects.filter(
        actie=Actie.EXPORTEREN, onderwerp="inzage_json", leerling_id=w.leerling_a.pk
    ).exists()


def test_making_the_pdf_is_audited_and_marks_the_request_ready(
    wereld, client_voor, django_capture_on_commit_callbacks
):
    w = wereld
    v = verzoek(w)
    _pdf(client_voor(w.users["directie"]), v, django_capture_on_commit_callbacks)
    v.refresh_from_db()
    assert v.status == Inzageverzoek.Status.KLAAR
    assert AuditEvent.objects.filter(
        actie=Actie.EXPORTEREN, onderwerp="pdf_inzage", leerling_id=w.leerling_a.pk
    ).exists()


@pytest.mark.parametrize(
    "rol", ["zorgcoordinator", "secretariaat", "beheerder", "clb", "leerkracht"]
)
def test_only_the_director_gets_the_export(wereld, client_voor, rol):
    v = verzoek(wereld)
    client = client_voor(wereld.users[rol])
    assert client.get(reverse("inzage:json", args=[v.pk])).status_code == 404
    assert client.post(reverse("pdf:aanvragen", args=["inzage", v.pk])).status_code == 404


def _rijk_dossier(w, aantal: int) -> None:
    """`aantal` of every kind of row the export reads."""
    andere = f.leerling_in(w.klas_a, voornaam="Bo", achternaam="Claes")
    for n in range(aantal):
        ObservatieFactory(leerling=w.leerling_a, auteur=w.users["leerkracht"])
        MaatregelFactory(leerling=w.leerling_a)
        vlag_met(w.leerling_a, *([andere] if n % 2 else []), klas=w.klas_a)
        RemedieringFactory(
            klas=w.klas_a, niveau=Remediering.Niveau.GROEP, groep=[w.leerling_a, andere]
        )
        raad = overleg(w, OverlegSoort.BEGELEIDEND)
        punt = agendapunt(raad, w.leerling_a)
        Beslissing.objects.create(
            agendapunt=punt, soort=BeslissingSoort.AFSPRAAK, tekst=f"{n}", door=w.zorgcoordinator
        )


@pytest.mark.parametrize("aantal", [5, 50])
def test_the_content_takes_a_fixed_number_of_queries(wereld, django_assert_max_num_queries, aantal):
    # Guards against an N+1 per observation, measure (its subjects and
    # evaluations), flag (its students and follow-up), remediation, meeting
    # item (its decisions) or the author's function looked up per row: one
    # query per kind of row, whatever their number.
    w = wereld
    _rijk_dossier(w, aantal)
    v = Inzageverzoek.objects.select_related(
        "school", "leerling__school", "leerling__zorgfase"
    ).get(pk=verzoek(w).pk)
    with django_assert_max_num_queries(23):
        inhoud = inzage_inhoud(v)
    assert len(inhoud["observaties"]) == aantal
    assert len(inhoud["besprekingen"]) == aantal
    assert len(inhoud["maatregelen"]) == aantal
