"""The intake: one per student, read by the class team and the care team,
written by the care team, versioned so a concurrent edit is never lost."""

import datetime

import pytest
from django.urls import reverse

from leerlingen.models import Intake, TijdlijnItem, Zichtbaarheid
from leerlingen.services.intake import GEEN_VERSIE, intake_opslaan
from tests.clb.factories import aanmelding
from zorg.audit.models import Actie, AuditEvent
from zorg.versies import VerouderdeVersie

GISTEREN = datetime.date.today() - datetime.timedelta(days=1)


def _opslaan(wereld, door=None, versie=GEEN_VERSIE, **velden):
    gegevens = {
        "datum": datetime.date(2026, 8, 28),
        "vorige_school": "Basisschool De Regenboog",
        "onderwijsbehoeften": "Extra tijd bij toetsen; voorleessoftware.",
        "attesten": "Diagnoseverslag dyslexie (2024)",
        "opmerkingen": "",
    }
    gegevens.update(velden)
    return intake_opslaan(
        leerling=wereld.leerling_a, door=door or wereld.zorgcoordinator, versie=versie, **gegevens
    )


def _post_data(**velden):
    data = {
        "datum": "2026-08-28",
        "vorige_school": "Basisschool De Regenboog",
        "onderwijsbehoeften": "Extra tijd bij toetsen.",
        "attesten": "",
        "opmerkingen": "",
        "versie": str(GEEN_VERSIE),
    }
    data.update(velden)
    return data


def _url(wereld, leerling=None):
    return reverse("leerlingen:intake", args=[(leerling or wereld.leerling_a).pk])


def _audit(actie, onderwerp="intake"):
    return list(AuditEvent.objects.filter(actie=actie, onderwerp=onderwerp).order_by("id"))


# --- the service --------------------------------------------------------------


def test_a_first_save_creates_the_intake_at_version_one(wereld):
    intake = _opslaan(wereld)
    intake.refresh_from_db()
    assert intake.versie == 1
    assert intake.leerling == wereld.leerling_a
    assert intake.door == wereld.zorgcoordinator
    assert intake.vorige_school == "Basisschool De Regenboog"


def test_a_first_save_is_audited_with_the_fields_filled_in(wereld):
    intake = _opslaan(wereld)
    [event] = _audit(Actie.AANMAKEN)
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.gebruiker == wereld.zorgcoordinator
    assert event.object_id == str(intake.pk)
    assert event.velden == ["datum", "vorige_school", "onderwijsbehoeften", "attesten"]


def test_a_first_save_puts_a_care_team_entry_on_the_timeline(wereld):
    intake = _opslaan(wereld)
    [item] = TijdlijnItem.objects.filter(leerling=wereld.leerling_a)
    assert item.soort == TijdlijnItem.Soort.INTAKE
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.datum == intake.datum
    assert "Basisschool De Regenboog" in item.titel
    assert item.url == reverse("leerlingen:intake", args=[wereld.leerling_a.pk])


def test_an_edit_raises_the_version_and_audits_only_the_changed_fields(wereld):
    _opslaan(wereld)
    intake = _opslaan(
        wereld, door=wereld.directie, versie=1, onderwijsbehoeften="Extra tijd en een laptop."
    )
    intake.refresh_from_db()
    assert intake.versie == 2
    assert intake.onderwijsbehoeften == "Extra tijd en een laptop."
    assert intake.door == wereld.directie
    [event] = _audit(Actie.WIJZIGEN)
    assert event.velden == ["onderwijsbehoeften"]
    assert event.gebruiker == wereld.directie


def test_an_edit_updates_the_timeline_entry_instead_of_adding_one(wereld):
    _opslaan(wereld)
    _opslaan(wereld, versie=1, datum=datetime.date(2026, 8, 30), vorige_school="De Vlindertuin")
    [item] = TijdlijnItem.objects.filter(leerling=wereld.leerling_a)
    assert item.datum == datetime.date(2026, 8, 30)
    assert "De Vlindertuin" in item.titel


def test_an_edit_that_changes_nothing_writes_nothing(wereld):
    _opslaan(wereld)
    intake = _opslaan(wereld, versie=1)
    intake.refresh_from_db()
    assert intake.versie == 1
    assert _audit(Actie.WIJZIGEN) == []


def test_a_stale_version_is_refused_and_nothing_is_written(wereld):
    _opslaan(wereld)
    _opslaan(wereld, door=wereld.directie, versie=1, opmerkingen="Gesprek met mama en papa.")
    with pytest.raises(VerouderdeVersie) as fout:
        _opslaan(wereld, versie=1, vorige_school="Iets anders")
    assert fout.value.huidig.versie == 2
    intake = Intake.objects.get(leerling=wereld.leerling_a)
    assert intake.versie == 2
    assert intake.vorige_school == "Basisschool De Regenboog"
    assert intake.opmerkingen == "Gesprek met mama en papa."
    assert len(_audit(Actie.WIJZIGEN)) == 1


