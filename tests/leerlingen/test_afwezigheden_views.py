"""The absence pages through the client: the secretariat's class-day page
(choosing, saving, refusing a day without school, a double submit, its
query bound), a student's list and the edit page (conflict, bad input), and
who sees what of it on the student page. The world lives on Friday
4 December 2026."""

import datetime
import re

import pytest
from django.urls import reverse

from leerlingen.models import Afwezigheid, AfwezigheidCode, Afwezigheidsdrempel, Dagdeel
from tests import factories as f
from zorg.audit.models import AuditEvent
from zorg.schoolkalender import Kalender

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

DAG = "2026-12-03"
VM, NM = Dagdeel.VOORMIDDAG, Dagdeel.NAMIDDAG


def _url(klas, datum=DAG):
    return reverse("leerlingen:afwezigheden_dag") + f"?klas={klas.pk}&datum={datum}"


def _formulier(html: str) -> dict:
    """The class-day form's values as the browser would send them."""
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    for naam, blok in re.findall(r'<select[^>]*name="(c_[^"]+)"[^>]*>(.*?)</select>', html, re.S):
        gekozen = re.search(r'<option value="([^"]*)" selected', blok)
        data[naam] = gekozen[1] if gekozen else ""
    return data


@pytest.fixture
def secretariaat(wereld, client_voor):
    return client_voor(wereld.secretariaat)


def _afwezig(w, leerling, code=AfwezigheidCode.ONGEWETTIGD, dagdeel=VM, datum=DAG):
    return Afwezigheid.objects.create(
        leerling=leerling,
        datum=datum,
        dagdeel=dagdeel,
        code=code,
        geregistreerd_door=w.secretariaat,
    )


def test_the_secretariat_chooses_a_class_and_a_day_and_saves_its_half_days(wereld, secretariaat):
    w = wereld
    kiezer = secretariaat.get(reverse("leerlingen:afwezigheden_dag")).content.decode()
    assert "3A" in kiezer and "3X" not in kiezer
    html = secretariaat.get(_url(w.klas_a)).content.decode()
    assert f'for="afw_c_{w.leerling_a.pk}_vm"' in html
    assert "Lotte Peeters, voormiddag" in html
    data = _formulier(html)
    data[f"c_{w.leerling_a.pk}_vm"] = AfwezigheidCode.ATTEST
    antwoord = secretariaat.post(_url(w.klas_a), data)
    assert antwoord.status_code == 302
    assert antwoord["Location"] == _url(w.klas_a)
    a = Afwezigheid.objects.get()
    assert (a.leerling, a.dagdeel, a.code) == (w.leerling_a, VM, AfwezigheidCode.ATTEST)
    pagina = secretariaat.get(antwoord["Location"]).content.decode()
    assert "1 halve dag bewaard." in pagina
    # The page shows what is saved.
    assert re.search(r'<option value="attest" selected', pagina)
    # A second submit of the same form saves nothing twice.
    antwoord = secretariaat.post(_url(w.klas_a), data, follow=True)
    assert "er werd niets dubbel bewaard" in antwoord.content.decode()
    assert Afwezigheid.objects.count() == 1


@pytest.mark.parametrize(
    ("datum", "bericht"),
    [
        ("2026-11-28", "geen school (weekend)"),
        ("2026-11-03", "herfstvakantie"),
        ("2026-12-07", "in de toekomst"),
        ("2026-13-45", "Geef een geldige datum"),
    ],
    ids=["zaterdag", "herfst", "toekomst", "onzin"],
)
def test_a_day_without_school_is_refused_with_a_dutch_message_and_no_form(
    wereld, secretariaat, datum, bericht
):
    antwoord = secretariaat.get(_url(wereld.klas_a, datum))
    html = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert bericht in html
    assert 'data-testid="klasdag"' not in html
    antwoord = secretariaat.post(_url(wereld.klas_a, datum), {})
    assert antwoord.status_code == 200
    assert not Afwezigheid.objects.exists()


def test_a_class_of_another_school_is_refused_like_a_missing_one(wereld, secretariaat):
    html = secretariaat.get(_url(wereld.klas_x)).content.decode()
    assert "Kies een klas uit de lijst." in html


def test_a_half_day_saved_by_someone_else_meanwhile_shows_the_saved_state(wereld, secretariaat):
    w = wereld
    data = _formulier(secretariaat.get(_url(w.klas_a)).content.decode())
    _afwezig(w, w.leerling_a, AfwezigheidCode.OUDERS)
    data[f"c_{w.leerling_a.pk}_vm"] = AfwezigheidCode.ONGEWETTIGD
    antwoord = secretariaat.post(_url(w.klas_a), data)
    html = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert "Iemand anders wijzigde intussen de afwezigheden van Lotte Peeters" in html
    assert re.search(r'<option value="ouders" selected', html)
    assert Afwezigheid.objects.get().code == AfwezigheidCode.OUDERS


