"""Lists and overviews cost a fixed number of queries, whatever the number of
rows, and templates never query. Each page is measured at 5 and at 200 rows:
the count must be equal and within the ceiling."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from zorg.meldingen.models import Melding

# The session's check of the person's memberships and idle limit
# (zorg.sessies) reuses the one query of the access policy (toegang).
PLAFOND = 9


def _vul_klas(wereld, aantal):
    for _ in range(aantal - 1):  # leerling_a is already in 3A
        leerling = f.leerling_in(wereld.klas_a)
        f.OuderFactory(leerling=leerling)


def _meet(client, url, params=None):
    client.get(url, params)  # session, scope and caches warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGINAS = [
    # (name, role, url builder, params): the N+1 each guards against.
    # Student list: the current class per row (annotated, not a query per row).
    ("leerling_lijst", "zorgcoordinator", lambda w: reverse("leerlingen:leerling_lijst"), None),
    # Teacher's list: the visibility test per row (one EXISTS, not per row).
    ("leerling_lijst", "leerkracht", lambda w: reverse("leerlingen:leerling_lijst"), None),
    # Search: same as the list, with the filter.
    (
        "zoeken",
        "zorgcoordinator",
        lambda w: reverse("leerlingen:leerling_lijst"),
        {"q": "e"},
    ),
    # Class list: the student count per class (aggregated, not a query per class).
    ("klas_lijst", "zorgcoordinator", lambda w: reverse("leerlingen:klas_lijst"), None),
    # Class page: each student's phase (joined, not fetched per row).
    (
        "klas_detail",
        "titularis",
        lambda w: reverse("leerlingen:klas_detail", args=[w.klas_a.pk]),
        None,
    ),
    # Audit log of one student: the user per event (joined).
    (
        "leerling_audit",
        "directie",
        lambda w: reverse("leerlingen:leerling_audit", args=[w.leerling_a.pk]),
        None,
    ),
    # Notifications: one page of the user's own, no per-row lookups.
    ("meldingen", "zorgcoordinator", lambda w: reverse("meldingen:melding_lijst"), None),
]


@pytest.mark.parametrize(("naam", "rol", "url", "params"), PAGINAS)
def test_query_count_does_not_grow_with_rows(wereld, client_voor, naam, rol, url, params):
    client = client_voor(wereld.users[rol])
    _vul_klas(wereld, 5)
    Melding.objects.bulk_create(
        Melding(ontvanger=wereld.zorgcoordinator, titel=f"m{i}") for i in range(5)
    )
    weinig = _meet(client, url(wereld), params)

    _vul_klas(wereld, 200)
    for _ in range(20):
        f.KlasFactory(schooljaar=wereld.schooljaar)
    Melding.objects.bulk_create(
        Melding(ontvanger=wereld.zorgcoordinator, titel=f"m{i}") for i in range(200)
    )
    # More audit events for the audit page.
    for _ in range(3):
        client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    veel = _meet(client, url(wereld), params)

    assert veel == weinig, f"{naam}: {weinig} queries at 5 rows, {veel} at 200"
    assert veel <= PLAFOND, f"{naam}: {veel} queries, ceiling {PLAFOND}"


@pytest.mark.parametrize(("naam", "rol", "url", "params"), PAGINAS)
def test_templates_run_no_queries(wereld, client_voor, template_queries, naam, rol, url, params):
    _vul_klas(wereld, 5)
    Melding.objects.create(ontvanger=wereld.zorgcoordinator, titel="m")
    client = client_voor(wereld.users[rol])
    client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    response = client.get(url(wereld), params)
    assert response.status_code == 200
    assert template_queries == []


def test_student_page_templates_run_no_queries(wereld, client_voor, template_queries):
    client = client_voor(wereld.titularis)
    response = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    assert response.status_code == 200
    assert template_queries == []


def test_the_template_query_detector_detects(wereld, client_voor, template_queries):
    # Guards the fixture: a template that does query must be caught.
    from django.template import Context, Template

    Template("{{ leerlingen.count }}").render(
        Context({"leerlingen": wereld.school.leerlingen.all()})
    )
    assert len(template_queries) == 1
