"""SODA pages: who reaches them, the grid saved cell by cell (htmx) and all
at once (without JavaScript), the class overview, the student section and
the care team's set-up."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import SodaPeriode, SodaScore, TijdlijnItem
from tests import factories as f
from tests.leerlingen.factories_soda import in_het_voorjaar, perioden_maken, score, waarden
from zorg.audit.models import AuditEvent

__all__ = ["in_het_voorjaar"]


@pytest.fixture
def soda(in_het_voorjaar, wereld):
    """The default scale and three periods (Kerstrapport and Paasrapport
    begun), the teacher's assignment in 3A."""
    w = waarden(wereld.school)
    perioden = perioden_maken(wereld.schooljaar)
    lesopdracht = wereld.leerkracht.lesopdrachten.select_related("vak").get()
    return {"w": w, "perioden": perioden, "lesopdracht": lesopdracht, "wereld": wereld}


def _rooster(klas):
    return reverse("leerlingen:soda_invullen", args=[klas.pk])


def _cel(klas):
    return reverse("leerlingen:soda_cel", args=[klas.pk])


def _celpost(soda, leerling, criterium, waarde):
    return {
        "periode": soda["perioden"][0].pk,
        "lesopdracht": soda["lesopdracht"].pk,
        "leerling": leerling.pk,
        "criterium": criterium,
        f"c-{leerling.pk}-{criterium}": waarde,
    }


# --- who ------------------------------------------------------------------------------


def test_a_teacher_of_another_class_gets_404_on_the_grid_and_the_cell(soda, client_voor):
    wereld = soda["wereld"]
    client = client_voor(wereld.leerkracht_b)
    assert client.get(_rooster(wereld.klas_a)).status_code == 404
    gegevens = _celpost(soda, wereld.leerling_a, "orde", soda["w"]["3"].pk)
    assert client.post(_cel(wereld.klas_a), gegevens, HTTP_HX_REQUEST="true").status_code == 404
    assert not SodaScore.objects.exists()


def test_the_secretariat_gets_404_on_the_class_overview_and_no_section(soda, client_voor):
    wereld = soda["wereld"]
    score(wereld.leerling_a, soda["perioden"][0], soda["lesopdracht"], soda["w"]["3"])
    client = client_voor(wereld.secretariaat)
    assert client.get(reverse("leerlingen:soda_klas", args=[wereld.klas_a.pk])).status_code == 404
    pagina = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    assert pagina.status_code == 200
    assert 'data-testid="sectie-soda"' not in pagina.content.decode()


def test_the_class_teacher_reads_the_section_on_the_student_page(soda, client_voor):
    wereld = soda["wereld"]
    score(wereld.leerling_a, soda["perioden"][0], soda["lesopdracht"], soda["w"]["2"])
    pagina = client_voor(wereld.titularis).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    html = pagina.content.decode()
    assert 'data-testid="sectie-soda"' in html
    assert "Kerstrapport" in html
    assert "soda" in AuditEvent.objects.filter(onderwerp="leerling").latest("pk").omschrijving


def test_the_class_page_links_the_grid_for_the_teacher_and_the_overview_for_the_class_teacher(
    soda, client_voor
):
    wereld = soda["wereld"]
    url = reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk])
    leerkracht = client_voor(wereld.leerkracht).get(url).content.decode()
    assert _rooster(wereld.klas_a) in leerkracht
    overzicht = 'href="' + reverse("leerlingen:soda_klas", args=[wereld.klas_a.pk]) + '"'
    assert overzicht not in leerkracht
    titularis = client_voor(wereld.titularis).get(url).content.decode()
    assert _rooster(wereld.klas_a) not in titularis
    assert overzicht in titularis


def test_the_start_page_links_the_grid_once_a_period_began_and_the_overview_for_the_class_teacher(
    in_het_voorjaar, wereld, client_voor
):
    rooster = 'href="' + _rooster(wereld.klas_a) + '"'
    overzicht = 'href="' + reverse("leerlingen:soda_klas", args=[wereld.klas_a.pk]) + '"'
    leerkracht = client_voor(wereld.leerkracht)
    # No period yet: nothing to fill in.
    assert rooster not in leerkracht.get(reverse("start")).content.decode()

    perioden_maken(wereld.schooljaar)
    start = leerkracht.get(reverse("start")).content.decode()

    assert rooster in start and overzicht not in start
    assert leerkracht.get(_rooster(wereld.klas_a)).status_code == 200
    titularis = client_voor(wereld.titularis)
    start = titularis.get(reverse("start")).content.decode()
    assert overzicht in start and rooster not in start
    klasoverzicht = titularis.get(reverse("leerlingen:soda_klas", args=[wereld.klas_a.pk]))
    assert klasoverzicht.status_code == 200


