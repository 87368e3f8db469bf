"""The school's settings page: who may change it, what a change records,
bad input, and two people saving at once."""

import datetime
import re

import pytest
from django.urls import reverse

from tests import factories as f
from zorg.accounts.models import Rol, School
from zorg.audit.models import AuditEvent

GELDIG = {
    "zorgcel_weekdag": "1",
    "zorgcel_uur": "12:30",
    "agenda_voorselectie": "12",
    "evaluatieperiode_weken": "6",
    "patroon_aantal": "4",
    "patroon_dagen": "21",
    "patroon_kleuren": ["geel", "oranje", "rood"],
    "escalatie_minuten": "90",
    "herinnering_evaluatie_dagen": "3",
    "herinnering_doel_dagen": "1",
    "achterstallig_escalatie_dagen": "5",
    "digest_uur": "07:30",
    "sessie_inactief_minuten": "20",
    "afwezigheid_drempel": "6",
    "portaal_aan": "on",
    "bewaring_schooljaren": "2",
}


def _url(school):
    return reverse("beheer:instellingen", args=[school.pk])


def _gegevens(school, **anders):
    return {**GELDIG, "versie": str(school.versie), **anders}


@pytest.mark.parametrize("rol", ["beheerder", "zorgcoordinator"])
def test_the_administrator_and_the_care_coordinator_change_the_settings(wereld, client, rol):
    school = wereld.school
    client.force_login(wereld.users[rol])
    antwoord = client.post(_url(school), _gegevens(school), follow=True)
    assert "De instellingen zijn bewaard." in antwoord.content.decode()
    school.refresh_from_db()
    assert school.zorgcel_weekdag == 1
    assert school.zorgcel_uur == datetime.time(12, 30)
    assert school.patroon_aantal == 4
    assert school.patroon_kleuren == ["geel", "oranje", "rood"]
    assert school.escalatie_minuten == 90
    assert school.digest_uur == datetime.time(7, 30)
    assert school.sessie_inactief_minuten == 20
    assert school.afwezigheid_drempel == 6
    assert school.portaal_aan is True
    assert school.bewaring_schooljaren == 2
    assert school.versie == 2
    event = AuditEvent.objects.get(onderwerp="schoolinstellingen")
    assert event.gebruiker == wereld.users[rol]
    assert event.school_id == school.pk
    assert set(event.velden) == set(GELDIG)  # every setting differed from its default


def test_saving_unchanged_settings_writes_and_audits_nothing(wereld, client):
    school = wereld.school
    client.force_login(wereld.users["beheerder"])
    client.post(_url(school), _gegevens(school))
    school.refresh_from_db()
    antwoord = client.post(_url(school), _gegevens(school), follow=True)
    assert "Er was niets gewijzigd." in antwoord.content.decode()
    assert AuditEvent.objects.filter(onderwerp="schoolinstellingen").count() == 1
    assert School.objects.get(pk=school.pk).versie == 2


def test_the_director_reads_the_settings_but_cannot_save_them(wereld, client):
    school = wereld.school
    client.force_login(wereld.users["directie"])
    pagina = client.get(_url(school)).content.decode()
    assert "Instellingen bewaren" not in pagina
    assert re.search(r'<input[^>]*name="patroon_aantal"[^>]*disabled', pagina)
    assert client.post(_url(school), _gegevens(school)).status_code == 404
    assert School.objects.get(pk=school.pk).versie == 1


@pytest.mark.parametrize(
    ("veld", "waarde", "melding"),
    [
        ("patroon_aantal", "1", "Zorg ervoor dat deze waarde minstens 2 is."),
        ("patroon_aantal", "veel", "Voer een geheel getal in."),
        ("patroon_kleuren", [], "Kies minstens één kleur."),
        ("patroon_kleuren", ["groen"], "groen is geen beschikbare keuze."),
        ("escalatie_minuten", "5", "Zorg ervoor dat deze waarde minstens 15 is."),
        ("digest_uur", "25:00", "Voer een geldige tijd in."),
        ("zorgcel_weekdag", "6", "6 is geen beschikbare keuze."),
        ("zorgcel_weekdag", "", "Kies de dag waarop de cel samenkomt."),
        ("agenda_voorselectie", "0", "Zorg ervoor dat deze waarde minstens 1 is."),
        ("sessie_inactief_minuten", "14", "Zorg ervoor dat deze waarde minstens 15 is."),
        ("sessie_inactief_minuten", "61", "Zorg ervoor dat deze waarde hoogstens 60 is."),
        ("afwezigheid_drempel", "0", "Zorg ervoor dat deze waarde minstens 1 is."),
        ("afwezigheid_drempel", "61", "Zorg ervoor dat deze waarde hoogstens 60 is."),
    ],
)
def test_bad_input_is_refused_in_dutch_and_saves_nothing(wereld, client, veld, waarde, melding):
    school = wereld.school
    client.force_login(wereld.users["zorgcoordinator"])
    antwoord = client.post(_url(school), _gegevens(school, **{veld: waarde}))
    assert antwoord.status_code == 200
    assert melding in antwoord.content.decode()
    school.refresh_from_db()
    assert school.versie == 1
    assert not AuditEvent.objects.filter(onderwerp="schoolinstellingen").exists()


def test_a_second_save_from_an_old_page_shows_the_conflict_and_overwrites_nothing(wereld, client):
    school = wereld.school
    beheerder, zorgcoordinator = wereld.users["beheerder"], wereld.users["zorgcoordinator"]
    client.force_login(beheerder)
    client.post(_url(school), _gegevens(school, patroon_aantal="5"))
    # The care coordinator had the page open at version 1.
    client.force_login(zorgcoordinator)
    antwoord = client.post(_url(school), _gegevens(school, patroon_aantal="7"))
    pagina = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert 'data-testid="conflict"' in pagina
    assert "vlaggen voor een patroon" in pagina.lower()
    school.refresh_from_db()
    assert school.patroon_aantal == 5
    assert school.versie == 2
    # The form keeps the input and now carries the saved version: saving
    # again is a deliberate choice.
    assert 'name="patroon_aantal" value="7"' in pagina
    assert 'name="versie" value="2"' in pagina
    client.post(_url(school), _gegevens(school, patroon_aantal="7"))
    school.refresh_from_db()
    assert school.patroon_aantal == 7


def test_with_several_schools_the_start_offers_a_choice(wereld, client):
    ander = f.SchoolFactory()
    f.LidmaatschapFactory(user=wereld.users["beheerder"], school=ander, rol=Rol.BEHEERDER)
    client.force_login(wereld.users["beheerder"])
    pagina = client.get(reverse("beheer:instellingen_start")).content.decode()
    assert _url(wereld.school) in pagina
    assert _url(ander) in pagina
    assert _url(wereld.school2) not in pagina


@pytest.mark.parametrize(
    ("rol", "ziet"),
    [
        ("beheerder", True),
        ("zorgcoordinator", True),
        ("directie", True),
        ("leerkracht", False),
        ("secretariaat", False),
        ("clb", False),
    ],
)
def test_the_menu_offers_the_settings_only_to_who_may_open_them(wereld, client, rol, ziet):
    client.force_login(wereld.users[rol])
    pagina = client.get(reverse("start")).content.decode()
    assert (reverse("beheer:instellingen_start") in pagina) is ziet
