"""The care-policy report's CSV and XLSX (zorgbeleid.export): read back, they
hold the protected figures ("< 5", not derivable from a total), one sheet
per section and the team's reflection with last year's actions; no student
name, nothing of the CLB's own layer. Every export is audited and kept by no
cache; the group's export counts over its schools and protects the sum."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from leerlingen.models import Leerling, Zorgfase
from tests import factories as f
from tests.clb.lagen import GEHEIM, clb_dossier
from zorg.audit.models import Actie, AuditEvent
from zorgbeleid.kleine_aantallen import KLEIN
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting
from zorgbeleid.rapport import fasenamen

pytestmark = pytest.mark.django_db

FASEN_TITEL = "Leerlingen per zorgfase op de peildata"


def _fase(leerlingen, nummer):
    fase = Zorgfase.objects.get(schooltype="secundair", nummer=nummer)
    Leerling.objects.filter(pk__in=[x.pk for x in leerlingen]).update(zorgfase=fase)


def _url(w, formaat="xlsx", jaar=None):
    return reverse(
        "zorgbeleid:rapport_export",
        kwargs={"pk": w.school.pk, "jaar_pk": (jaar or w.schooljaar).pk, "formaat": formaat},
    )


def _groep_url(w, formaat="xlsx", jaarnaam=None):
    return reverse(
        "zorgbeleid:groepsrapport_export",
        kwargs={
            "pk": w.school.scholengemeenschap_id,
            "jaarnaam": jaarnaam or w.schooljaar.naam,
            "formaat": formaat,
        },
    )


@pytest.fixture
def school(wereld_in_2026_2027, wereld):
    """School 1 on 4 December 2026: in phase 0 leerling_a, leerling_b and one
    more of 3A; in phase 1 three more (a count of 3: hidden)."""
    w = wereld
    nul = [w.leerling_a, w.leerling_b, f.leerling_in(w.klas_a)]
    een = [f.leerling_in(w.klas_a) for _ in range(3)]
    _fase(nul, 0)
    _fase(een, 1)
    return w


def _reflecties(w, redenering="De effecten volgen we nog te weinig op."):
    """This year's final choice with an open action, and last year's with an
    action that was completed (and its result)."""
    nu = timezone.now()
    dit = Reflectie.objects.create(
        school=w.school,
        schooljaar=w.schooljaar,
        verwachting=Verwachting.VISIE,
        keuze=Keuze.VERSTERKEN,
        redenering=redenering,
        status=Reflectie.Status.DEFINITIEF,
        beslist_door=w.directie,
        beslist_op=nu,
        aangemaakt_door=w.directie,
        gewijzigd_door=w.directie,
    )
    Reflectieactie.objects.create(
        reflectie=dit,
        omschrijving="Effectenbord op elke cel bespreken",
        eigenaar=w.leerkracht,
        vervaldatum=datetime.date(2027, 3, 1),
        aangemaakt_door=w.directie,
    )
    vorig = Reflectie.objects.create(
        school=w.school,
        schooljaar=w.vorig_schooljaar,
        verwachting=Verwachting.VISIE,
        keuze=Keuze.OPSTARTEN,
        redenering="Een visietekst schrijven.",
        aangemaakt_door=w.directie,
        gewijzigd_door=w.directie,
    )
    Reflectieactie.objects.create(
        reflectie=vorig,
        omschrijving="Visietekst bespreken op de personeelsvergadering",
        eigenaar=w.leerkracht,
        vervaldatum=datetime.date(2026, 5, 1),
        status=Reflectieactie.Status.AFGEROND,
        resultaat="Goedgekeurd door het team",
        afgehandeld_op=nu,
        afgehandeld_door=w.directie,
        aangemaakt_door=w.directie,
    )
    return dit, vorig


def _csv(response) -> list[list[str]]:
    inhoud = response.content
    assert inhoud.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(inhoud.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def _tabel(blad, titel_begin: str) -> tuple[list, list[list]]:
    """The column headings and the rows (label first) of the sheet's table
    whose title begins with `titel_begin`."""
    rijen = [[c.value for c in rij] for rij in blad.iter_rows()]
    start = next(i for i, r in enumerate(rijen) if str(r[0] or "").startswith(titel_begin))
    koppen = rijen[start + 1]
    inhoud = []
    for r in rijen[start + 2 :]:
        # A blank row ends the table, as does its explanation (a text alone).
        if not any(v is not None for v in r[1:]):
            break
        inhoud.append(r)
    return koppen, inhoud


def _tekst(werkboek) -> str:
    return "\n".join(
        str(c.value) for blad in werkboek for rij in blad.iter_rows() for c in rij if c.value
    )


def _namen(*leerlingen) -> list[str]:
    return [f"{x.voornaam} {x.achternaam}" for x in leerlingen] + [x.achternaam for x in leerlingen]


# --- XLSX ----------------------------------------------------------------------------------


def test_the_spreadsheet_has_a_sheet_per_section_and_one_for_the_reflection(school, client_voor):
    w = school
    _reflecties(w)
    response = client_voor(w.directie).get(_url(w))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        'filename="zorgbeleid-sint-testcollege-2026-2027.xlsx"' in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    boek = _xlsx(response)
    assert boek.sheetnames == [
        "Zorgcontinuüm",
        "Maatregelen",
        "Remediëring en differentiatie",
        "Observaties per begeleidingsdom",  # 31 characters at most
        "Gedragsvlaggen",
        "Overleg",
        "CLB (gedeelde gegevens)",
        "Reflectie van het team",
    ]
    blad = boek["Zorgcontinuüm"]
    assert blad["A1"].value.startswith("Zorgbeleid: cijfers en reflectie · Sint-Testcollege")
    assert KLEIN in blad["A2"].value


def test_a_small_count_is_text_and_cannot_be_derived_from_the_total(school, client_voor):
    w = school
    boek = _xlsx(client_voor(w.zorgcoordinator).get(_url(w)))
    koppen, rijen = _tabel(boek["Zorgcontinuüm"], FASEN_TITEL)
    assert koppen[-1] == "4 december 2026"
    fasen = fasenamen("secundair")
    per_fase = {r[0]: r[-1] for r in rijen}
    # Three in phase 1: hidden; phase 0 (three too) is hidden with it.
    assert per_fase[fasen["1"]] == KLEIN
    assert per_fase[fasen["0"]] == KLEIN
    assert per_fase[fasen["2"]] == 0
    # The total stays, a number: with two cells hidden it gives neither away.
    assert per_fase["totaal"] == 6
    assert isinstance(per_fase["totaal"], int)
    assert sum(1 for v in per_fase.values() if v == KLEIN) >= 2


def test_the_reflection_sheet_holds_this_and_last_years_choices_and_what_became_of_the_actions(
    school, client_voor
):
    w = school
    _reflecties(w)
    boek = _xlsx(client_voor(w.groepsdirectie).get(_url(w)))
    blad = boek["Reflectie van het team"]
    koppen, keuzes = _tabel(blad, "Keuzes per kwaliteitsverwachting")
    assert koppen[1:] == [
        "schooljaar",
        "wat doen we?",
        "status",
        "waarom?",
        "beslist door",
        "beslist op",
    ]
    visie = {r[1]: r for r in keuzes if r[0] == Verwachting.VISIE.label}
    assert visie["2026-2027"][2] == Keuze.VERSTERKEN.label
    assert visie["2026-2027"][3] == "definitief"
    assert visie["2026-2027"][5] == w.directie.get_full_name()
    assert isinstance(visie["2026-2027"][6], datetime.datetime)
    assert visie["2025-2026"][3] == "ontwerp"
    assert visie["2025-2026"][5] is None  # a draft names no one
    # Every expectation has a row per year, with or without a choice.
    assert len(keuzes) == 2 * len(Verwachting)
    _koppen, acties = _tabel(blad, "Acties en wat ervan werd")
    assert [a[1:5] for a in acties] == [
        ["2026-2027", "Effectenbord op elke cel bespreken", datetime.datetime(2027, 3, 1), "open"],
        [
            "2025-2026",
            "Visietekst bespreken op de personeelsvergadering",
            datetime.datetime(2026, 5, 1),
            "afgerond",
        ],
    ]
    assert acties[1][5] == "Goedgekeurd door het team"
    # The actions' owner is not named.
    assert w.leerkracht.get_full_name() not in _tekst(boek)


def test_no_student_name_and_nothing_of_the_clbs_own_layer(school, client_voor):
    w = school
    clb_dossier(w)
    _reflecties(w)
    client = client_voor(w.directie)
    tekst = _tekst(_xlsx(client.get(_url(w))))
    tekst += "\n" + "\n".join(";".join(r) for r in _csv(client.get(_url(w, "csv"))))
    # The exports carry free text (the reasoning): the check can fail.
    assert "De effecten volgen we nog te weinig op." in tekst
    assert GEHEIM not in tekst
    for naam in _namen(*Leerling.objects.all()):
        assert not re.search(rf"\b{re.escape(naam)}\b", tekst), naam


def test_text_that_looks_like_a_formula_stays_text(school, client_voor):
    w = school
    _reflecties(w, redenering='=HYPERLINK("http://example.com","klik")')
    client = client_voor(w.directie)
    blad = _xlsx(client.get(_url(w)))["Reflectie van het team"]
    cel = next(c for rij in blad.iter_rows() for c in rij if "HYPERLINK" in str(c.value))
    assert cel.data_type == "s"
    velden = [v for r in _csv(client.get(_url(w, "csv"))) for v in r if "HYPERLINK" in v]
    assert velden == ['\'=HYPERLINK("http://example.com","klik")']


# --- CSV -----------------------------------------------------------------------------------


def test_the_csv_is_excel_ready_with_a_row_per_section_table_and_label(school, client_voor):
    w = school
    _reflecties(w)
    response = client_voor(w.directie).get(_url(w, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rijen = _csv(response)
    fasen = [r for r in rijen if len(r) > 2 and r[1] == f"{FASEN_TITEL}, 2026-2027"]
    kop, *inhoud = fasen
    assert kop[:3] == ["Zorgcontinuüm", kop[1], ""]
    assert kop[-1] == "4 december 2026"
    per_fase = {r[2]: r[-1] for r in inhoud}
    assert per_fase[fasenamen("secundair")["1"]] == KLEIN
    assert per_fase["totaal"] == "6"
    # This year beside last year: a column per school year.
    bewegingen = [r for r in rijen if len(r) > 1 and r[1] == "Bewegingen in het zorgcontinuüm"]
    assert bewegingen[0][3:] == ["2026-2027", "2025-2026"]
    secties = {r[0] for r in rijen[2:] if r}
    assert {"Maatregelen", "Gedragsvlaggen", "Reflectie van het team"} <= secties
    acties = [r for r in rijen if len(r) > 4 and r[1] == "Acties en wat ervan werd"]
    assert acties[2][3:5] == ["2025-2026", "Visietekst bespreken op de personeelsvergadering"]
    assert acties[2][5:7] == ["01/05/2026", "afgerond"]


# --- audit, bad input, access ---------------------------------------------------------------


@pytest.mark.parametrize("formaat", ["xlsx", "csv"])
def test_every_export_is_audited(school, client_voor, formaat):
    w = school
    assert client_voor(w.directie).get(_url(w, formaat)).status_code == 200
    event = AuditEvent.objects.get(actie=Actie.EXPORTEREN)
    assert (event.gebruiker, event.onderwerp, event.school_id, event.object_id) == (
        w.directie,
        "zorgbeleid",
        w.school.pk,
        str(w.schooljaar.pk),
    )
    assert event.omschrijving == f"{formaat.upper()}-export 2026-2027"


@pytest.mark.parametrize("formaat", ["pdf", "xls", "XLSX", "json"])
def test_an_unknown_format_is_a_404_and_exports_nothing(school, client_voor, formaat):
    w = school
    client = client_voor(w.directie)
    assert client.get(_url(w, formaat)).status_code == 404
    assert client.get(_groep_url(w, formaat)).status_code == 404
    assert not AuditEvent.objects.filter(actie=Actie.EXPORTEREN).exists()


def test_another_schools_year_is_a_404(school, client_voor):
    w = school
    url = reverse(
        "zorgbeleid:rapport_export",
        kwargs={"pk": w.school.pk, "jaar_pk": w.klas_x.schooljaar.pk, "formaat": "csv"},
    )
    assert client_voor(w.directie).get(url).status_code == 404


# --- the group -------------------------------------------------------------------------------


@pytest.fixture
def groep(school):
    """A second school of school 1's group, same school year: two in phase 0,
    three in phase 1 and one in phase 2. School 2 (another group) has six
    in phase 1 that must never count."""
    w = school
    derde = f.SchoolFactory(naam="Derde School", scholengemeenschap=w.school.scholengemeenschap)
    klas = f.KlasFactory(schooljaar=f.SchooljaarFactory(school=derde))
    _fase([f.leerling_in(klas) for _ in range(2)], 0)
    _fase([f.leerling_in(klas) for _ in range(3)], 1)
    _fase([f.leerling_in(klas)], 2)
    _fase([w.leerling_x, *(f.leerling_in(w.klas_x) for _ in range(5))], 1)
    return derde


def test_the_group_export_protects_the_sum_over_its_schools(school, groep, client_voor):
    w = school
    response = client_voor(w.groepsdirectie).get(_groep_url(w))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    boek = _xlsx(response)
    assert "Reflectie van het team" not in boek.sheetnames
    _koppen, rijen = _tabel(boek["Zorgcontinuüm"], FASEN_TITEL)
    fasen = fasenamen("secundair")
    per_fase = {r[0]: r[-1] for r in rijen}
    # Phase 1: three in each school, hidden in each school's own export, six
    # together: shown. Phase 2: one: hidden, and phase 0 (five, the smallest
    # other) with it. School 2's six never count.
    assert per_fase[fasen["1"]] == 6
    assert per_fase[fasen["2"]] == KLEIN
    assert per_fase[fasen["0"]] == KLEIN
    assert per_fase["totaal"] == 12
    assert "Scholengemeenschap Test" in boek["Zorgcontinuüm"]["A1"].value


def test_the_group_export_is_audited_for_each_school_it_counts(school, groep, client_voor):
    w = school
    assert client_voor(w.groepsdirectie).get(_groep_url(w, "csv")).status_code == 200
    events = AuditEvent.objects.filter(actie=Actie.EXPORTEREN, onderwerp="zorgbeleid_groep")
    assert sorted(e.school_id for e in events) == sorted([w.school.pk, groep.pk])
    assert {e.object_id for e in events} == {str(w.school.scholengemeenschap_id)}


def test_a_year_none_of_the_groups_schools_has_is_a_404(school, client_voor):
    w = school
    client = client_voor(w.groepsdirectie)
    assert client.get(_groep_url(w, "csv", jaarnaam="1999-2000")).status_code == 404
    assert not AuditEvent.objects.filter(actie=Actie.EXPORTEREN).exists()


def test_the_schools_care_team_does_not_get_the_groups_export(school, client_voor):
    w = school
    for wie in ("directie", "zorgcoordinator", "buitenstaander"):
        assert client_voor(w.users[wie]).get(_groep_url(w)).status_code == 404, wie


# --- queries ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("formaat", ["xlsx", "csv"])
def test_the_export_takes_as_many_queries_for_a_big_school_as_for_a_small_one(
    school, client_voor, formaat
):
    """Guards against a query per student, per reflection or per action
    (the actions are prefetched with their reflections)."""
    w = school
    client = client_voor(w.directie)
    _reflecties(w)
    klein = _queries(client, _url(w, formaat))
    for verwachting in (Verwachting.DOMEINEN, Verwachting.SAMEN):
        r = Reflectie.objects.create(
            school=w.school,
            schooljaar=w.schooljaar,
            verwachting=verwachting,
            keuze=Keuze.BEHOUDEN,
            redenering="Zo verder.",
            aangemaakt_door=w.directie,
            gewijzigd_door=w.directie,
        )
        for i in range(3):
            Reflectieactie.objects.create(
                reflectie=r,
                omschrijving=f"Actie {i}",
                eigenaar=w.leerkracht,
                vervaldatum=datetime.date(2027, 5, 1),
                aangemaakt_door=w.directie,
            )
    _fase([f.leerling_in(w.klas_b) for _ in range(25)], 1)
    groot = _queries(client, _url(w, formaat))
    assert groot == klein
    assert groot <= 80


# --- the downloads on the report page (templates/zorgbeleid/_export.html) ---------------------


def _knoppen(w, user, **context) -> str:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    basis = {"school": None, "schooljaar": None, "groep": None, "jaarnaam": w.schooljaar.naam}
    return render_to_string("zorgbeleid/_export.html", {**basis, **context}, request=request)


def test_the_school_downloads_are_offered_to_who_may_follow_them(school, client_voor):
    w = school
    context = {"school": w.school, "schooljaar": w.schooljaar}
    for wie in ("directie", "zorgcoordinator", "groepsdirectie"):
        html = _knoppen(w, w.users[wie], **context)
        for url in (_url(w, "xlsx"), _url(w, "csv")):
            assert f'href="{url}"' in html, wie
            # And the link opens.
            assert client_voor(w.users[wie]).get(url).status_code == 200, wie
        assert reverse("pdf:aanvragen", args=["zorgbeleid", w.schooljaar.pk]) in html
    for wie in ("leerkracht", "secretariaat", "beheerder", "buitenstaander", "clb"):
        assert "zorgbeleid-export" not in _knoppen(w, w.users[wie], **context), wie


def test_the_group_downloads_are_offered_to_its_director_only(school, client_voor):
    w = school
    context = {"groep": w.school.scholengemeenschap}
    html = _knoppen(w, w.groepsdirectie, **context)
    assert f'href="{_groep_url(w, "xlsx")}"' in html
    assert f'href="{_groep_url(w, "csv")}"' in html
    assert 'name="jaarnaam" value="2026-2027"' in html
    assert client_voor(w.groepsdirectie).get(_groep_url(w, "csv")).status_code == 200
    for wie in ("directie", "zorgcoordinator", "buitenstaander"):
        assert "zorgbeleid-export" not in _knoppen(w, w.users[wie], **context), wie
