"""Phase names: the standard names (as seeded per school type) in the
user's language, a name the school changed as written, wherever a phase is
shown (everything renders a phase through `Zorgfase.__str__`)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from leerlingen.models import TijdlijnItem, Zorgfase
from leerlingen.services.zorgfase import zorgfase_wijzigen
from zorg.accounts.models import SchoolType

HERNOEMD = "Fase 1: extra zorg in de klas"


def _fase(nummer, schooltype=SchoolType.SECUNDAIR) -> Zorgfase:
    return Zorgfase.objects.get(schooltype=schooltype, nummer=nummer)


@pytest.mark.parametrize(
    ("schooltype", "nummer", "nl", "en"),
    [
        (SchoolType.SECUNDAIR, 0, "0. Brede basiszorg", "0. Broad basic care"),
        (SchoolType.SECUNDAIR, 1, "1. Verhoogde zorg", "1. Increased care"),
        (SchoolType.BASIS, 2, "2. Uitbreiding van zorg", "2. Extended care"),
        (
            SchoolType.SECUNDAIR,
            3,
            "3. Individueel aangepast curriculum (IAC)",
            "3. Individually adapted curriculum (IAC)",
        ),
        (
            SchoolType.DKO,
            2,
            "2. Individueel aangepast curriculum (IAC)",
            "2. Individually adapted curriculum (IAC)",
        ),
    ],
)
def test_a_standard_phase_name_is_shown_in_the_users_language(db, schooltype, nummer, nl, en):
    fase = _fase(nummer, schooltype)
    with translation.override("nl"):
        assert str(fase) == nl
    with translation.override("en"):
        assert str(fase) == en


def test_a_name_the_school_changed_is_shown_as_written_in_every_language(db):
    Zorgfase.objects.filter(schooltype=SchoolType.SECUNDAIR, nummer=1).update(naam=HERNOEMD)
    fase = _fase(1)
    for taal in ("nl", "en"):
        with translation.override(taal):
            assert fase.weergavenaam == HERNOEMD


def test_a_standard_name_of_another_number_counts_as_the_schools_own(db):
    # "Verhoogde zorg" is phase 1's standard name, not phase 2's.
    Zorgfase.objects.filter(schooltype=SchoolType.SECUNDAIR, nummer=2).update(naam="Verhoogde zorg")
    with translation.override("en"):
        assert _fase(2).weergavenaam == "Verhoogde zorg"


@pytest.fixture
def taal_terug():
    """The requests below leave English active in this thread: put the
    language back for the tests after."""
    with translation.override(translation.get_language()):
        yield


def test_the_english_student_page_shows_standard_names_translated_and_the_schools_own_verbatim(
    wereld, client_voor, taal_terug
):
    Zorgfase.objects.filter(schooltype=SchoolType.SECUNDAIR, nummer=1).update(naam=HERNOEMD)
    wereld.leerling_b.zorgfase = _fase(1)
    wereld.leerling_b.save(update_fields=["zorgfase"])
    client = client_voor(wereld.zorgcoordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    html = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
    assert "0. Broad basic care" in html.content.decode()
    assert "Brede basiszorg" not in html.content.decode()

    html = client.get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_b.pk]))
    assert f"1. {HERNOEMD}" in html.content.decode()

    # The phase change page: the current phase, the choices and the continuum.
    html = client.get(reverse("leerlingen:zorgfase_wijzigen", args=[wereld.leerling_a.pk]))
    pagina = html.content.decode()
    assert f"1. {HERNOEMD}" in pagina
    assert "3. Individually adapted curriculum (IAC)" in pagina
    assert "Individueel aangepast curriculum (IAC)" not in pagina


def test_a_move_made_in_the_english_ui_stores_its_timeline_title_in_dutch(wereld):
    """The timeline keeps text, written in the site's language as every
    stored text is; the English names would otherwise stay in it."""
    with translation.override("en"):
        zorgfase_wijzigen(
            leerling=wereld.leerling_a,
            van=_fase(0),
            naar=_fase(1),
            datum=timezone.localdate(),
            reden="Leest traag.",
            beslist_waar="cel leerlingbegeleiding",
            door=wereld.zorgcoordinator,
        )
    titel = TijdlijnItem.objects.get(soort=TijdlijnItem.Soort.ZORGFASE).titel
    assert titel == "Zorgfase: 0. Brede basiszorg → 1. Verhoogde zorg"
