"""Reminders of the actions of the team's reflection, as of a meeting's
action items: on named days of 2026-2027 under a frozen clock, to the owner
the school day before and once overdue, to the care coordinators after the
school's escalation days; once each, on school days, as each person chose
to hear of it, naming nothing but the action."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests import factories as f
from tests.datums import lokaal
from zorg.accounts.models import Lidmaatschap
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_plannen
from zorg.meldingen.models import Melding, Voorkeur
from zorg.meldingen.soorten import Modus
from zorgbeleid import services
from zorgbeleid.models import Keuze, Reflectieactie, Verwachting

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")
D = datetime.date
MORGEN, ACHTERSTALLIG, ESCALATIE = (
    "beleidsactie_morgen",
    "beleidsactie_achterstallig",
    "beleidsactie_escalatie",
)


def _reflectie(w, schooljaar=None):
    return services.reflectie_bewaren(
        schooljaar=schooljaar or w.schooljaar,
        verwachting=Verwachting.SAMEN,
        keuze=Keuze.VERSTERKEN,
        redenering="Ouders horen te laat wat de school afspreekt.",
        versie=None,
        door=w.zorgcoordinator,
    )


def _actie(reflectie, eigenaar, vervaldatum, omschrijving="Oudercontact herwerken", **extra):
    return Reflectieactie.objects.create(
        reflectie=reflectie,
        omschrijving=omschrijving,
        eigenaar=eigenaar,
        vervaldatum=vervaldatum,
        aangemaakt_door=reflectie.aangemaakt_door,
        **extra,
    )


def _draai(w, *dag_en_uur, school=None):
    with time_machine.travel(lokaal(*dag_en_uur), tick=False):
        return herinneringen_plannen(school_id=(school or w.school).pk)


def _ontvangers(soort, object_id=None):
    rijen = Herinnering.objects.filter(soort=soort)
    if object_id is not None:
        rijen = rijen.filter(object_id=object_id)
    return set(rijen.values_list("ontvanger__email", flat=True))


def test_an_action_is_reminded_the_day_before_when_overdue_and_when_long_overdue(wereld):
    w = wereld
    reflectie = _reflectie(w)
    # Due Monday 7 December: reminded on Friday 4 December, the school day before.
    morgen = _actie(reflectie, w.leerkracht, D(2026, 12, 7))
    # Due Tuesday 1 December: overdue; three school days later (the school's
    # setting, Friday 4 December) also to the care coordinators.
    laat = _actie(reflectie, w.titularis, D(2026, 12, 1))
    assert w.school.achterstallig_escalatie_dagen == 3
    _draai(w, 2026, 12, 3, 7)
    assert _ontvangers(ACHTERSTALLIG, laat.pk) == {w.titularis.email}
    assert _ontvangers(ESCALATIE) == set()
    assert _ontvangers(MORGEN) == set()
    _draai(w, 2026, 12, 4, 7)
    assert _ontvangers(MORGEN, morgen.pk) == {w.leerkracht.email}
    assert _ontvangers(ESCALATIE, laat.pk) == {w.zorgcoordinator.email}
    assert Herinnering.objects.filter(soort=ACHTERSTALLIG).count() == 1
    # Later runs that day and after remind nobody twice.
    assert _draai(w, 2026, 12, 4, 15) == 0
    assert _draai(w, 2026, 12, 9, 7) == 1  # only `morgen`, now overdue itself
    assert _ontvangers(ACHTERSTALLIG, morgen.pk) == {w.leerkracht.email}
    assert _draai(w, 2026, 12, 9, 16) == 0


def test_the_escalation_follows_the_schools_setting(wereld):
    w = wereld
    w.school.achterstallig_escalatie_dagen = 1
    w.school.save()
    laat = _actie(_reflectie(w), w.titularis, D(2026, 12, 3))  # a Thursday
    _draai(w, 2026, 12, 4, 7)
    assert _ontvangers(ESCALATIE, laat.pk) == {w.zorgcoordinator.email}


def test_the_notification_names_the_action_and_nothing_else_and_its_link_opens(wereld, client_voor):
    w = wereld
    actie = _actie(_reflectie(w), w.leerkracht, D(2026, 12, 7), omschrijving="Visietekst " * 40)
    _draai(w, 2026, 12, 4, 7)
    (melding,) = Melding.objects.filter(soort=MORGEN)
    assert melding.ontvanger == w.leerkracht
    assert melding.school_id == w.school.pk
    assert melding.titel.startswith("Actie zorgbeleid morgen te doen: Visietekst")
    assert len(melding.titel) <= 200
    assert melding.tekst == "Tegen 07/12/2026."
    for naam in (w.leerling_a.voornaam, w.leerling_a.achternaam, "Ouders horen"):
        assert naam not in melding.titel + melding.tekst
    assert melding.link == reverse("zorgbeleid:actie_detail", args=[actie.pk])
    assert client_voor(w.leerkracht).get(melding.link).status_code == 200


def test_each_owner_hears_of_it_as_they_chose(wereld):
    w = wereld
    reflectie = _reflectie(w)
    _actie(reflectie, w.leerkracht, D(2026, 12, 1))
    _actie(reflectie, w.titularis, D(2026, 12, 1))
    _actie(reflectie, w.users["secretariaat"], D(2026, 12, 1))
    Voorkeur.objects.create(user=w.leerkracht, soort=ACHTERSTALLIG, modus=Modus.IN_APP)
    Voorkeur.objects.create(user=w.titularis, soort=ACHTERSTALLIG, modus=Modus.DIRECT)
    _draai(w, 2026, 12, 2, 7)
    kanaal = {
        m.ontvanger.email: (m.email_gevraagd, m.voor_samenvatting)
        for m in Melding.objects.filter(soort=ACHTERSTALLIG).select_related("ontvanger")
    }
    assert kanaal == {
        w.leerkracht.email: (False, False),  # in Zorg only
        w.titularis.email: (True, False),  # an e-mail at once
        w.users["secretariaat"].email: (False, True),  # the default: the daily summary
    }


def test_done_and_cancelled_actions_are_not_reminded(wereld):
    w = wereld
    reflectie = _reflectie(w)
    for status, vervaldatum in (
        (Reflectieactie.Status.AFGEROND, D(2026, 12, 7)),  # would be "tomorrow"
        (Reflectieactie.Status.GEANNULEERD, D(2026, 12, 1)),  # would be long overdue
    ):
        actie = _actie(reflectie, w.leerkracht, vervaldatum)
        services.reflectieactie_afhandelen(
            actie=actie,
            status=status,
            resultaat="Niet meer nodig",
            versie=actie.versie,
            door=w.directie,
        )
    assert _draai(w, 2026, 12, 4, 7) == 0
    assert not Melding.objects.filter(soort__startswith="beleidsactie").exists()


def test_an_owner_who_left_the_staff_is_not_reminded_but_the_coordinators_still_are(wereld):
    w = wereld
    laat = _actie(_reflectie(w), w.leerkracht, D(2026, 12, 1))
    Lidmaatschap.objects.filter(user=w.leerkracht, school=w.school).update(actief=False)
    _draai(w, 2026, 12, 4, 7)
    assert _ontvangers(ACHTERSTALLIG) == set()
    assert _ontvangers(ESCALATIE, laat.pk) == {w.zorgcoordinator.email}


def test_no_reminders_in_the_holidays_and_the_day_before_comes_before_them(wereld):
    w = wereld
    reflectie = _reflectie(w)
    # Due on Monday 4 January, the first school day after the Christmas holiday.
    na_kerst = _actie(reflectie, w.leerkracht, D(2027, 1, 4))
    laat = _actie(reflectie, w.titularis, D(2026, 12, 28))  # due in the holiday
    assert _draai(w, 2026, 12, 17, 7) == 0
    assert _draai(w, 2026, 12, 28, 9) == 0  # a holiday: no reminders at all
    assert _draai(w, 2026, 12, 31, 23) == 0
    _draai(w, 2026, 12, 18, 7)  # the last school day before it
    assert _ontvangers(MORGEN, na_kerst.pk) == {w.leerkracht.email}
    assert _ontvangers(ACHTERSTALLIG) == set()
    _draai(w, 2027, 1, 4, 7)
    assert _ontvangers(ACHTERSTALLIG, laat.pk) == {w.titularis.email}
    assert _ontvangers(MORGEN, na_kerst.pk) == {w.leerkracht.email}


def test_last_years_action_still_open_is_reminded_as_overdue(wereld):
    w = wereld
    vorig = _reflectie(w, schooljaar=w.vorig_schooljaar)
    oud = _actie(vorig, w.leerkracht, D(2026, 6, 15))
    _draai(w, 2026, 12, 4, 7)
    assert _ontvangers(ACHTERSTALLIG, oud.pk) == {w.leerkracht.email}
    assert _ontvangers(ESCALATIE, oud.pk) == {w.zorgcoordinator.email}


def test_a_schools_run_reminds_only_of_its_own_actions(wereld):
    w = wereld
    _actie(_reflectie(w), w.leerkracht, D(2026, 12, 1))
    jaar2 = w.school2.schooljaren.get(is_huidig=True)
    ander = services.reflectie_bewaren(
        schooljaar=jaar2,
        verwachting=Verwachting.VISIE,
        keuze=Keuze.BEHOUDEN,
        redenering="Werkt.",
        versie=None,
        door=w.users["buitenstaander"],
    )
    _actie(ander, w.users["buitenstaander"], D(2026, 12, 1))
    assert _draai(w, 2026, 12, 4, 7, school=w.school2) == 2  # overdue, escalated
    assert set(Herinnering.objects.values_list("school_id", flat=True)) == {w.school2.pk}
    assert _ontvangers(ACHTERSTALLIG) == {w.users["buitenstaander"].email}


def test_the_kinds_are_offered_on_the_preferences_page_to_staff_only(wereld):
    from zorg.meldingen.policies import soorten_voor

    w = wereld
    codes = {s.code for s in soorten_voor(w.users["secretariaat"])}
    assert {MORGEN, ACHTERSTALLIG} <= codes
    assert ESCALATIE not in codes
    assert ESCALATIE in {s.code for s in soorten_voor(w.zorgcoordinator)}
    assert not {MORGEN, ACHTERSTALLIG} & {s.code for s in soorten_voor(f.UserFactory())}
