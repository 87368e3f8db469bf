"""Issue 15, finding 4: no page of Zorg is kept in a browser's cache on a
shared school PC; only the static files are cacheable. The role matrix
(tests/test_matrix.py) checks the header on every URL for every role; these
tests name the pages the finding named and the exceptions."""

import pytest
from django.templatetags.static import static
from django.urls import reverse

from tests.leerlingen.factories_documenten import document_met_bestand


def _cache_control(response) -> set[str]:
    return {d.strip().lower() for d in response.get("Cache-Control", "").split(",") if d}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_student_page_the_timeline_and_the_csv_export_are_not_stored(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    for url in (
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]),
        reverse("leerlingen:tijdlijn", args=[wereld.leerling_a.pk]),
        reverse("leerlingen:leerling_export"),
        reverse("start"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= _cache_control(response), url
        assert "public" not in _cache_control(response), url


def test_a_stricter_header_a_view_set_is_kept(wereld, client_voor):
    # The CSV export's never_cache (max-age=0, no-cache, must-revalidate) stays.
    response = client_voor(wereld.zorgcoordinator).get(reverse("leerlingen:leerling_export"))
    assert {"no-store", "private", "no-cache", "must-revalidate", "max-age=0"} <= _cache_control(
        response
    )


def test_a_document_download_is_not_stored(wereld, client_voor):
    document = document_met_bestand(leerling=wereld.leerling_a, door=wereld.zorgcoordinator)
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:document_download", args=[wereld.leerling_a.pk, document.pk])
    )
    assert response.status_code == 200
    assert {"no-store", "private"} <= _cache_control(response)


def test_the_login_page_and_a_404_are_not_stored_either(client, wereld, client_voor):
    # The login page carries a CSRF token; an error page may echo the path.
    assert {"no-store", "private"} <= _cache_control(client.get(reverse("account_login")))
    niet_gevonden = client_voor(wereld.leerkracht).get("/bestaat-niet/")
    assert niet_gevonden.status_code == 404
    assert {"no-store", "private"} <= _cache_control(niet_gevonden)


def test_static_files_stay_cacheable(client, wereld, client_voor):
    # WhiteNoise answers before the middleware: signed in or not, a
    # stylesheet may be cached.
    for c in (client, client_voor(wereld.zorgcoordinator)):
        response = c.get(static("css/zorg.css"))
        assert response.status_code == 200
        assert "no-store" not in _cache_control(response)
        assert "private" not in _cache_control(response)
