"""The remediation pages through the client: recording (once, however often
sent), the class list and its query bound, the student's section, editing
with a version conflict, closing with the result."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import Remediering
from tests import factories as f
from tests.leerlingen.factories_remediering import RemedieringFactory
from zorg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

VANDAAG = datetime.date.today()


def _post(wereld, **anders):
    vak = wereld.leerkracht.lesopdrachten.get(klas=wereld.klas_a).vak
    data = {
        "sleutel": "7c4f1f0e-3b0a-4d5e-9c43-2f1b6d0a9e11",
        "niveau": "klas",
        "vak": vak.pk,
        "titel": "Breuken herhalen",
        "nood": "Zwakke toets breuken.",
        "aanpak": "remediering",
        "begin": VANDAAG.isoformat(),
        "aantal_weken": "4",
        "moment": "di 8e lesuur",
        "status": "gepland",
    }
    data.update(anders)
    return data


def test_the_form_asks_for_whom_first_with_the_class_level_preselected(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:remediering_nieuw", args=[wereld.klas_a.pk])
    )
    html = response.content.decode()
    assert html.index("Voor wie?") < html.index("Vak") < html.index("Wat?")
    radio = re.search(r'<input[^>]*name="niveau"[^>]*value="klas"[^>]*>', html)
    assert radio and "checked" in radio.group(0)


def test_a_teacher_records_a_class_remediation_once_however_often_sent(wereld, client_voor):
    client = client_voor(wereld.leerkracht)
    url = reverse("leerlingen:remediering_nieuw", args=[wereld.klas_a.pk])
    eerste = client.post(url, _post(wereld))
    tweede = client.post(url, _post(wereld))
    r = Remediering.objects.get()
    assert eerste.status_code == tweede.status_code == 302
    assert (
        eerste["Location"]
        == tweede["Location"]
        == reverse("leerlingen:remediering_detail", args=[r.pk])
    )
    assert (r.niveau, r.klas, r.door) == ("klas", wereld.klas_a, wereld.leerkracht)


def test_one_student_without_a_student_gets_a_dutch_message_not_an_error(wereld, client_voor):
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:remediering_nieuw", args=[wereld.klas_a.pk]),
        _post(wereld, niveau="leerling"),
    )
    assert response.status_code == 200
    assert "Kies de leerling." in response.content.decode()
    assert not Remediering.objects.exists()


def test_a_teacher_cannot_record_in_a_subject_they_do_not_teach_there(wereld, client_voor):
    frans = f.LesopdrachtFactory(
        klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans")
    ).vak
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:remediering_nieuw", args=[wereld.klas_a.pk]),
        _post(wereld, vak=frans.pk),
    )
    assert response.status_code == 200
    assert "Kies een vak dat je in deze klas geeft." in response.content.decode()


def test_the_class_list_shows_the_class_and_is_audited(wereld, client_voor):
    eigen = RemedieringFactory(
        klas=wereld.klas_a, niveau="leerling", leerling=wereld.leerling_a, titel="Lezen oefenen"
    )
    RemedieringFactory(klas=wereld.klas_b, titel="Andere klas")
    response = client_voor(wereld.titularis).get(
        reverse("leerlingen:klas_remedieringen", args=[wereld.klas_a.pk])
    )
    html = response.content.decode()
    assert "Lezen oefenen" in html and "Andere klas" not in html
    assert AuditEvent.objects.filter(
        onderwerp="klas_remediering", leerling=wereld.leerling_a, gebruiker=wereld.titularis
    ).exists()
    assert eigen.pk


def _vul(wereld, aantal):
    """`aantal` rows, alternately a group of two and one student."""
    for i in range(aantal):
        if i % 2:
            leerling = f.leerling_in(wereld.klas_a)
            RemedieringFactory(klas=wereld.klas_a, niveau="leerling", leerling=leerling)
        else:
            groep = [f.leerling_in(wereld.klas_a), f.leerling_in(wereld.klas_a)]
            RemedieringFactory(klas=wereld.klas_a, niveau="groep", groep=groep)


def _tel(client, url) -> int:
    client.get(url)  # session, scope and caches warm
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_class_list_costs_as_many_queries_for_5_as_for_30_rows(
    wereld, client_voor, django_assert_max_num_queries
):
    # Guards the N+1 of each row's subject, student, author and group
    # members (joined and prefetched once, not fetched per row).
    client = client_voor(wereld.leerkracht)
    url = reverse("leerlingen:klas_remedieringen", args=[wereld.klas_a.pk])
    _vul(wereld, 5)
    vijf = _tel(client, url)
    _vul(wereld, 25)
    with django_assert_max_num_queries(vijf):
        assert client.get(url).status_code == 200
    assert Remediering.objects.filter(klas=wereld.klas_a).count() == 30
    assert vijf <= 12


def test_the_students_section_shows_their_own_and_the_class_level_ones(wereld, client_voor):
    RemedieringFactory(
        klas=wereld.klas_a, niveau="leerling", leerling=wereld.leerling_a, titel="Eigen"
    )
    RemedieringFactory(klas=wereld.klas_a, titel="Voor iedereen")
    html = (
        client_voor(wereld.leerkracht)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert 'data-testid="sectie-remediering"' in html
    assert "Eigen" in html and "Voor iedereen" in html and "In de klas" in html


def test_the_secretariat_sees_no_remediation_on_the_student_page(wereld, client_voor):
    RemedieringFactory(klas=wereld.klas_a, niveau="leerling", leerling=wereld.leerling_a)
    html = (
        client_voor(wereld.secretariaat)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert "sectie-remediering" not in html


def test_an_edit_begun_before_another_is_refused_with_a_dutch_message(wereld, client_voor):
    r = RemedieringFactory(klas=wereld.klas_a, door=wereld.leerkracht, versie=2)
    data = _post(wereld, versie="1", titel="Nieuwe titel", status="lopend")
    data["vak"] = r.vak_id
    response = client_voor(wereld.titularis).post(
        reverse("leerlingen:remediering_bewerken", args=[r.pk]), data
    )
    assert response.status_code == 409
    assert "Iemand anders wijzigde deze remediëring intussen" in response.content.decode()
    r.refresh_from_db()
    assert r.titel != "Nieuwe titel"


def test_closing_records_the_result(wereld, client_voor):
    r = RemedieringFactory(klas=wereld.klas_a, door=wereld.leerkracht)
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:remediering_afsluiten", args=[r.pk]),
        {"resultaat": "deels", "notitie": "Beter", "datum": VANDAAG.isoformat(), "versie": "1"},
    )
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.resultaat) == ("afgerond", "deels")