# --- the grid -------------------------------------------------------------------------


def test_the_grid_shows_the_current_period_and_the_saved_values(soda, client_voor):
    wereld = soda["wereld"]
    paas = soda["perioden"][1]
    score(wereld.leerling_a, paas, soda["lesopdracht"], soda["w"]["2"])
    html = client_voor(wereld.leerkracht).get(_rooster(wereld.klas_a)).content.decode()
    # Paasrapport is the latest period that has begun; the Eindrapport is
    # not offered yet.
    assert re.search(rf'<option value="{paas.pk}" selected>Paasrapport', html)
    assert "Eindrapport" not in html
    assert f'<option value="{soda["w"]["2"].pk}" selected>' in html
    assert 'hx-post="' + _cel(wereld.klas_a) in html
    assert AuditEvent.objects.filter(onderwerp="soda-rooster", leerling=wereld.leerling_a).exists()


def test_a_cell_saved_with_htmx_answers_with_a_saved_mark(soda, client_voor):
    wereld = soda["wereld"]
    gegevens = _celpost(soda, wereld.leerling_a, "orde", soda["w"]["3"].pk)
    response = client_voor(wereld.leerkracht).post(
        _cel(wereld.klas_a), gegevens, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "bewaard" in html
    # The page's original becomes the saved value: the grid's button will
    # not write this cell again.
    assert f'name="o-{wereld.leerling_a.pk}-orde" value="{soda["w"]["3"].pk}"' in html
    assert SodaScore.objects.get().orde == soda["w"]["3"]
    assert TijdlijnItem.objects.filter(soort=TijdlijnItem.Soort.SODA).count() == 1


@pytest.mark.parametrize("waarde", ["999999", "drie", "1; DROP TABLE"])
def test_a_bad_value_in_a_cell_gets_a_dutch_message_and_saves_nothing(soda, client_voor, waarde):
    wereld = soda["wereld"]
    gegevens = _celpost(soda, wereld.leerling_a, "orde", waarde)
    response = client_voor(wereld.leerkracht).post(
        _cel(wereld.klas_a), gegevens, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Kies een waarde van de schaal." in response.content.decode()
    assert not SodaScore.objects.exists()


def test_a_cell_for_a_student_of_another_class_gets_a_dutch_message(soda, client_voor):
    wereld = soda["wereld"]
    gegevens = _celpost(soda, wereld.leerling_b, "orde", soda["w"]["3"].pk)
    response = client_voor(wereld.leerkracht).post(
        _cel(wereld.klas_a), gegevens, HTTP_HX_REQUEST="true"
    )
    assert "zit niet (meer) in deze klas" in response.content.decode()
    assert not SodaScore.objects.exists()


def test_a_cell_of_a_period_that_has_not_begun_is_a_404(soda, client_voor):
    wereld = soda["wereld"]
    gegevens = _celpost(soda, wereld.leerling_a, "orde", soda["w"]["3"].pk)
    gegevens["periode"] = soda["perioden"][2].pk
    response = client_voor(wereld.leerkracht).post(
        _cel(wereld.klas_a), gegevens, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404


def _rooster_post(soda, leerling, oud: dict, nieuw: dict) -> dict:
    gegevens = {"periode": soda["perioden"][0].pk, "lesopdracht": soda["lesopdracht"].pk}
    for criterium in ("stiptheid", "orde", "discipline", "attitude"):
        gegevens[f"o-{leerling.pk}-{criterium}"] = oud.get(criterium, "")
        gegevens[f"c-{leerling.pk}-{criterium}"] = nieuw.get(criterium, oud.get(criterium, ""))
    return gegevens


def test_the_button_saves_the_whole_grid_without_javascript(soda, client_voor):
    wereld = soda["wereld"]
    w = soda["w"]
    gegevens = _rooster_post(
        soda, wereld.leerling_a, {}, {"orde": w["3"].pk, "attitude": w["1"].pk}
    )
    response = client_voor(wereld.leerkracht).post(_rooster(wereld.klas_a), gegevens)
    assert response.status_code == 302
    rij = SodaScore.objects.get()
    assert (rij.orde, rij.attitude, rij.stiptheid) == (w["3"], w["1"], None)


def test_the_button_does_not_overwrite_a_cell_saved_meanwhile_in_another_tab(soda, client_voor):
    wereld = soda["wereld"]
    w = soda["w"]
    # The page showed orde empty; in another tab the teacher saved orde 4.
    score(wereld.leerling_a, soda["perioden"][0], soda["lesopdracht"], None, orde=w["4"])
    gegevens = _rooster_post(soda, wereld.leerling_a, {}, {"attitude": w["3"].pk})
    client_voor(wereld.leerkracht).post(_rooster(wereld.klas_a), gegevens)
    rij = SodaScore.objects.get()
    assert (rij.orde, rij.attitude) == (w["4"], w["3"])


def test_a_bad_value_on_the_grid_shows_the_form_again_with_a_dutch_message(soda, client_voor):
    wereld = soda["wereld"]
    gegevens = _rooster_post(soda, wereld.leerling_a, {}, {"orde": "zes"})
    response = client_voor(wereld.leerkracht).post(_rooster(wereld.klas_a), gegevens)
    assert response.status_code == 200
    assert "Kies een waarde van de schaal." in response.content.decode()
    assert not SodaScore.objects.exists()


def _meet(client, url) -> tuple[int, object]:
    client.get(url)  # session, scope and caches warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _klas_vullen(soda, aantal):
    wereld = soda["wereld"]
    vakken = [
        f.LesopdrachtFactory(klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam=n))
        for n in ("Frans", "Engels")
    ] + [soda["lesopdracht"]]
    for i in range(aantal - 1):
        leerling = f.leerling_in(wereld.klas_a)
        for periode in soda["perioden"][:2]:
            for opdracht in vakken:
                score(leerling, periode, opdracht, soda["w"][str(1 + i % 4)])


@pytest.mark.parametrize(
    ("naam", "rol"),
    [
        # The grid: each student's saved score (one query for all, not one
        # per row) and the scale once.
        ("soda_invullen", "leerkracht"),
        # The overview: every student's scores in every period and subject
        # (one query), the subject names joined, the scale once.
        ("soda_klas", "titularis"),
    ],
)
def test_the_grid_and_the_overview_cost_the_same_queries_for_5_and_30_students(
    soda, client_voor, django_assert_max_num_queries, naam, rol
):
    wereld = soda["wereld"]
    url = reverse(f"leerlingen:{naam}", args=[wereld.klas_a.pk])
    client = client_voor(wereld.users[rol])
    _klas_vullen(soda, 5)
    weinig, _response = _meet(client, url)
    _klas_vullen(soda, 26)
    veel, response = _meet(client, url)
    assert response.content.decode().count("<tr>") >= 30
    assert veel == weinig
    # The user's scope and classes, the class, the assignments, the periods,
    # the scale and its values, the students, the scores, the audit INSERT,
    # and the session's own: 13 at most, whatever the class's size.
    with django_assert_max_num_queries(13):
        client.get(url)


# --- the class overview -----------------------------------------------------------------


def test_the_overview_shows_the_scores_per_subject_the_median_and_the_trend(soda, client_voor):
    wereld = soda["wereld"]
    w = soda["w"]
    kerst, paas = soda["perioden"][:2]
    frans = f.LesopdrachtFactory(
        klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans")
    )
    score(wereld.leerling_a, kerst, soda["lesopdracht"], w["3"], orde=w["2"])
    score(wereld.leerling_a, kerst, frans, w["4"], orde=w["1"])
    score(wereld.leerling_a, paas, frans, w["3"])
    url = reverse("leerlingen:soda_klas", args=[wereld.klas_a.pk])
    html = client_voor(wereld.zorgcoordinator).get(url, {"periode": kerst.pk}).content.decode()
    assert "Frans 1" in html and "Wiskunde 2" in html
    # Kerstrapport: orde 1 and 2 (the lower median 1, low); trend per period.
    assert "S 3 · O 1 · D 3 · A 3" in html
    assert "S 3 · O 3 · D 3 · A 3" in html
    assert "<svg" in html
    assert AuditEvent.objects.filter(onderwerp="soda-klas", leerling=wereld.leerling_a).exists()


def test_an_unknown_period_on_the_overview_is_a_404(soda, client_voor):
    wereld = soda["wereld"]
    url = reverse("leerlingen:soda_klas", args=[wereld.klas_a.pk])
    client = client_voor(wereld.titularis)
    assert client.get(url, {"periode": soda["perioden"][2].pk}).status_code == 404
    assert client.get(url, {"periode": "x"}).status_code == 404


# --- the set-up ---------------------------------------------------------------------


def test_the_care_coordinator_adds_a_period_once_however_often_the_form_is_sent(soda, client_voor):
    wereld = soda["wereld"]
    url = reverse("leerlingen:soda_instellingen", args=[wereld.school.pk])
    client = client_voor(wereld.zorgcoordinator)
    html = client.get(url).content.decode()
    sleutel = re.search(r'name="sleutel" value="([^"]+)"', html).group(1)
    jaar = wereld.schooljaar
    gegevens = {
        "naam": "Zomerrapport",
        "begin": f"{jaar.begin.year + 1}-07-01",
        "einde": f"{jaar.begin.year + 1}-07-31",
        "sleutel": sleutel,
    }
    assert client.post(url, gegevens).status_code == 302
    assert client.post(url, gegevens).status_code == 302
    assert SodaPeriode.objects.filter(naam="Zomerrapport").count() == 1


def test_an_overlapping_period_gets_a_dutch_message(soda, client_voor):
    wereld = soda["wereld"]
    url = reverse("leerlingen:soda_instellingen", args=[wereld.school.pk])
    client = client_voor(wereld.zorgcoordinator)
    html = client.get(url).content.decode()
    sleutel = re.search(r'name="sleutel" value="([^"]+)"', html).group(1)
    jaar = wereld.schooljaar
    gegevens = {
        "naam": "Extra",
        "begin": f"{jaar.begin.year}-12-01",
        "einde": f"{jaar.begin.year}-12-10",
        "sleutel": sleutel,
    }
    response = client.post(url, gegevens)
    assert response.status_code == 200
    assert "overlapt met Kerstrapport" in response.content.decode()


def test_two_edits_of_a_period_from_the_same_version_show_a_conflict(soda, client_voor):
    wereld = soda["wereld"]
    kerst = soda["perioden"][0]
    url = reverse("leerlingen:soda_periode", args=[kerst.pk])
    client = client_voor(wereld.zorgcoordinator)
    gegevens = {
        "naam": "Rapport 1",
        "begin": kerst.begin.isoformat(),
        "einde": kerst.einde.isoformat(),
        "versie": kerst.versie,
    }
    assert client.post(url, gegevens).status_code == 302
    response = client.post(url, {**gegevens, "naam": "Rapport A"})
    assert response.status_code == 200
    assert "Iemand anders wijzigde deze periode intussen." in response.content.decode()
    assert SodaPeriode.objects.get(pk=kerst.pk).naam == "Rapport 1"


def test_the_scale_page_saves_a_new_scale(soda, client_voor):
    wereld = soda["wereld"]
    url = reverse("leerlingen:soda_schaal", args=[wereld.school.pk])
    client = client_voor(wereld.directie)
    gegevens = {"versie": 1}
    for i, (code, label, laag) in enumerate(
        [("1", "slecht", True), ("2", "matig", False), ("3", "goed", False), ("4", "top", False)]
    ):
        gegevens.update({f"code_{i}": code, f"label_{i}": label, f"omschrijving_{i}": ""})
        if laag:
            gegevens[f"laag_{i}"] = "on"
    assert client.post(url, gegevens).status_code == 302
    assert soda["w"]["2"].__class__.objects.get(pk=soda["w"]["2"].pk).label == "matig"


def test_a_scale_with_a_low_value_above_a_good_one_gets_a_dutch_message(soda, client_voor):
    wereld = soda["wereld"]
    url = reverse("leerlingen:soda_schaal", args=[wereld.school.pk])
    gegevens = {
        "versie": 1,
        "code_0": "1",
        "label_0": "slecht",
        "code_1": "2",
        "label_1": "matig",
        "laag_1": "on",
    }
    response = client_voor(wereld.zorgcoordinator).post(url, gegevens)
    assert response.status_code == 200
    assert "De lage waarden staan onderaan de schaal" in response.content.decode()
