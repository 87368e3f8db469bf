"""The rollover on the demo school (issue 16, "done when"): the secondary
school moves into its next year and the care coordinator still sees every
care record as it was."""

import io

import pytest
from django.core.management import call_command

from leerlingen.models import Inschrijving, Klas, Leerling, Maatregel
from leerlingen.policies import can_view_zorg, leerlingen_visible_to
from zorg.accounts.models import School, Schooljaar, User
from zorg.beheer import overgang

SEC = "123456"


def _zorgbeeld(school):
    """Every student's phase and every measure's state and dates."""
    return (
        dict(Leerling.objects.filter(school=school).values_list("pk", "zorgfase_id")),
        {
            m[0]: m[1:]
            for m in Maatregel.objects.filter(leerling__school=school).values_list(
                "pk",
                "leerling_id",
                "status",
                "begin",
                "einde",
                "evaluatiedatum",
                "evaluatietermijn",
            )
        },
    )


@pytest.mark.django_db
def test_the_demo_school_moves_up_and_the_care_coordinator_still_sees_every_record():
    call_command("demo", stdout=io.StringIO(), students=60)
    school = School.objects.get(instellingsnummer=SEC)
    zorg = User.objects.get(email="zorg@sint-jozef.example")
    beheerder = User.objects.get(email="beheerder@sint-jozef.example")
    bron = overgang.huidig_schooljaar(school)
    voor = _zorgbeeld(school)
    zichtbaar_voor = set(leerlingen_visible_to(zorg).values_list("pk", flat=True))
    plan = overgang.standaardplan(overgang.bronklassen(bron))
    hoogste = max(k.leerjaar for k in overgang.bronklassen(bron))
    overzicht = overgang.overgang_berekenen(bron, plan)
    assert not overzicht.fouten and overzicht.overgangen and overzicht.vertrekkers

    telling = overgang.overgang_uitvoeren(school=school, plan=plan, nu_huidig=True, door=beheerder)

    nieuw = Schooljaar.objects.get(school=school, is_huidig=True)
    assert nieuw.startjaar == bron.startjaar + 1
    assert telling["inschrijvingen"] == len(overzicht.overgangen)
    assert _zorgbeeld(school) == voor
    zorg = User.objects.get(pk=zorg.pk)
    assert set(leerlingen_visible_to(zorg).values_list("pk", flat=True)) == zichtbaar_voor
    for leerling in Leerling.objects.filter(pk__in=zichtbaar_voor):
        assert can_view_zorg(zorg, leerling)
    # Everyone below the top grade is in a class of the new year now.
    actief = Inschrijving.objects.actief().filter(leerling__school=school)
    assert set(actief.values_list("klas__schooljaar", flat=True)) == {nieuw.pk}
    assert set(actief.values_list("leerling", flat=True)) == {
        b.leerling.pk for b in overzicht.overgangen
    }
    assert not Klas.objects.filter(schooljaar=nieuw, leerjaar__gt=hoogste).exists()
