"""The care-policy report as a PDF (zorgbeleid.pdf, documents "zorgbeleid"
and "zorgbeleid-groep"): read back, it holds the protected figures, the
team's choices beside them and last year's actions with their outcome; no
student name, no action owner. The group's needs its school year."""

import re

import pytest
from django.urls import resolve, reverse

from leerlingen.models import Leerling
from tests.pdf.conftest import downloaden, pdf_tekst
from tests.zorgbeleid import test_export
from zorg.audit.models import Actie, AuditEvent
from zorg.pdf.models import PdfOpdracht
from zorgbeleid.export import schoolexport
from zorgbeleid.grafieken import svg
from zorgbeleid.kleine_aantallen import KLEIN
from zorgbeleid.pdf import grafiek, pdf_context

pytestmark = pytest.mark.django_db

# The worlds of the CSV and XLSX tests: the same figures, the same choices.
school = test_export.school
groep = test_export.groep
_reflecties = test_export._reflecties


@pytest.fixture(autouse=True)
def _na_commit(django_capture_on_commit_callbacks):
    global _vastleggen
    _vastleggen = django_capture_on_commit_callbacks


def _pdf(client, soort, object_id, data=None) -> str:
    with _vastleggen(execute=True):
        antwoord = client.post(reverse("pdf:aanvragen", args=[soort, object_id]), data or {})
    assert antwoord.status_code == 302, antwoord.status_code
    opdracht = PdfOpdracht.objects.get(pk=resolve(antwoord.url).kwargs["pk"])
    assert opdracht.status == PdfOpdracht.Status.KLAAR, opdracht.reden
    paginas = [" ".join(p.split()) for p in pdf_tekst(downloaden(client, opdracht))]
    for nummer, pagina in enumerate(paginas, 1):
        assert f"pagina {nummer} van {len(paginas)}" in pagina, nummer
        assert "VERTROUWELIJK" in pagina.upper(), nummer
    return "\n".join(paginas)


def test_the_schools_pdf_shows_the_figures_and_the_choices_beside_them(school, client_voor):
    w = school
    _reflecties(w)
    tekst = _pdf(client_voor(w.directie), "zorgbeleid", w.schooljaar.pk)
    for titel in ("Zorgcontinuüm", "Maatregelen", "Gedragsvlaggen", "Reflectie van het team"):
        assert titel in tekst
    assert "Wat het team kiest bij deze cijfers" in tekst
    assert "Versterken, aanscherpen, meer doen dan nu" in tekst
    assert "De effecten volgen we nog te weinig op." in tekst
    # Last year's action and what became of it.
    assert "Visietekst bespreken op de personeelsvergadering" in tekst
    assert "afgerond" in tekst
    assert "Goedgekeurd door het team" in tekst
    assert KLEIN in tekst
    assert w.leerkracht.get_full_name() not in tekst
    for leerling in Leerling.objects.all():
        assert not re.search(rf"\b{leerling.voornaam} {leerling.achternaam}\b", tekst)
    event = AuditEvent.objects.get(actie=Actie.EXPORTEREN, onderwerp="pdf_zorgbeleid")
    assert event.school_id == w.school.pk


def test_a_table_is_charted_only_when_it_hides_no_count(school):
    w = school
    context = pdf_context(schoolexport(w.directie, w.schooljaar))
    tabellen = {t["tabel"].sleutel: t for s in context["secties"] for t in s["tabellen"]}
    # Phase 0 and 1 on the reference dates are hidden: no chart.
    fasen = tabellen["fasen_2026-2027"]
    assert any(KLEIN in r.cellen for r in fasen["tabel"].rijen)
    assert fasen["grafiek"] is None
    # The moves are all zero: a chart (with its empty text).
    bewegingen = tabellen["bewegingen"]
    assert bewegingen["grafiek"].startswith("<svg")
    assert grafiek(bewegingen["tabel"]) == bewegingen["grafiek"]
    # The page's chart, the same code.
    assert bewegingen["grafiek"] == svg(bewegingen["tabel"], id="grafiek-bewegingen")


def test_the_groups_pdf_counts_over_its_schools(school, groep, client_voor):
    w = school
    tekst = _pdf(
        client_voor(w.groepsdirectie),
        "zorgbeleid-groep",
        w.school.scholengemeenschap_id,
        {"jaarnaam": "2026-2027"},
    )
    assert "Scholengemeenschap Test" in tekst
    assert "samen over 2 scholen" in tekst
    assert "Reflectie van het team" not in tekst


def test_the_groups_pdf_without_a_school_year_goes_back_with_a_message(school, client_voor):
    w = school
    client = client_voor(w.groepsdirectie)
    antwoord = client.post(
        reverse("pdf:aanvragen", args=["zorgbeleid-groep", w.school.scholengemeenschap_id]),
        {"jaarnaam": ""},
    )
    assert antwoord.status_code == 302
    assert not PdfOpdracht.objects.exists()
