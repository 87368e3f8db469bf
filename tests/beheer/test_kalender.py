"""The school-year calendar page: who may see and change it, fixing the
statutory calendar on the first change, going back to it, bad input, two
people saving at once, a double submit, the audit trail, and the school
days that follow from it.

Every test builds its world in the school year 2026-2027, whose statutory
free periods are, in order: 0 autumn holiday (2-8 November 2026, since
1 November is a Sunday), 1 Armistice (Wednesday 11 November), 2 Christmas,
3 carnival, 4 Easter, 5 Labour Day, 6 Ascension, 7 Whit Monday, 8 summer."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests import factories as f
from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import Schooljaar, VrijePeriode
from zorg.audit.models import Actie, AuditEvent
from zorg.beheer import services
from zorg.schoolkalender import wettelijke_vrije_dagen
from zorg.versies import VerouderdeVersie

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

D = datetime.date
STUDIEDAG = D(2026, 12, 9)  # a Wednesday between the autumn and Christmas holidays
WAPENSTILSTAND = 1
WETTELIJK = len(wettelijke_vrije_dagen(2026))


def _lijst(jaar):
    return reverse("beheer:kalender", args=[jaar.pk])


def _toevoegen(jaar):
    return reverse("beheer:vrije_periode_toevoegen", args=[jaar.pk])


def _wettelijk(jaar, nummer, *, verwijderen=False):
    naam = "wettelijke_periode_verwijderen" if verwijderen else "wettelijke_periode_wijzigen"
    return reverse(f"beheer:{naam}", args=[jaar.pk, nummer])


def _rij(jaar, periode, *, verwijderen=False):
    naam = "vrije_periode_verwijderen" if verwijderen else "vrije_periode_wijzigen"
    return reverse(f"beheer:{naam}", args=[jaar.pk, periode.pk])


def _studiedag(**anders):
    return {
        "naam": "Pedagogische studiedag",
        "begin": STUDIEDAG.isoformat(),
        "einde": STUDIEDAG.isoformat(),
        "sleutel": str(uuid.uuid4()),
        **anders,
    }


def _wijziging(jaar, **anders):
    jaar.refresh_from_db()
    return {
        "naam": "Wapenstilstand",
        "begin": "2026-11-11",
        "einde": "2026-11-11",
        "versie": str(jaar.versie),
        **anders,
    }


def _vastgelegd(jaar, door):
    """Fix the year's calendar the way a user does: by adding a study day."""
    return services.vrije_periode_toevoegen(
        schooljaar=jaar, naam="Pedagogische studiedag", begin=STUDIEDAG, einde=STUDIEDAG, door=door
    )


# --- who sees what ----------------------------------------------------------------


def test_the_school_year_is_the_one_the_tests_expect(wereld):
    # Guards the dates below: were the world built in another year, the
    # study day would not fall in it.
    assert wereld.schooljaar.begin == D(2026, 9, 1)
    assert wereld.schooljaar.startjaar == 2026


@pytest.mark.parametrize("rol", ["beheerder", "zorgcoordinator"])
def test_the_administrator_and_the_care_coordinator_add_a_study_day(wereld, client, rol):
    jaar = wereld.schooljaar
    client.force_login(wereld.users[rol])
    antwoord = client.post(_toevoegen(jaar), _studiedag(), follow=True)
    assert "De vrije periode is toegevoegd." in antwoord.content.decode()
    assert jaar.vrije_perioden.filter(naam="Pedagogische studiedag", begin=STUDIEDAG).exists()