def test_a_first_save_is_refused_when_someone_created_the_intake_meanwhile(wereld):
    _opslaan(wereld, door=wereld.directie)
    with pytest.raises(VerouderdeVersie) as fout:
        _opslaan(wereld, versie=GEEN_VERSIE, vorige_school="Iets anders")
    assert fout.value.huidig.door == wereld.directie
    assert Intake.objects.get().vorige_school == "Basisschool De Regenboog"


# --- reading ------------------------------------------------------------------


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "clb"])
def test_the_class_team_and_the_referred_clb_read_the_intake_without_a_form(
    wereld, client_voor, rol
):
    _opslaan(wereld)
    client = client_voor(wereld.users[rol])
    if rol == "clb":
        # Only a student it reaches: without a referral, a 404.
        assert client.get(_url(wereld)).status_code == 404
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client.get(_url(wereld))
    assert response.status_code == 200
    assert response.context["form"] is None
    html = response.content.decode()
    assert "Basisschool De Regenboog" in html
    assert "Diagnoseverslag dyslexie (2024)" in html
    assert 'name="versie"' not in html
    assert f'hx-post="{_url(wereld)}"' not in html


@pytest.mark.parametrize("rol", ["zorgcoordinator", "directie"])
def test_the_care_team_gets_the_form_filled_with_the_saved_version(wereld, client_voor, rol):
    _opslaan(wereld)
    response = client_voor(wereld.users[rol]).get(_url(wereld))
    form = response.context["form"]
    assert form.initial["versie"] == 1
    assert form.initial["vorige_school"] == "Basisschool De Regenboog"
    assert 'name="versie"' in response.content.decode()


@pytest.mark.parametrize(
    "rol", ["secretariaat", "beheerder", "leerkracht_b", "buitenstaander", "clb_ander", "platform"]
)
def test_who_is_no_reader_of_the_intake_gets_404(wereld, client_voor, rol):
    _opslaan(wereld)
    response = client_voor(wereld.users[rol]).get(_url(wereld))
    assert response.status_code == 404


def test_reading_the_intake_is_audited(wereld, client_voor):
    intake = _opslaan(wereld)
    client_voor(wereld.leerkracht).get(_url(wereld))
    [event] = _audit(Actie.LEZEN)
    assert event.gebruiker == wereld.leerkracht
    assert event.leerling_id == wereld.leerling_a.pk
    assert event.object_id == str(intake.pk)


def test_a_student_without_intake_says_so(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(_url(wereld))
    assert response.status_code == 200
    assert "Er is nog geen intake geregistreerd" in response.content.decode()


# --- writing through the page -------------------------------------------------


def test_the_care_coordinator_fills_in_the_intake(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(_url(wereld), _post_data())
    assert response.status_code == 302
    assert response["Location"] == _url(wereld)
    intake = Intake.objects.get(leerling=wereld.leerling_a)
    assert intake.onderwijsbehoeften == "Extra tijd bij toetsen."
    assert intake.datum == datetime.date(2026, 8, 28)
    assert len(_audit(Actie.AANMAKEN)) == 1


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "clb", "secretariaat"])
def test_who_may_not_edit_cannot_post_an_intake(wereld, client_voor, rol):
    if rol == "clb":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # it reads, never writes
    response = client_voor(wereld.users[rol]).post(_url(wereld), _post_data())
    assert response.status_code == 404
    assert not Intake.objects.exists()


def test_a_care_coordinator_of_another_school_cannot_post_an_intake(wereld, client_voor):
    response = client_voor(wereld.buitenstaander).post(_url(wereld), _post_data())
    assert response.status_code == 404
    assert not Intake.objects.exists()


def test_an_htmx_save_returns_the_partial_with_a_confirmation(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld), _post_data(), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="intake"' in html
    assert "De intake is bewaard." in html
    # The fresh form carries the new version, ready for a next edit.
    assert response.context["form"].initial["versie"] == 1


def test_a_stale_save_shows_the_newer_values_beside_what_was_typed(wereld, client_voor):
    _opslaan(wereld)
    client = client_voor(wereld.zorgcoordinator)
    # The care coordinator opens the form at version 1 ...
    assert client.get(_url(wereld)).context["form"].initial["versie"] == 1
    # ... the director saves first ...
    _opslaan(wereld, door=wereld.directie, versie=1, onderwijsbehoeften="Versie van de directie.")
    # ... and the care coordinator's save, based on version 1, is refused.
    response = client.post(
        _url(wereld),
        _post_data(versie="1", onderwijsbehoeften="Versie van de zorgcoördinator."),
    )
    assert response.status_code == 200
    intake = Intake.objects.get(leerling=wereld.leerling_a)
    assert intake.versie == 2
    assert intake.onderwijsbehoeften == "Versie van de directie."
    html = response.content.decode()
    assert 'data-testid="intake-conflict"' in html
    assert "Je wijzigingen zijn nog NIET bewaard" in html
    assert "Versie van de directie." in html
    assert "Versie van de zorgcoördinator." in html
    rijen = {rij["label"]: rij for rij in response.context["vergelijking"]}
    verschil = rijen["Specifieke onderwijsbehoeften (gemeld door de ouders)"]
    assert verschil["opgeslagen"] == "Versie van de directie."
    assert verschil["ingevuld"] == "Versie van de zorgcoördinator."
    assert verschil["verschilt"]
    # Nothing typed is lost: the form still holds it, now on version 2.
    form = response.context["form"]
    assert form["onderwijsbehoeften"].value() == "Versie van de zorgcoördinator."
    assert form["versie"].value() == "2"


