"""`manage.py toegang_nagaan`: what already points at people who may not see
it is reported, a line per finding, with a failing exit status, and nothing
is deleted."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from klassenraad.models import Actiepunt, Overleg
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_vlaggen import vlag_met
from zorg.meldingen.models import Melding


def _nagaan() -> tuple[str, CommandError | None]:
    uit = io.StringIO()
    try:
        call_command("toegang_nagaan", stdout=uit)
    except CommandError as fout:
        return uit.getvalue(), fout
    return uit.getvalue(), None


def test_clean_data_has_no_findings(wereld):
    cel = kf.overleg(wereld)
    cel.deelnemers.add(wereld.zorgcoordinator, wereld.users["clb"], wereld.leerkracht_b)
    kf.agendapunt(cel, wereld.leerling_a)
    item = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    Melding.objects.create(
        ontvanger=wereld.titularis,
        titel="Je kreeg een actiepunt",
        link=reverse("klassenraad:actiepunt_detail", args=[item.pk]),
    )
    # A notification about no student, to anyone, is no finding.
    Melding.objects.create(ontvanger=wereld.secretariaat, titel="Welkom", link="/")
    uit, fout = _nagaan()
    assert fout is None
    assert "No findings" in uit


def test_old_data_pointing_at_people_who_may_not_see_it_is_reported_not_deleted(wereld):
    cel = kf.overleg(wereld)
    kf.agendapunt(cel, wereld.leerling_a)
    cel.deelnemers.add(wereld.zorgcoordinator, wereld.secretariaat)
    Overleg.objects.create(
        school=wereld.school,
        soort=cel.soort,
        moment=cel.moment,
        voorzitter=wereld.beheerder,
        aangemaakt_door=wereld.zorgcoordinator,
    )
    item = kf.actiepunt(cel, wereld.leerling_a, wereld.secretariaat)
    kf.actiepunt(cel, wereld.leerling_a, wereld.leerkracht_b)  # teaches another class
    kf.actiepunt(cel, wereld.leerling_a, wereld.zorgcoordinator)  # fine
    Melding.objects.create(
        ontvanger=wereld.secretariaat,
        titel="Je kreeg een actiepunt",
        link=reverse("klassenraad:actiepunt_detail", args=[item.pk]),
    )
    Melding.objects.create(
        ontvanger=wereld.beheerder,
        titel="Patroon",
        link=reverse("leerlingen:leerling_vlaggen", args=[wereld.leerling_a.pk]),
    )
    vlag = vlag_met(wereld.leerling_a, klas=wereld.klas_a, gemeld_door=wereld.leerkracht)
    Melding.objects.create(
        ontvanger=wereld.buitenstaander,
        titel="Rode vlag",
        link=reverse("leerlingen:vlag_detail", args=[vlag.pk]),
    )

    uit, fout = _nagaan()

    assert fout is not None and "7 finding(s)" in str(fout)
    regels = uit.strip().splitlines()
    assert len(regels) == 7
    assert sum(r.startswith("action item ") for r in regels) == 2
    assert any("secretariaat@test.example" in r and "action item" in r for r in regels)
    assert any("leerkracht-b@test.example" in r for r in regels)
    assert any("participant secretariaat@test.example" in r for r in regels)
    assert any("chair beheerder@test.example" in r for r in regels)
    assert sum(r.startswith("notification ") for r in regels) == 3
    # Ids and addresses, never a student's name.
    assert "Lotte" not in uit and "Peeters" not in uit
    # Nothing was deleted or changed.
    assert Actiepunt.objects.count() == 3
    assert Melding.objects.count() == 3
    assert cel.deelnemers.count() == 2


@pytest.mark.parametrize("status", [0, 1])
def test_the_exit_status_says_whether_something_was_found(wereld, status):
    if status:
        cel = kf.overleg(wereld)
        kf.actiepunt(cel, wereld.leerling_a, wereld.beheerder)
    _uit, fout = _nagaan()
    assert (fout is not None) == bool(status)
    if fout is not None:
        assert fout.returncode == 1