def test_the_director_reads_the_calendar_without_a_button_to_change_it(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.directie)
    pagina = client.get(_lijst(jaar)).content.decode()
    assert "Herfstvakantie" in pagina
    assert "Vrije periode toevoegen" not in pagina
    assert _wettelijk(jaar, 0) not in pagina
    assert 'name="versie"' not in pagina
    assert client.get(_toevoegen(jaar)).status_code == 404
    assert client.post(_toevoegen(jaar), _studiedag()).status_code == 404
    assert client.post(_wettelijk(jaar, 0, verwijderen=True), {"versie": "1"}).status_code == 404
    jaar.refresh_from_db()
    assert not jaar.kalender_vastgelegd
    assert jaar.versie == 1


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "secretariaat", "clb", "platform"])
def test_no_other_role_of_the_school_sees_the_calendar(wereld, client, rol):
    client.force_login(wereld.users[rol])
    assert client.get(_lijst(wereld.schooljaar)).status_code == 404
    assert client.get(reverse("beheer:kalender_start", args=[wereld.school.pk])).status_code == 404


def test_another_schools_care_coordinator_gets_the_404_of_a_year_that_does_not_exist(
    wereld, client
):
    client.force_login(wereld.buitenstaander)
    verborgen = client.get(_lijst(wereld.schooljaar))
    onbestaand = client.get(reverse("beheer:kalender", args=[999_999_999]))
    assert verborgen.status_code == onbestaand.status_code == 404
    assert client.post(_toevoegen(wereld.schooljaar), _studiedag()).status_code == 404
    periode = _vastgelegd(wereld.schooljaar, wereld.zorgcoordinator)
    assert client.get(_rij(wereld.schooljaar, periode)).status_code == 404
    assert (
        client.post(_rij(wereld.schooljaar, periode, verwijderen=True), {"versie": "2"})
    ).status_code == 404
    assert VrijePeriode.objects.filter(pk=periode.pk).exists()
    # Their own school's calendar opens for them.
    eigen = wereld.klas_x.schooljaar
    assert client.get(_lijst(eigen)).status_code == 200


def test_a_period_of_another_year_is_a_404_under_this_year(wereld, client):
    vorig = wereld.vorig_schooljaar
    vorig.kalender_vastgelegd = True
    vorig.save()
    periode = VrijePeriode.objects.create(
        schooljaar=vorig, naam="Studiedag", begin=D(2025, 10, 1), einde=D(2025, 10, 1)
    )
    client.force_login(wereld.zorgcoordinator)
    assert client.get(_rij(wereld.schooljaar, periode)).status_code == 404
    assert client.get(_rij(vorig, periode)).status_code == 200


