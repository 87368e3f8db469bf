"""The role matrix again for the pages of one absence import: of school 1
(the secretariat handles it, tests/invoer/matrix_rijen.AFWEZIGHEDEN) and
of school 2 (no one of the world reaches it, ANDERE_SCHOOL). The role
matrix itself (tests/test_matrix.py) walks a students' import, which is a
404 for the secretariat."""

import pytest
from django.urls import reverse

from tests.conftest import ROLLEN

from .matrix_rijen import AFWEZIGHEDEN, ANDERE_SCHOOL

GEVALLEN = [
    (groep, naam, rol, methode)
    for groep, rijen in (("afwezigheden", AFWEZIGHEDEN), ("andere_school", ANDERE_SCHOOL))
    for naam in rijen
    for rol in ROLLEN
    for methode in ("get", "post")
]


@pytest.mark.parametrize(("groep", "naam", "rol", "methode"), GEVALLEN)
def test_each_role_gets_the_matrix_status_on_an_absence_import(
    wereld, client_voor, groep, naam, rol, methode
):
    rij = (AFWEZIGHEDEN if groep == "afwezigheden" else ANDERE_SCHOOL)[naam]
    kwargs = rij.kwargs(wereld) if rij.kwargs else {}
    url = reverse(naam, kwargs=kwargs)
    response = getattr(client_voor(wereld.users[rol]), methode)(url)
    verwacht = getattr(rij, methode)[rol]
    assert response.status_code == verwacht, (
        f"{methode.upper()} {url} as {rol}: {response.status_code}, expected {verwacht}"
    )