def test_after_a_conflict_saving_again_is_a_deliberate_choice_that_succeeds(wereld, client_voor):
    _opslaan(wereld)
    _opslaan(wereld, door=wereld.directie, versie=1, onderwijsbehoeften="Versie van de directie.")
    client = client_voor(wereld.zorgcoordinator)
    response = client.post(_url(wereld), _post_data(versie="1", onderwijsbehoeften="Mijn versie."))
    form = response.context["form"]
    opnieuw = {naam: form[naam].value() for naam in form.fields}
    response = client.post(_url(wereld), opnieuw)
    assert response.status_code == 302
    intake = Intake.objects.get(leerling=wereld.leerling_a)
    assert intake.versie == 3
    assert intake.onderwijsbehoeften == "Mijn versie."


def test_a_stale_first_save_over_an_intake_created_meanwhile_is_refused(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    assert client.get(_url(wereld)).context["form"].initial["versie"] == GEEN_VERSIE
    _opslaan(wereld, door=wereld.directie, vorige_school="Door de directie")
    response = client.post(_url(wereld), _post_data(vorige_school="Door mij"))
    assert response.status_code == 200
    assert Intake.objects.get().vorige_school == "Door de directie"
    assert "Door mij" in response.content.decode()


@pytest.mark.parametrize(
    ("velden", "melding"),
    [
        ({"datum": ""}, "Vul de datum van de intake in."),
        ({"datum": "31-02-2026"}, "Vul een geldige datum in."),
        ({"datum": "2999-01-01"}, "De datum van de intake ligt in de toekomst"),
        (
            {"vorige_school": " ", "onderwijsbehoeften": "  "},
            "Een lege intake zegt niets.",
        ),
        ({"vorige_school": "x" * 201}, "niet meer dan 200 tekens"),
        ({"onderwijsbehoeften": "a\x00b"}, "Null-tekens zijn niet toegestaan."),
        ({"versie": ""}, "Het formulier is onvolledig verstuurd."),
        ({"versie": "abc"}, "Het formulier is onvolledig verstuurd."),
    ],
)
def test_bad_input_gives_a_dutch_message_and_saves_nothing(wereld, client_voor, velden, melding):
    response = client_voor(wereld.zorgcoordinator).post(_url(wereld), _post_data(**velden))
    assert response.status_code == 200
    assert melding in response.content.decode()
    assert not Intake.objects.exists()
    assert _audit(Actie.AANMAKEN) == []


def test_an_intake_dated_yesterday_is_accepted(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).post(
        _url(wereld), _post_data(datum=GISTEREN.isoformat())
    )
    assert response.status_code == 302
    assert Intake.objects.get().datum == GISTEREN


def test_the_intake_page_runs_no_queries_in_templates(wereld, client_voor, template_queries):
    _opslaan(wereld)
    response = client_voor(wereld.zorgcoordinator).get(_url(wereld))
    assert response.status_code == 200
    assert template_queries == []


# --- the section on the student page -----------------------------------------


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "zorgcoordinator", "clb"])
def test_the_student_page_summarises_the_intake_for_its_readers(wereld, client_voor, rol):
    _opslaan(wereld)
    client = client_voor(wereld.users[rol])
    url = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    if rol == "clb":
        # The CLB reads it for a student it reaches (a referral), not before.
        assert client.get(url).status_code == 404
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="sectie-intake"' in html
    assert "Extra tijd bij toetsen; voorleessoftware." in html
    assert _url(wereld) in html


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder"])
def test_the_student_page_shows_no_intake_to_administration(wereld, client_voor, rol):
    _opslaan(wereld)
    response = client_voor(wereld.users[rol]).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="sectie-intake"' not in html
    assert "voorleessoftware" not in html


def test_the_section_offers_the_care_team_to_fill_in_a_missing_intake(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    html = response.content.decode()
    assert "Nog geen intake geregistreerd." in html
    assert "Intake invullen" in html


def test_the_student_page_with_an_intake_runs_no_template_queries(
    wereld, client_voor, template_queries
):
    _opslaan(wereld)
    response = client_voor(wereld.titularis).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    assert response.status_code == 200
    assert template_queries == []
