"""The demo's care-policy reflection and its group director, on any day of
the year (frozen clock on the awkward days): last school year's choices
final, decided then, with actions done, cancelled with a reason and still
open (overdue); this year's a draft for two expectations with actions
ahead; the director and the group director see last year come back."""

import datetime
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from zorg.accounts.models import School, Schooljaar, User
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_plannen
from zorgbeleid.models import Reflectie, Reflectieactie, Verwachting

BRUSSEL = ZoneInfo("Europe/Brussels")
SEC, BAS = "123456", "654321"
DAGEN = {
    "eerste-schooldag": datetime.datetime(2026, 9, 1, 8, 0),
    "oudejaarsavond": datetime.datetime(2026, 12, 31, 23, 30),
    "nieuwjaarsnacht": datetime.datetime(2027, 1, 1, 0, 30),
    "15-juli": datetime.datetime(2027, 7, 15, 9, 0),
    "31-augustus": datetime.datetime(2027, 8, 31, 22, 0),
    "schrikkeldag": datetime.datetime(2028, 2, 29, 12, 0),
}


def _jaren(school) -> tuple[Schooljaar, Schooljaar]:
    huidig = Schooljaar.objects.get(school=school, is_huidig=True)
    vorig = Schooljaar.objects.get(school=school, is_huidig=False)
    return huidig, vorig


@pytest.mark.parametrize("moment", DAGEN.values(), ids=DAGEN.keys())
@pytest.mark.django_db
def test_last_years_choices_are_final_and_this_years_a_draft_on_any_day(moment, client):
    with time_machine.travel(moment.replace(tzinfo=BRUSSEL), tick=False):
        uitvoer = io.StringIO()
        call_command("demo", students=60, stdout=uitvoer)
        assert "12 care-policy reflections" in uitvoer.getvalue()
        nu, vandaag = timezone.now(), timezone.localdate()
        for nummer in (SEC, BAS):
            school = School.objects.get(instellingsnummer=nummer)
            huidig, vorig = _jaren(school)

            # Last year: every expectation, final, decided by the director then.
            vorige = list(Reflectie.objects.filter(schooljaar=vorig).select_related("beslist_door"))
            assert {r.verwachting for r in vorige} == set(Verwachting.values)
            for r in vorige:
                assert r.is_definitief
                assert r.beslist_door.email.startswith("directie@")
                assert vorig.begin <= timezone.localdate(r.beslist_op) <= vorig.einde
                assert r.aangemaakt <= r.beslist_op <= nu
            acties = list(Reflectieactie.objects.filter(reflectie__schooljaar=vorig))
            uitkomsten = Counter(a.uitkomst for a in acties)
            assert uitkomsten["afgerond"] >= 2
            assert uitkomsten["geannuleerd"] >= 2
            assert uitkomsten["te_laat"] >= 2
            assert uitkomsten["open"] == 0  # last year's open actions are all overdue now
            for a in acties:
                assert vorig.begin <= a.vervaldatum <= vorig.einde, a
                if a.status == Reflectieactie.Status.GEANNULEERD:
                    assert a.resultaat  # with the reason
                if a.status != Reflectieactie.Status.OPEN:
                    assert vorig.begin <= timezone.localdate(a.afgehandeld_op) <= vorig.einde
                    assert a.afgehandeld_op <= nu

            # This year: a draft for two of the four, their actions ahead.
            dit_jaar = list(Reflectie.objects.filter(schooljaar=huidig))
            assert len(dit_jaar) == 2
            assert not any(r.is_definitief for r in dit_jaar)
            nieuw = Reflectieactie.objects.filter(reflectie__schooljaar=huidig)
            assert nieuw.exists()
            assert all(a.status == "open" and a.vervaldatum > vandaag for a in nieuw)

        # The director opens this year's reflection and sees last year's
        # choices with what became of their actions.
        sec = School.objects.get(instellingsnummer=SEC)
        huidig, _ = _jaren(sec)
        url = reverse("zorgbeleid:reflectie_overzicht", args=[sec.pk, huidig.pk])
        for email in ("directie@sint-jozef.example", "groepsdirectie@sg-leiedal.example"):
            client.force_login(User.objects.get(email=email))
            pagina = client.get(url)
            assert pagina.status_code == 200, email
            html = pagina.content.decode()
            vorig_deel = html[html.index('data-testid="vorig-jaar"') :]
            assert "Werkgroep studiekeuze opstarten samen met het CLB" in vorig_deel
            assert "te laat" in vorig_deel and "afgerond" in vorig_deel, email

        # The named teacher has a policy action of this year on their start page.
        client.force_login(User.objects.get(email="leerkracht@sint-jozef.example"))
        start = client.get("/")
        assert start.status_code == 200
        assert "Gezondheidsbeleid uitschrijven met de werkgroep welzijn" in start.content.decode()


@pytest.mark.django_db
def test_last_years_open_actions_remind_their_owners_on_the_next_school_day():
    with time_machine.travel(datetime.datetime(2026, 12, 4, 7, 0, tzinfo=BRUSSEL), tick=False):
        call_command("demo", students=60, stdout=io.StringIO())
        sec = School.objects.get(instellingsnummer=SEC)
        herinneringen_plannen(school_id=sec.pk)
        te_laat = set(
            Reflectieactie.objects.achterstallig()
            .filter(reflectie__school=sec)
            .values_list("pk", "eigenaar__email")
        )
        assert te_laat
        assert (
            set(
                Herinnering.objects.filter(
                    soort="beleidsactie_achterstallig", school=sec
                ).values_list("object_id", "ontvanger__email")
            )
            == te_laat
        )
        # A second run that day reminds nobody again.
        assert herinneringen_plannen(school_id=sec.pk, alleen=["beleidsactie_achterstallig"]) == 0