@pytest.mark.parametrize("aantal", [5, 30])
def test_the_class_day_page_costs_the_same_for_5_or_30_students(
    wereld, secretariaat, django_assert_max_num_queries, template_queries, aantal
):
    # Guards against a query per student (the absences or versions read per
    # row, the names in the labels) on showing and on saving the class.
    w = wereld
    klas = f.KlasFactory(schooljaar=w.schooljaar, naam="5C")
    leerlingen = [f.leerling_in(klas) for _ in range(aantal)]
    for leerling in leerlingen[::2]:
        _afwezig(w, leerling)
    with django_assert_max_num_queries(30):
        html = secretariaat.get(_url(klas)).content.decode()
    data = _formulier(html)
    for leerling in leerlingen:
        data[f"c_{leerling.pk}_nm"] = AfwezigheidCode.ATTEST
    with django_assert_max_num_queries(40):
        antwoord = secretariaat.post(_url(klas), data)
    assert antwoord.status_code == 302
    assert Afwezigheid.objects.filter(dagdeel=NM).count() == aantal
    assert template_queries == []


def test_the_edit_page_changes_the_code_and_reports_a_conflict_in_dutch(wereld, secretariaat):
    w = wereld
    a = _afwezig(w, w.leerling_a)
    url = reverse("leerlingen:afwezigheid_wijzigen", args=[a.pk])
    antwoord = secretariaat.post(url, {"code": "attest", "notitie": "attest", "versie": 1})
    assert antwoord["Location"] == reverse(
        "leerlingen:leerling_afwezigheden", args=[w.leerling_a.pk]
    )
    antwoord = secretariaat.post(url, {"code": "ouders", "notitie": "", "versie": 1})
    html = antwoord.content.decode()
    assert 'data-testid="conflict"' in html
    assert "gewettigd met doktersattest" in html
    a.refresh_from_db()
    assert a.code == AfwezigheidCode.ATTEST
    # Bad input: a clear message, no 500.
    antwoord = secretariaat.post(url, {"code": "spijbelen", "versie": "x"})
    assert antwoord.status_code == 200
    assert "Kies een geldige code." in antwoord.content.decode()


def test_the_secretariat_removes_a_mistake(wereld, secretariaat):
    w = wereld
    a = _afwezig(w, w.leerling_a)
    antwoord = secretariaat.post(
        reverse("leerlingen:afwezigheid_verwijderen", args=[a.pk]), {"versie": 1}
    )
    assert antwoord.status_code == 302
    assert not Afwezigheid.objects.exists()
    assert AuditEvent.objects.filter(onderwerp="afwezigheid", actie="verwijderen").exists()


# --- who sees what --------------------------------------------------------------------


def _drempel(w):
    return Afwezigheidsdrempel.objects.create(
        leerling=w.leerling_a, schooljaar="2026-09-01", aantal=5, drempel=5
    )


@pytest.mark.parametrize(
    ("rol", "tellingen", "drempel"),
    [
        ("zorgcoordinator", True, True),
        ("directie", True, True),
        ("secretariaat", True, False),
        ("leerkracht", False, False),
        ("titularis", False, False),
        ("beheerder", False, False),
    ],
)
def test_the_student_page_shows_counts_to_the_secretariat_and_the_threshold_to_the_care_team(
    wereld, client_voor, rol, tellingen, drempel
):
    w = wereld
    _afwezig(w, w.leerling_a, AfwezigheidCode.PROBLEMATISCH)
    _drempel(w)
    html = (
        client_voor(w.users[rol])
        .get(reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]))
        .content.decode()
    )
    assert ('data-testid="afwezigheid-tellingen"' in html) is tellingen
    assert ('data-testid="afwezigheid-drempel"' in html) is drempel
    if tellingen:
        assert re.search(r"Problematisch: 1", html)


def test_the_list_shows_the_threshold_to_the_care_team_and_edit_links_to_the_secretariat(
    wereld, client_voor
):
    w = wereld
    a = _afwezig(w, w.leerling_a)
    _drempel(w)
    url = reverse("leerlingen:leerling_afwezigheden", args=[w.leerling_a.pk])
    wijzig = reverse("leerlingen:afwezigheid_wijzigen", args=[a.pk])
    zorg = client_voor(w.zorgcoordinator).get(url).content.decode()
    assert 'data-testid="afwezigheid-drempel"' in zorg and wijzig not in zorg
    secr = client_voor(w.secretariaat).get(url).content.decode()
    assert 'data-testid="afwezigheid-drempel"' not in secr and wijzig in secr


@pytest.mark.parametrize("aantal", [5, 40])
def test_a_student_s_list_costs_the_same_for_5_or_40_absences(
    wereld, client_voor, django_assert_max_num_queries, template_queries, aantal
):
    # Guards against a query per row (the code's label, the recorder, an
    # edit link's permission asked per absence).
    w = wereld
    dagen = Kalender.wettelijk()
    dag = datetime.date(2026, 12, 4)
    for i in range(aantal):
        if i % 2 == 0 and i:
            dag = dagen.schooldagen_eerder(dag, 1)
        _afwezig(w, w.leerling_a, dagdeel=(VM, NM)[i % 2], datum=dag)
    url = reverse("leerlingen:leerling_afwezigheden", args=[w.leerling_a.pk])
    # 40 for either size: most are the session, the menus and the audit.
    with django_assert_max_num_queries(40):
        html = client_voor(w.secretariaat).get(url).content.decode()
    assert html.count("afwezigheden/") >= aantal
    assert template_queries == []
