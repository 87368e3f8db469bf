import csv
import io

import pytest
from django.urls import reverse

from tests import factories as f
from tests.clb.factories import aanmelding
from zorg.audit.models import AuditEvent


def _namen_in_lijst(response) -> set[str]:
    return {f"{ll.voornaam} {ll.achternaam}" for ll in response.context["pagina"].object_list}


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("leerkracht", {"Lotte Peeters"}),
        ("leerkracht_b", {"Noah Janssens"}),
        ("secretariaat", {"Lotte Peeters", "Noah Janssens"}),
        ("buitenstaander", {"Mila Peeters"}),
        ("clb", set()),  # no referrals: see tests/clb/test_bereik.py
        ("clb_ander", set()),
        ("platform", set()),
    ],
)
def test_student_list_contains_exactly_the_permitted_students(wereld, client_voor, rol, verwacht):
    response = client_voor(wereld.users[rol]).get(reverse("leerlingen:leerling_lijst"))
    assert _namen_in_lijst(response) == verwacht


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("leerkracht", {"Lotte Peeters"}),
        ("leerkracht_b", set()),
        ("zorgcoordinator", {"Lotte Peeters"}),
        ("buitenstaander", {"Mila Peeters"}),
        # No referrals: the CLB workers find nobody.
        ("clb", set()),
        ("clb_ander", set()),
    ],
)
def test_search_finds_only_permitted_students(wereld, client_voor, rol, verwacht):
    response = client_voor(wereld.users[rol]).get(
        reverse("leerlingen:leerling_lijst"), {"q": "peeters"}
    )
    assert _namen_in_lijst(response) == verwacht


@pytest.mark.parametrize(
    ("rol", "aangemeld", "verwacht"),
    [
        ("clb", "leerling_a", {"Lotte Peeters"}),
        ("clb", "leerling_x", set()),
        ("clb_ander", "leerling_x", {"Mila Peeters"}),
        ("clb_ander", "leerling_a", set()),
    ],
)
def test_a_clb_worker_finds_only_the_referred_students_of_its_schools(
    wereld, client_voor, rol, aangemeld, verwacht
):
    aanmelding(getattr(wereld, aangemeld), wereld.zorgcoordinator)
    response = client_voor(wereld.users[rol]).get(
        reverse("leerlingen:leerling_lijst"), {"q": "peeters"}
    )
    assert _namen_in_lijst(response) == verwacht


def test_search_by_student_number(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_lijst"), {"q": wereld.leerling_b.leerlingnummer}
    )
    assert _namen_in_lijst(response) == {"Noah Janssens"}


def test_search_of_another_class_finds_nothing_and_says_so(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:leerling_lijst"), {"q": "Janssens"}
    )
    assert _namen_in_lijst(response) == set()
    assert "Geen leerlingen gevonden." in response.content.decode()


def test_htmx_search_returns_only_the_results_partial(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_lijst"),
        {"q": "Lotte"},
        headers={"HX-Request": "true", "HX-Target": "zoekresultaten"},
    )
    html = response.content.decode()
    assert 'id="zoekresultaten"' in html
    assert "<html" not in html
    assert "Lotte" in html


@pytest.mark.parametrize(
    "q",
    ["x" * 10_000, "%", "_", "' OR 1=1 --", "\x00", "🙂", "a b c d e f g h"],
)
def test_odd_search_input_never_errors(wereld, client_voor, q):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_lijst"), {"q": q}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("pagina", ["0", "-1", "abc", "99999", "1e9"])
def test_odd_page_numbers_give_a_page(wereld, client_voor, pagina):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_lijst"), {"pagina": pagina}
    )
    assert response.status_code == 200


def _export_rijen(response) -> list[list[str]]:
    inhoud = b"".join(response).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(inhoud), delimiter=";"))


@pytest.mark.parametrize(
    ("rol", "verwacht"),
    [
        ("zorgcoordinator", {"Peeters", "Janssens"}),
        ("secretariaat", {"Peeters", "Janssens"}),
        ("buitenstaander", {"Peeters"}),
    ],
)
def test_export_contains_exactly_the_permitted_students(wereld, client_voor, rol, verwacht):
    response = client_voor(wereld.users[rol]).get(reverse("leerlingen:leerling_export"))
    rijen = _export_rijen(response)
    assert rijen[0][0] == "School"
    scholen = {r[0] for r in rijen[1:]}
    assert {r[2] for r in rijen[1:]} == verwacht
    assert len(scholen) == 1


def test_export_is_audited_per_student_in_one_insert(
    wereld, client_voor, django_assert_num_queries
):
    for _ in range(30):
        f.leerling_in(wereld.klas_a)
    client = client_voor(wereld.secretariaat)
    client.get(reverse("leerlingen:leerling_export"))  # warm up session and scope
    voor = AuditEvent.objects.filter(actie="exporteren").count()
    # The session's check of the person's memberships (zorg.sessies) shares
    # the access policy's one query.
    with django_assert_num_queries(5) as ctx:
        client.get(reverse("leerlingen:leerling_export"))
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert AuditEvent.objects.filter(actie="exporteren").count() - voor == 32


def test_export_neutralises_spreadsheet_formulas(wereld, client_voor):
    f.leerling_in(wereld.klas_a, voornaam="=HYPERLINK(1)", achternaam="@SUM(A1)")
    rijen = _export_rijen(
        client_voor(wereld.secretariaat).get(reverse("leerlingen:leerling_export"))
    )
    assert ["'@SUM(A1)", "'=HYPERLINK(1)"] in [r[2:4] for r in rijen]


def test_secretariat_sees_no_care_section(wereld, client_voor):
    response = client_voor(wereld.secretariaat).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    html = response.content.decode()
    assert 'data-testid="zorg"' not in html
    assert "Brede basiszorg" not in html
    assert "Sofie Peeters" in html  # administrative data is theirs


def test_subject_teacher_sees_phase_but_not_guardians(wereld, client_voor):
    html = (
        client_voor(wereld.leerkracht)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert "Brede basiszorg" in html
    assert "Sofie Peeters" not in html


def test_class_teacher_sees_guardians(wereld, client_voor):
    html = (
        client_voor(wereld.titularis)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert "Sofie Peeters" in html


def test_class_page_lists_its_students_and_hides_phase_from_secretariat(wereld, client_voor):
    url = reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk])
    html = client_voor(wereld.secretariaat).get(url).content.decode()
    assert "Peeters, Lotte" in html
    assert "Janssens" not in html
    assert "Zorgfase" not in html
    assert "Zorgfase" in client_voor(wereld.titularis).get(url).content.decode()


def test_start_page_shows_a_teachers_classes_only(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(reverse("start"))
    assert [k.naam for k in response.context["mijn_klassen"]] == ["3A"]


def test_unknown_url_gives_the_dutch_404_page(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Niet gevonden" in response.content.decode()