def test_a_statutory_period_leads_back_to_the_calendar_once_it_is_fixed(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    assert client.get(_wettelijk(jaar, WETTELIJK - 1)).status_code == 200
    assert client.get(_wettelijk(jaar, WETTELIJK)).status_code == 404
    _vastgelegd(jaar, wereld.zorgcoordinator)
    antwoord = client.get(_wettelijk(jaar, 0))
    assert antwoord.status_code == 302
    assert antwoord["Location"] == _lijst(jaar)


def test_the_settings_page_links_to_the_calendar_of_the_current_year(wereld, client):
    client.force_login(wereld.directie)
    pagina = client.get(reverse("beheer:instellingen", args=[wereld.school.pk])).content.decode()
    start = reverse("beheer:kalender_start", args=[wereld.school.pk])
    assert start in pagina
    antwoord = client.get(start)
    assert antwoord.status_code == 302
    assert antwoord["Location"] == _lijst(wereld.schooljaar)


def test_the_calendar_page_offers_every_school_year_of_the_school(wereld, client):
    client.force_login(wereld.beheerder)
    pagina = client.get(_lijst(wereld.vorig_schooljaar)).content.decode()
    assert _lijst(wereld.schooljaar) in pagina
    assert _lijst(wereld.klas_x.schooljaar) not in pagina


def test_a_school_without_school_years_says_so(wereld, client):
    school = f.SchoolFactory()
    f.LidmaatschapFactory(user=wereld.beheerder, school=school, rol="beheerder")
    client.force_login(wereld.beheerder)
    antwoord = client.get(reverse("beheer:kalender_start", args=[school.pk]))
    assert antwoord.status_code == 200
    assert "Deze school heeft nog geen schooljaren." in antwoord.content.decode()


def test_the_statutory_periods_are_listed_as_statutory_until_the_first_change(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    pagina = client.get(_lijst(jaar)).content.decode()
    assert pagina.count('data-testid="vrije-periode"') == WETTELIJK
    assert pagina.count(">wettelijk</span>") == WETTELIJK
    assert 'data-testid="wettelijke-kalender"' in pagina
    assert "Terug naar de wettelijke kalender" not in pagina
    _vastgelegd(jaar, wereld.zorgcoordinator)
    pagina = client.get(_lijst(jaar)).content.decode()
    assert pagina.count('data-testid="vrije-periode"') == WETTELIJK + 1
    assert ">wettelijk</span>" not in pagina
    assert 'data-testid="eigen-kalender"' in pagina
    assert "Terug naar de wettelijke kalender" in pagina


# --- fixing the calendar on the first change ------------------------------------------


def test_adding_a_study_day_fixes_the_statutory_calendar_first(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    client.post(_toevoegen(jaar), _studiedag())
    jaar.refresh_from_db()
    assert jaar.kalender_vastgelegd
    assert jaar.versie == 2
    rijen = list(jaar.vrije_perioden.order_by("begin", "pk").values_list("naam", "begin", "einde"))
    wettelijk = [(str(p.naam), p.begin, p.einde) for p in wettelijke_vrije_dagen(2026)]
    assert len(rijen) == WETTELIJK + 1
    assert sorted(set(rijen) - {("Pedagogische studiedag", STUDIEDAG, STUDIEDAG)}) == sorted(
        wettelijk
    )
    # The other school's and the previous year's calendars are untouched.
    assert not VrijePeriode.objects.exclude(schooljaar=jaar).exists()


def test_the_fixed_calendar_keeps_the_schools_language_whatever_the_users(wereld, client):
    client.force_login(wereld.zorgcoordinator)
    client.cookies["zorg_taal"] = "en"
    client.post(_toevoegen(wereld.schooljaar), _studiedag())
    assert wereld.schooljaar.vrije_perioden.filter(naam="Herfstvakantie").exists()


def test_changing_a_statutory_period_fixes_the_calendar_and_changes_that_period(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.beheerder)
    antwoord = client.post(
        _wettelijk(jaar, 0),
        _wijziging(jaar, naam="Herfstvakantie", begin="2026-11-02", einde="2026-11-06"),
        follow=True,
    )
    assert "De vrije periode is bewaard." in antwoord.content.decode()
    jaar.refresh_from_db()
    assert jaar.kalender_vastgelegd
    assert jaar.vrije_perioden.count() == WETTELIJK
    herfst = jaar.vrije_perioden.get(naam="Herfstvakantie")
    assert (herfst.begin, herfst.einde) == (D(2026, 11, 2), D(2026, 11, 6))


def test_saving_a_statutory_period_unchanged_keeps_the_statutory_calendar(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.beheerder)
    antwoord = client.post(_wettelijk(jaar, WAPENSTILSTAND), _wijziging(jaar), follow=True)
    assert "Er was niets gewijzigd." in antwoord.content.decode()
    jaar.refresh_from_db()
    assert not jaar.kalender_vastgelegd
    assert jaar.versie == 1
    assert not VrijePeriode.objects.exists()
    assert not AuditEvent.objects.filter(onderwerp__in=["schoolkalender", "vrije_periode"]).exists()


def test_deleting_a_statutory_period_makes_its_days_school_days(wereld, client):
    jaar = wereld.schooljaar
    kalender = schoolkalender(wereld.school.pk)
    assert not kalender.is_schooldag(D(2026, 11, 11))
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(
        _wettelijk(jaar, WAPENSTILSTAND, verwijderen=True), {"versie": "1"}, follow=True
    )
    assert "Wapenstilstand is geen vrije periode meer." in antwoord.content.decode()
    jaar.refresh_from_db()
    assert jaar.kalender_vastgelegd
    assert jaar.vrije_perioden.count() == WETTELIJK - 1
    assert not jaar.vrije_perioden.filter(naam="Wapenstilstand").exists()
    assert schoolkalender(wereld.school.pk).is_schooldag(D(2026, 11, 11))


def test_changing_and_deleting_a_row_of_a_fixed_calendar(wereld, client):
    jaar = wereld.schooljaar
    periode = _vastgelegd(jaar, wereld.zorgcoordinator)
    client.force_login(wereld.beheerder)
    client.post(
        _rij(jaar, periode),
        _wijziging(jaar, naam="Studiedag", begin="2026-12-09", einde="2026-12-10"),
    )
    periode.refresh_from_db()
    assert (periode.naam, periode.einde) == ("Studiedag", D(2026, 12, 10))
    assert jaar.vrije_perioden.count() == WETTELIJK + 1  # nothing copied twice
    jaar.refresh_from_db()
    client.post(_rij(jaar, periode, verwijderen=True), {"versie": str(jaar.versie)})
    assert not VrijePeriode.objects.filter(pk=periode.pk).exists()
    jaar.refresh_from_db()
    assert jaar.versie == 4


def test_the_school_calendar_follows_the_edits(wereld, client):
    """zorg.accounts.kalender reads what this page saves: a study day added
    is no school day, and back on the statutory calendar it is one again."""
    jaar = wereld.schooljaar
    assert schoolkalender(wereld.school.pk).is_schooldag(STUDIEDAG)
    client.force_login(wereld.zorgcoordinator)
    client.post(_toevoegen(jaar), _studiedag())
    kalender = schoolkalender(wereld.school.pk)
    assert not kalender.is_schooldag(STUDIEDAG)
    assert kalender.is_schooldag(STUDIEDAG - datetime.timedelta(days=1))
    assert not kalender.is_schooldag(D(2026, 11, 11))  # the statutory days stay free
    assert schoolkalender(wereld.school2.pk).is_schooldag(STUDIEDAG)  # one school's only
    jaar.refresh_from_db()
    client.post(reverse("beheer:kalender_herstellen", args=[jaar.pk]), {"versie": jaar.versie})
    assert schoolkalender(wereld.school.pk).is_schooldag(STUDIEDAG)


# --- back to the statutory calendar --------------------------------------------------


def test_going_back_to_the_statutory_calendar_deletes_the_rows(wereld, client):
    jaar = wereld.schooljaar
    _vastgelegd(jaar, wereld.zorgcoordinator)
    jaar.refresh_from_db()
    client.force_login(wereld.beheerder)
    antwoord = client.post(
        reverse("beheer:kalender_herstellen", args=[jaar.pk]),
        {"versie": str(jaar.versie)},
        follow=True,
    )
    assert "Dit schooljaar volgt weer de wettelijke kalender." in antwoord.content.decode()
    jaar.refresh_from_db()
    assert not jaar.kalender_vastgelegd
    assert jaar.versie == 3
    assert not jaar.vrije_perioden.exists()
    event = AuditEvent.objects.get(onderwerp="schoolkalender", actie=Actie.VERWIJDEREN)
    assert event.gebruiker == wereld.beheerder
    assert event.school_id == wereld.school.pk
    assert event.object_id == str(jaar.pk)


def test_going_back_when_the_year_already_is_statutory_writes_nothing(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.beheerder)
    antwoord = client.post(
        reverse("beheer:kalender_herstellen", args=[jaar.pk]), {"versie": "1"}, follow=True
    )
    assert "Dit schooljaar volgde al de wettelijke kalender." in antwoord.content.decode()
    jaar.refresh_from_db()
    assert jaar.versie == 1
    assert not AuditEvent.objects.filter(onderwerp="schoolkalender").exists()


# --- the audit trail -------------------------------------------------------------------


def test_every_change_is_audited(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    client.post(_toevoegen(jaar), _studiedag())
    periode = jaar.vrije_perioden.get(naam="Pedagogische studiedag")
    vastgelegd = AuditEvent.objects.get(onderwerp="schoolkalender")
    assert vastgelegd.actie == Actie.AANMAKEN
    assert vastgelegd.object_id == str(jaar.pk)
    toegevoegd = AuditEvent.objects.get(onderwerp="vrije_periode", actie=Actie.AANMAKEN)
    assert toegevoegd.gebruiker == wereld.zorgcoordinator
    assert toegevoegd.school_id == wereld.school.pk
    assert toegevoegd.leerling_id is None
    assert toegevoegd.object_id == str(periode.pk)
    assert "Pedagogische studiedag (2026-12-09 – 2026-12-09)" in toegevoegd.omschrijving

    client.post(
        _rij(jaar, periode),
        _wijziging(jaar, naam="Studiedag", begin="2026-12-09", einde="2026-12-09"),
    )
    gewijzigd = AuditEvent.objects.get(onderwerp="vrije_periode", actie=Actie.WIJZIGEN)
    assert gewijzigd.velden == ["naam"]
    assert gewijzigd.object_id == str(periode.pk)

    jaar.refresh_from_db()
    client.post(_rij(jaar, periode, verwijderen=True), {"versie": str(jaar.versie)})
    verwijderd = AuditEvent.objects.get(onderwerp="vrije_periode", actie=Actie.VERWIJDEREN)
    assert verwijderd.object_id == str(periode.pk)
    assert "Studiedag" in verwijderd.omschrijving


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("anders", "melding"),
    [
        ({"naam": ""}, "Geef de vrije periode een naam."),
        ({"naam": "   "}, "Geef de vrije periode een naam."),
        ({"begin": ""}, "Vul de eerste vrije dag in."),
        ({"einde": "31-02-2027"}, "Vul een geldige datum in."),
        ({"einde": "2026-12-08"}, "De laatste dag mag niet vóór de eerste dag liggen."),
        (
            {"begin": "2026-08-31", "einde": "2026-08-31"},
            "Kies een dag in het schooljaar 2026-2027 (1-9-2026 tot en met 31-8-2027).",
        ),
        ({"einde": "2027-09-01"}, "Kies een dag in het schooljaar 2026-2027"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_saves_nothing(wereld, client, anders, melding):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(_toevoegen(jaar), _studiedag(**anders))
    assert antwoord.status_code == 200
    assert melding in antwoord.content.decode()
    jaar.refresh_from_db()
    assert (jaar.kalender_vastgelegd, jaar.versie) == (False, 1)
    assert not VrijePeriode.objects.exists()
    assert not AuditEvent.objects.filter(onderwerp__in=["schoolkalender", "vrije_periode"]).exists()


def test_a_change_is_checked_like_an_addition(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(
        _wettelijk(jaar, WAPENSTILSTAND), _wijziging(jaar, begin="2026-11-12", einde="2026-11-11")
    )
    assert "De laatste dag mag niet vóór de eerste dag liggen." in antwoord.content.decode()
    jaar.refresh_from_db()
    assert not jaar.kalender_vastgelegd


def test_the_service_refuses_a_period_outside_the_year_by_itself(wereld):
    with pytest.raises(ValidationError) as fout:
        services.vrije_periode_toevoegen(
            schooljaar=wereld.schooljaar,
            naam="Te laat",
            begin=D(2027, 9, 1),
            einde=D(2027, 9, 1),
            door=wereld.zorgcoordinator,
        )
    assert set(fout.value.message_dict) == {"begin", "einde"}
    assert not Schooljaar.objects.get(pk=wereld.schooljaar.pk).kalender_vastgelegd


# --- two people at once, and a double submit ------------------------------------------


def test_a_change_from_an_old_page_shows_the_conflict_and_overwrites_nothing(wereld, client):
    jaar = wereld.schooljaar
    periode = _vastgelegd(jaar, wereld.beheerder)
    jaar.refresh_from_db()
    oud = _wijziging(jaar, naam="Studiedag", begin="2026-12-09", einde="2026-12-09")
    # The administrator renames it while the care coordinator has the page open.
    services.vrije_periode_wijzigen(
        schooljaar=jaar,
        versie=jaar.versie,
        gegevens={"naam": "Studiedag leerkrachten", "begin": STUDIEDAG, "einde": STUDIEDAG},
        door=wereld.beheerder,
        periode_id=periode.pk,
    )
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(_rij(jaar, periode), {**oud, "naam": "Studiedag team"})
    pagina = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert 'data-testid="conflict"' in pagina
    assert "Iemand anders wijzigde intussen de kalender van dit schooljaar." in pagina
    assert "Studiedag leerkrachten" in pagina  # what is saved, beside the input
    periode.refresh_from_db()
    assert periode.naam == "Studiedag leerkrachten"
    # The form keeps the input and carries the saved version now.
    jaar.refresh_from_db()
    assert 'value="Studiedag team"' in pagina
    assert f'name="versie" value="{jaar.versie}"' in pagina
    client.post(_rij(jaar, periode), {**oud, "naam": "Studiedag team", "versie": jaar.versie})
    periode.refresh_from_db()
    assert periode.naam == "Studiedag team"


def test_a_statutory_period_from_a_page_opened_before_the_calendar_was_fixed(wereld, client):
    """The position named a statutory period; once someone else fixed the
    calendar it names no row, so nothing is saved and the user is sent back
    to the calendar."""
    jaar = wereld.schooljaar
    oud = _wijziging(jaar, naam="Geen wapenstilstand")
    _vastgelegd(jaar, wereld.beheerder)
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(_wettelijk(jaar, WAPENSTILSTAND), oud, follow=True)
    assert antwoord.redirect_chain == [(_lijst(jaar), 302)]
    assert "Deze vrije periode bestaat niet meer zoals je ze opende." in (antwoord.content.decode())
    assert jaar.vrije_perioden.filter(naam="Wapenstilstand").exists()
    assert not jaar.vrije_perioden.filter(naam="Geen wapenstilstand").exists()


def test_a_conflict_on_a_statutory_period_after_a_reset_keeps_the_form(wereld, client):
    jaar = wereld.schooljaar
    oud = _wijziging(jaar, naam="Geen wapenstilstand")
    _vastgelegd(jaar, wereld.beheerder)
    jaar.refresh_from_db()
    services.kalender_herstellen(schooljaar=jaar, versie=jaar.versie, door=wereld.beheerder)
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(_wettelijk(jaar, WAPENSTILSTAND), oud)
    assert 'data-testid="conflict"' in antwoord.content.decode()
    jaar.refresh_from_db()
    assert not jaar.kalender_vastgelegd
    assert not VrijePeriode.objects.exists()


def test_the_service_refuses_a_statutory_edit_racing_the_first_change(wereld):
    """Between the view's check and the lock someone fixed the calendar:
    the version the form carries is the old one."""
    jaar = Schooljaar.objects.get(pk=wereld.schooljaar.pk)
    _vastgelegd(jaar, wereld.beheerder)
    with pytest.raises(VerouderdeVersie):
        services.vrije_periode_verwijderen(
            schooljaar=jaar, versie=1, door=wereld.zorgcoordinator, nummer=WAPENSTILSTAND
        )
    # A hand-made form with the current version: a position names no row
    # of a fixed calendar either.
    jaar.refresh_from_db()
    with pytest.raises(VerouderdeVersie):
        services.vrije_periode_verwijderen(
            schooljaar=jaar, versie=jaar.versie, door=wereld.zorgcoordinator, nummer=WAPENSTILSTAND
        )
    assert jaar.vrije_perioden.filter(naam="Wapenstilstand").exists()
    assert jaar.vrije_perioden.count() == WETTELIJK + 1


def test_a_delete_from_an_old_page_deletes_nothing(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    # The page was loaded at version 1; then someone added a study day.
    _vastgelegd(jaar, wereld.beheerder)
    antwoord = client.post(
        _wettelijk(jaar, WAPENSTILSTAND, verwijderen=True), {"versie": "1"}, follow=True
    )
    assert "Deze vrije periode bestaat niet meer zoals je ze opende." in (antwoord.content.decode())
    assert jaar.vrije_perioden.filter(naam="Wapenstilstand").exists()
    periode = jaar.vrije_perioden.get(naam="Wapenstilstand")
    antwoord = client.post(_rij(jaar, periode, verwijderen=True), {"versie": "1"}, follow=True)
    assert "Er werd niets verwijderd" in antwoord.content.decode()
    assert VrijePeriode.objects.filter(pk=periode.pk).exists()


def test_a_reset_from_an_old_page_resets_nothing(wereld, client):
    jaar = wereld.schooljaar
    _vastgelegd(jaar, wereld.beheerder)
    jaar.refresh_from_db()
    oud = jaar.versie
    services.vrije_periode_toevoegen(
        schooljaar=jaar,
        naam="Facultatieve vrije dag",
        begin=D(2027, 2, 1),
        einde=D(2027, 2, 1),
        door=wereld.beheerder,
    )
    client.force_login(wereld.zorgcoordinator)
    antwoord = client.post(
        reverse("beheer:kalender_herstellen", args=[jaar.pk]), {"versie": oud}, follow=True
    )
    assert "Er werd niets teruggezet" in antwoord.content.decode()
    jaar.refresh_from_db()
    assert jaar.kalender_vastgelegd
    assert jaar.vrije_perioden.filter(naam="Facultatieve vrije dag").exists()


def test_a_double_submit_adds_the_period_once(wereld, client):
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    gegevens = _studiedag()
    client.post(_toevoegen(jaar), gegevens)
    antwoord = client.post(_toevoegen(jaar), gegevens, follow=True)
    assert "Dit formulier was al verstuurd: er werd niets dubbel bewaard." in (
        antwoord.content.decode()
    )
    assert jaar.vrije_perioden.filter(naam="Pedagogische studiedag").count() == 1
    assert AuditEvent.objects.filter(onderwerp="vrije_periode").count() == 1
    jaar.refresh_from_db()
    assert jaar.versie == 2


def test_two_people_adding_different_days_both_land(wereld, client):
    """Adding overwrites nothing: it needs no version, only its own key."""
    jaar = wereld.schooljaar
    client.force_login(wereld.zorgcoordinator)
    client.post(_toevoegen(jaar), _studiedag())
    client.force_login(wereld.beheerder)
    client.post(
        _toevoegen(jaar),
        _studiedag(naam="Facultatieve vrije dag", begin="2027-02-01", einde="2027-02-01"),
    )
    assert jaar.vrije_perioden.count() == WETTELIJK + 2


# --- queries ------------------------------------------------------------------------


@pytest.mark.parametrize("aantal", [1, 40])
def test_the_calendar_page_needs_a_fixed_number_of_queries(
    wereld, client, django_assert_max_num_queries, aantal
):
    # Guards against a query per period (the year of each row, its URLs)
    # and per school year in the year choice.
    jaar = wereld.schooljaar
    _vastgelegd(jaar, wereld.zorgcoordinator)
    VrijePeriode.objects.bulk_create(
        VrijePeriode(schooljaar=jaar, naam=f"Studiedag {i}", begin=STUDIEDAG, einde=STUDIEDAG)
        for i in range(aantal)
    )
    for i in range(aantal):
        f.SchooljaarFactory(
            school=wereld.school,
            begin=D(1950 + i, 9, 1),
            is_huidig=False,
        )
    client.force_login(wereld.beheerder)
    with django_assert_max_num_queries(10):
        antwoord = client.get(_lijst(jaar))
    assert antwoord.status_code == 200
