"""Observations: the services (audit, timeline, edit window, corrections),
the quick forms on the student page and the class page (with and without
htmx), the list, and who sees what."""

import datetime
import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerlingen import domeinen
from leerlingen.models import Inschrijving, Observatie, TijdlijnItem, Zichtbaarheid
from leerlingen.services.observaties import observatie_bewerken, observatie_maken
from leerlingen.views import observaties as observatie_views
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.leerlingen.factories_observaties import ObservatieFactory
from zorg.audit.models import Actie, AuditEvent

HTMX = {"HX-Request": "true"}
VANDAAG = timezone.localdate


def _maak(wereld, **kwargs) -> Observatie:
    waarden = {
        "leerling": wereld.leerling_a,
        "auteur": wereld.leerkracht,
        "datum": VANDAAG() - datetime.timedelta(days=1),
        "domeinen": domeinen.LEREN | domeinen.PSYCHOSOCIAAL,
        "soort": "sterkte",
        "tekst": "Helpt spontaan een klasgenoot bij wiskunde.",
        "zichtbaarheid": Zichtbaarheid.KLASTEAM,
    }
    waarden.update(kwargs)
    return observatie_maken(**waarden)


def _bewerk(observatie, door, **kwargs) -> Observatie:
    waarden = {
        veld: getattr(observatie, veld)
        for veld in ("datum", "domeinen", "soort", "tekst", "zichtbaarheid")
    }
    waarden.update(kwargs)
    return observatie_bewerken(observatie=observatie, door=door, **waarden)


def _verouderen(observatie, minuten: int) -> Observatie:
    Observatie.objects.filter(pk=observatie.pk).update(
        aangemaakt=timezone.now() - datetime.timedelta(minutes=minuten)
    )
    observatie.refresh_from_db()
    return observatie


def _formulier(**kwargs) -> dict:
    data = {
        "tekst": "Werkt geconcentreerd tijdens de groepsopdracht.",
        "soort": "sterkte",
        "domeinen": [str(domeinen.LEREN)],
        "datum": VANDAAG().isoformat(),
        "zichtbaarheid": "klasteam",
        # A fresh form each time, as the browser renders it (zorg.eenmalig).
        "sleutel": str(uuid.uuid4()),
    }
    data.update(kwargs)
    return data


def _fouten(exc: ValidationError) -> dict:
    return exc.value.message_dict


# --- services ------------------------------------------------------------------


def test_making_an_observation_writes_a_timeline_entry_and_an_audit_event(wereld):
    observatie = _maak(wereld)

    item = TijdlijnItem.objects.get(bron_type="leerlingen.observatie", bron_id=observatie.pk)
    assert item.leerling == wereld.leerling_a
    assert item.soort == TijdlijnItem.Soort.OBSERVATIE
    assert item.zichtbaarheid == Zichtbaarheid.KLASTEAM
    assert item.domeinen == domeinen.LEREN | domeinen.PSYCHOSOCIAAL
    assert item.is_sterkte is True
    assert item.auteur == str(wereld.leerkracht)
    assert item.tekst == "Helpt spontaan een klasgenoot bij wiskunde."
    assert item.titel == "Observatie: sterkte"
    assert item.url.endswith(f"#observatie-{observatie.pk}")
    event = AuditEvent.objects.get(onderwerp="observatie")
    assert (event.actie, event.leerling_id, event.object_id) == (
        Actie.AANMAKEN,
        wereld.leerling_a.pk,
        str(observatie.pk),
    )
    assert event.gebruiker == wereld.leerkracht


def test_a_care_team_only_observation_has_a_care_team_only_timeline_entry(wereld):
    observatie = _maak(
        wereld, auteur=wereld.zorgcoordinator, soort="zorg", zichtbaarheid=Zichtbaarheid.ZORGTEAM
    )
    item = TijdlijnItem.objects.get(bron_id=observatie.pk, bron_type="leerlingen.observatie")
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.is_sterkte is False
    assert item.titel == "Observatie: zorg"


@pytest.mark.parametrize(
    ("veld", "waarden", "bericht"),
    [
        ("tekst", {"tekst": "   "}, "Schrijf wat je observeerde."),
        ("tekst", {"tekst": "x" * 4001}, "maximaal 4000 tekens, nu 4001"),
        ("tekst", {"tekst": "a\x00b"}, "ongeldig teken"),
        ("domeinen", {"domeinen": 0}, "Kies minstens één begeleidingsdomein."),
        ("domeinen", {"domeinen": 16}, "Kies minstens één begeleidingsdomein."),
        ("datum", {"datum": datetime.date.today() + datetime.timedelta(days=2)}, "toekomst"),
        ("soort", {"soort": "ramp"}, "sterkte of een zorg"),
        ("zichtbaarheid", {"zichtbaarheid": "iedereen"}, "wie deze observatie mag lezen"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    wereld, veld, waarden, bericht
):
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, **waarden)
    assert bericht in " ".join(_fouten(exc)[veld])
    assert not Observatie.objects.exists()
    assert not TijdlijnItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_correction_points_at_the_original_which_stays_as_written(wereld):
    origineel = _verouderen(_maak(wereld, datum=datetime.date(2026, 10, 5)), 60)
    correctie = _maak(
        wereld,
        corrigeert=origineel,
        datum=datetime.date(2026, 10, 5),
        tekst="Helpt spontaan een klasgenoot bij Frans, niet bij wiskunde.",
    )
    origineel.refresh_from_db()
    assert correctie.corrigeert == origineel
    assert list(origineel.correcties.all()) == [correctie]
    assert origineel.tekst == "Helpt spontaan een klasgenoot bij wiskunde."
    item = TijdlijnItem.objects.get(bron_id=correctie.pk, bron_type="leerlingen.observatie")
    assert item.titel == "Correctie van de observatie van 5 oktober 2026"
    event = AuditEvent.objects.filter(onderwerp="observatie").order_by("-pk").first()
    assert f"corrigeert observatie {origineel.pk}" in event.omschrijving


def test_a_correction_of_another_students_observation_is_refused(wereld):
    ander = ObservatieFactory(leerling=wereld.leerling_b, auteur=wereld.leerkracht_b)
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, auteur=wereld.zorgcoordinator, corrigeert=ander)
    assert "dezelfde leerling" in " ".join(_fouten(exc)["__all__"])
    assert Observatie.objects.count() == 1


def test_a_correction_of_a_care_team_only_note_must_stay_care_team_only(wereld):
    origineel = _maak(wereld, auteur=wereld.zorgcoordinator, zichtbaarheid=Zichtbaarheid.ZORGTEAM)
    with pytest.raises(ValidationError) as exc:
        _maak(
            wereld,
            auteur=wereld.zorgcoordinator,
            corrigeert=origineel,
            tekst="Anders",
            zichtbaarheid=Zichtbaarheid.KLASTEAM,
        )
    assert "enkel voor het zorgteam" in " ".join(_fouten(exc)["zichtbaarheid"])


def test_a_correction_that_changes_nothing_is_refused(wereld):
    origineel = _maak(wereld)
    with pytest.raises(ValidationError) as exc:
        _maak(wereld, corrigeert=origineel)
    assert "gelijk aan de oorspronkelijke" in " ".join(_fouten(exc)["tekst"])


def test_the_author_edits_within_the_window_and_the_timeline_and_audit_follow(wereld):
    observatie = _verouderen(_maak(wereld), 14)
    _bewerk(
        observatie,
        wereld.leerkracht,
        tekst="Helpt een klasgenoot bij wiskunde, elke les.",
        soort="zorg",
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
    )
    observatie.refresh_from_db()
    assert observatie.tekst == "Helpt een klasgenoot bij wiskunde, elke les."
    item = TijdlijnItem.objects.get(bron_id=observatie.pk, bron_type="leerlingen.observatie")
    assert item.tekst == observatie.tekst
    assert item.zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert item.is_sterkte is False
    assert item.titel == "Observatie: zorg"
    event = AuditEvent.objects.get(actie=Actie.WIJZIGEN)
    assert event.onderwerp == "observatie"
    assert event.velden == ["tekst", "soort", "zichtbaarheid"]


def test_editing_after_the_window_is_refused_and_says_to_add_a_correction(wereld):
    observatie = _verouderen(_maak(wereld), 16)
    with pytest.raises(ValidationError) as exc:
        _bewerk(observatie, wereld.leerkracht, tekst="Iets anders")
    assert "Voeg een correctie toe" in " ".join(_fouten(exc)["__all__"])
    observatie.refresh_from_db()
    assert observatie.tekst == "Helpt spontaan een klasgenoot bij wiskunde."
    assert not AuditEvent.objects.filter(actie=Actie.WIJZIGEN).exists()
    assert TijdlijnItem.objects.get(bron_id=observatie.pk).tekst == observatie.tekst


def test_only_the_author_edits(wereld):
    observatie = _maak(wereld)
    with pytest.raises(PermissionDenied):
        _bewerk(observatie, wereld.zorgcoordinator, tekst="Iets anders")


def test_a_corrected_observation_can_no_longer_be_edited(wereld):
    observatie = _maak(wereld)
    _maak(wereld, auteur=wereld.zorgcoordinator, corrigeert=observatie, tekst="Juister")
    with pytest.raises(ValidationError) as exc:
        _bewerk(observatie, wereld.leerkracht, tekst="Iets anders")
    assert "al gecorrigeerd" in " ".join(_fouten(exc)["__all__"])


def test_an_edit_that_changes_nothing_writes_nothing(wereld):
    observatie = _maak(wereld)
    _bewerk(observatie, wereld.leerkracht)
    assert not AuditEvent.objects.filter(actie=Actie.WIJZIGEN).exists()


def test_an_edit_with_bad_input_changes_nothing(wereld):
    observatie = _maak(wereld)
    with pytest.raises(ValidationError):
        _bewerk(observatie, wereld.leerkracht, tekst="", domeinen=0)
    observatie.refresh_from_db()
    assert observatie.tekst == "Helpt spontaan een klasgenoot bij wiskunde."


# --- the student page -------------------------------------------------------------


@pytest.fixture
def twee_observaties(wereld):
    """One for the class team, one for the care team only."""
    klasteam = ObservatieFactory(
        leerling=wereld.leerling_a, auteur=wereld.titularis, tekst="Klasteam: vlot in groep."
    )
    zorgteam = ObservatieFactory(
        leerling=wereld.leerling_a,
        auteur=wereld.zorgcoordinator,
        tekst="Zorgteam: thuissituatie gewijzigd.",
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
    )
    return klasteam, zorgteam


@pytest.mark.parametrize(
    ("rol", "ziet_klasteam", "ziet_zorgteam", "ziet_formulier"),
    [
        ("leerkracht", True, False, True),
        ("titularis", True, False, True),
        ("zorgcoordinator", True, True, True),
        ("directie", True, True, True),
        ("clb", True, True, False),
        ("secretariaat", False, False, False),
        ("beheerder", False, False, False),
    ],
)
def test_the_student_page_shows_each_role_the_observations_it_may_read(
    wereld, client_voor, twee_observaties, rol, ziet_klasteam, ziet_zorgteam, ziet_formulier
):
    client = client_voor(wereld.users[rol])
    url = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    if rol == "clb":
        # The CLB reads them for a student it reaches (a referral), not before.
        assert client.get(url).status_code == 404
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    html = client.get(url).content.decode()
    assert ("Klasteam: vlot in groep." in html) is ziet_klasteam
    assert ("Zorgteam: thuissituatie gewijzigd." in html) is ziet_zorgteam
    assert ('id="observatie-formulier"' in html) is ziet_formulier
    assert ('id="observaties-kop"' in html) is ziet_klasteam


def test_the_form_tells_that_strengths_count_and_defaults_to_the_class_team_and_today(
    wereld, client_voor
):
    html = (
        client_voor(wereld.leerkracht)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert "Sterktes tellen ook" in html
    assert re.search(r'value="klasteam"[^>]*checked', html)
    assert f'value="{VANDAAG().isoformat()}"' in html


def test_htmx_post_returns_the_fresh_form_and_prepends_the_observation(wereld, client_voor):
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(),
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    observatie = Observatie.objects.get()
    assert (observatie.auteur, observatie.soort) == (wereld.leerkracht, "sterkte")
    assert 'hx-swap-oob="afterbegin:#observatie-lijst"' in html
    assert f'id="observatie-{observatie.pk}"' in html
    # The form is reset: its text area is empty again.
    assert re.search(r'<textarea name="tekst"[^>]*>\s*</textarea>', html)
    assert "De observatie is bewaard." in html


def test_a_teacher_writing_for_the_care_team_only_does_not_get_the_note_back(wereld, client_voor):
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(tekst="Vertelde over ruzie thuis.", zichtbaarheid="zorgteam"),
        headers=HTMX,
    )
    html = response.content.decode()
    assert Observatie.objects.get().zichtbaarheid == Zichtbaarheid.ZORGTEAM
    assert "Vertelde over ruzie thuis." not in html
    assert "hx-swap-oob" not in html
    assert "enkel voor het zorgteam" in html


def test_htmx_post_with_bad_input_returns_the_form_with_messages_and_saves_nothing(
    wereld, client_voor
):
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(tekst="", domeinen=[], datum="2999-01-01"),
        headers=HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Schrijf wat je observeerde." in html
    assert "Kies minstens één begeleidingsdomein." in html
    assert "De datum ligt in de toekomst" in html
    assert not Observatie.objects.exists()


def test_an_over_long_text_gets_a_clear_message(wereld, client_voor):
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(tekst="x" * 4500),
        headers=HTMX,
    )
    assert "maximaal 4000 tekens, nu 4500" in response.content.decode()
    assert not Observatie.objects.exists()


def test_without_javascript_the_post_redirects_back_to_the_student(wereld, client_voor):
    client = client_voor(wereld.titularis)
    response = client.post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]), _formulier()
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]) + "#observaties"
    )
    html = client.get(response["Location"]).content.decode()
    assert "De observatie is bewaard." in html
    assert "Werkt geconcentreerd tijdens de groepsopdracht." in html


def test_without_javascript_bad_input_shows_the_form_page_with_messages(wereld, client_voor):
    response = client_voor(wereld.titularis).post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(datum="31/02/2026"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Vul een geldige datum in." in html
    assert not Observatie.objects.exists()


@pytest.mark.parametrize("rol", ["clb", "secretariaat", "beheerder", "leerkracht_b"])
def test_roles_that_do_not_write_observations_get_404_and_nothing_is_saved(
    wereld, client_voor, rol
):
    if rol == "clb":
        # A CLB worker who reaches her keeps its own notes (clb app), not these.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client_voor(wereld.users[rol]).post(
        reverse("leerlingen:observatie_nieuw", args=[wereld.leerling_a.pk]),
        _formulier(),
        headers=HTMX,
    )
    assert response.status_code == 404
    assert not Observatie.objects.exists()


def test_the_section_offers_edit_while_editable_and_correction_afterwards(wereld, client_voor):
    vers = _maak(wereld, tekst="Vers genoteerd.")
    oud = _verouderen(_maak(wereld, tekst="Vorige week genoteerd."), 60 * 24 * 7)
    html = (
        client_voor(wereld.leerkracht)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, vers.pk]) in html
    assert reverse(
        "leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, vers.pk]
    ) not in (html)
    assert reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, oud.pk]) not in (
        html
    )
    assert reverse("leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, oud.pk]) in html


def test_another_teacher_gets_neither_edit_nor_correction_links(wereld, client_voor):
    observatie = _maak(wereld)
    html = (
        client_voor(wereld.titularis)
        .get(reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]))
        .content.decode()
    )
    assert "Helpt spontaan een klasgenoot" in html
    assert f"/observaties/{observatie.pk}/" not in html


# --- the list -----------------------------------------------------------------


def test_the_list_is_paginated(wereld, client_voor):
    ObservatieFactory.create_batch(30, leerling=wereld.leerling_a, auteur=wereld.titularis)
    client = client_voor(wereld.titularis)
    url = reverse("leerlingen:observatie_lijst", args=[wereld.leerling_a.pk])
    eerste = client.get(url)
    tweede = client.get(url, {"pagina": 2})
    assert len(eerste.context["pagina"].object_list) == 25
    assert len(tweede.context["pagina"].object_list) == 5
    assert "30 observaties" in eerste.content.decode()


def test_reading_the_list_is_audited(wereld, client_voor):
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # the CLB reaches her
    client_voor(wereld.users["clb"]).get(
        reverse("leerlingen:observatie_lijst", args=[wereld.leerling_a.pk])
    )
    event = AuditEvent.objects.get(onderwerp="observaties")
    assert (event.actie, event.leerling_id, event.gebruiker) == (
        Actie.LEZEN,
        wereld.leerling_a.pk,
        wereld.users["clb"],
    )


@pytest.mark.parametrize(("rol", "ziet_zorgteam"), [("leerkracht", False), ("clb", True)])
def test_the_list_holds_care_team_notes_only_for_the_care_team(
    wereld, client_voor, twee_observaties, rol, ziet_zorgteam
):
    client = client_voor(wereld.users[rol])
    url = reverse("leerlingen:observatie_lijst", args=[wereld.leerling_a.pk])
    if rol == "clb":
        # Care-team level for the CLB only with a referral; before it, a 404.
        assert client.get(url).status_code == 404
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Klasteam: vlot in groep." in html
    assert ("Zorgteam: thuissituatie gewijzigd." in html) is ziet_zorgteam


def test_the_timeline_keeps_care_team_observations_from_teachers(wereld, client_voor):
    _maak(wereld, tekst="Klasteam ziet dit.")
    _maak(
        wereld,
        auteur=wereld.zorgcoordinator,
        tekst="Enkel het zorgteam ziet dit.",
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
    )
    url = reverse("leerlingen:tijdlijn", args=[wereld.leerling_a.pk])
    leerkracht = client_voor(wereld.leerkracht).get(url).content.decode()
    assert "Klasteam ziet dit." in leerkracht
    assert "Enkel het zorgteam ziet dit." not in leerkracht
    zorg = client_voor(wereld.zorgcoordinator).get(url).content.decode()
    assert "Enkel het zorgteam ziet dit." in zorg


# --- editing and correcting through the pages ------------------------------------


def test_the_author_edits_through_the_page_within_the_window(wereld, client_voor):
    observatie = _maak(wereld)
    client = client_voor(wereld.leerkracht)
    url = reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, observatie.pk])
    assert "Helpt spontaan een klasgenoot bij wiskunde." in client.get(url).content.decode()
    response = client.post(url, _formulier(tekst="Helpt klasgenoten bij wiskunde."))
    assert response.status_code == 302
    observatie.refresh_from_db()
    assert observatie.tekst == "Helpt klasgenoten bij wiskunde."


def test_after_the_window_the_edit_page_leads_to_a_correction(wereld, client_voor):
    observatie = _verouderen(_maak(wereld), 20)
    client = client_voor(wereld.leerkracht)
    url = reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, observatie.pk])
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, observatie.pk]
    )
    assert "Voeg een correctie toe" in response.content.decode()


def test_a_post_after_the_window_explains_and_keeps_the_original(wereld, client_voor):
    observatie = _verouderen(_maak(wereld), 20)
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, observatie.pk]),
        _formulier(tekst="Te laat gewijzigd."),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Voeg een correctie toe" in html
    assert (
        reverse("leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, observatie.pk])
        in html
    )
    observatie.refresh_from_db()
    assert observatie.tekst == "Helpt spontaan een klasgenoot bij wiskunde."


def test_someone_elses_observation_cannot_be_edited(wereld, client_voor):
    observatie = _maak(wereld)
    url = reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, observatie.pk])
    assert client_voor(wereld.titularis).get(url).status_code == 404
    assert client_voor(wereld.zorgcoordinator).post(url, _formulier()).status_code == 404


def test_an_observation_under_another_student_is_404(wereld, client_voor):
    observatie = _maak(wereld)
    ObservatieFactory(leerling=wereld.leerling_b)
    url = reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_b.pk, observatie.pk])
    assert client_voor(wereld.zorgcoordinator).get(url).status_code == 404


def test_a_correction_shows_what_it_corrects_and_the_original_shows_it_was_corrected(
    wereld, client_voor
):
    origineel = _verouderen(_maak(wereld, tekst="Was afwezig bij de toets."), 60)
    client = client_voor(wereld.leerkracht)
    url = reverse("leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, origineel.pk])
    pagina = client.get(url).content.decode()
    assert "Was afwezig bij de toets." in pagina  # the original, and the form prefilled
    response = client.post(url, _formulier(tekst="Was te laat bij de toets, niet afwezig."))
    assert response.status_code == 302
    correctie = Observatie.objects.get(corrigeert=origineel)
    origineel.refresh_from_db()
    assert origineel.tekst == "Was afwezig bij de toets."

    lijst = client.get(
        reverse("leerlingen:observatie_lijst", args=[wereld.leerling_a.pk])
    ).content.decode()
    vandaag = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Gecorrigeerd op {vandaag}" in lijst
    assert f'href="/leerlingen/{wereld.leerling_a.pk}/observaties/#observatie-{correctie.pk}"' in (
        lijst
    )
    assert "Corrigeert de observatie van" in lijst
    assert f"#observatie-{origineel.pk}" in lijst


def test_the_care_team_corrects_a_teachers_note_but_another_teacher_may_not(wereld, client_voor):
    origineel = _verouderen(_maak(wereld), 60)
    url = reverse("leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, origineel.pk])
    assert client_voor(wereld.titularis).get(url).status_code == 404
    response = client_voor(wereld.zorgcoordinator).post(url, _formulier(tekst="Rechtgezet."))
    assert response.status_code == 302
    assert Observatie.objects.filter(corrigeert=origineel, auteur=wereld.zorgcoordinator).exists()


def test_a_correction_of_a_care_team_note_offers_only_the_care_team(wereld, client_voor):
    origineel = _maak(wereld, auteur=wereld.zorgcoordinator, zichtbaarheid=Zichtbaarheid.ZORGTEAM)
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, origineel.pk])
    assert 'value="klasteam"' not in client.get(url).content.decode()
    response = client.post(url, _formulier(tekst="Rechtgezet.", zichtbaarheid="klasteam"))
    assert response.status_code == 200
    assert not Observatie.objects.filter(corrigeert=origineel).exists()
    # And a teacher cannot even reach it.
    assert client_voor(wereld.leerkracht).get(url).status_code == 404


# --- the class page's quick form ---------------------------------------------------


def test_the_class_page_loads_the_quick_form_with_htmx_and_links_to_it(wereld, client_voor):
    html = (
        client_voor(wereld.titularis)
        .get(reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk]))
        .content.decode()
    )
    url = reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk])
    assert f'hx-get="{url}"' in html
    assert 'hx-trigger="load"' in html
    assert f'href="{url}"' in html


def test_the_secretariat_gets_no_quick_form_on_the_class_page(wereld, client_voor):
    html = (
        client_voor(wereld.secretariaat)
        .get(reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk]))
        .content.decode()
    )
    assert reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk]) not in html


def test_the_htmx_quick_form_is_a_partial_listing_the_students_of_the_class(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(
        reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk]), headers=HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="klas-observatie"' in html
    assert "Peeters, Lotte" in html
    assert "Janssens" not in html
    assert f'value="{VANDAAG().isoformat()}"' in html


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_a_student_who_left_the_class_is_not_offered(wereld, client_voor):
    vertrokken = f.leerling_in(wereld.klas_a, voornaam="Jonas", achternaam="Maes")
    Inschrijving.objects.filter(leerling=vertrokken).update(
        einde=VANDAAG() - datetime.timedelta(days=1)
    )
    html = (
        client_voor(wereld.titularis)
        .get(reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk]), headers=HTMX)
        .content.decode()
    )
    assert "Maes" not in html


def test_the_clb_sees_no_class_page_and_no_class_observation_form(wereld, client_voor):
    # The CLB reaches single students, never a class: no class page to load
    # the form from, and the form itself is a 404, with or without htmx, even
    # for a class with a student it reaches.
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    client = client_voor(wereld.users["clb"])
    url = reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk])
    assert client.get(reverse("leerlingen:klas_detail", args=[wereld.klas_a.pk])).status_code == (
        404
    )
    assert client.get(url, headers=HTMX).status_code == 404
    assert client.get(url).status_code == 404
    assert client.post(url, _formulier(leerling=str(wereld.leerling_a.pk))).status_code == 404
    assert not Observatie.objects.exists()


def test_a_quick_observation_from_the_class_page_is_saved_for_the_chosen_student(
    wereld, client_voor
):
    response = client_voor(wereld.leerkracht).post(
        reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk]),
        _formulier(leerling=str(wereld.leerling_a.pk)),
        headers=HTMX,
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "De observatie over Lotte Peeters is bewaard." in html
    assert re.search(r'<textarea name="tekst"[^>]*>\s*</textarea>', html)
    observatie = Observatie.objects.get()
    assert (observatie.leerling, observatie.auteur) == (wereld.leerling_a, wereld.leerkracht)
    assert TijdlijnItem.objects.filter(bron_id=observatie.pk).exists()


def test_without_javascript_the_class_form_redirects_back_to_itself(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    url = reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk])
    response = client.post(url, _formulier(leerling=str(wereld.leerling_a.pk)))
    assert response.status_code == 302
    assert response["Location"] == url
    assert "De observatie over Lotte Peeters is bewaard." in client.get(url).content.decode()


@pytest.mark.parametrize(
    "leerling",
    [
        lambda w: str(w.leerling_b.pk),  # another class of the same school
        lambda w: str(w.leerling_x.pk),  # another school
        lambda w: "abc",
        lambda w: "",
        lambda w: "99999999",
        lambda w: f"{w.leerling_a.pk}.5",
    ],
    ids=["andere-klas", "andere-school", "geen-getal", "leeg", "onbestaand", "kommagetal"],
)
@pytest.mark.parametrize("rol", ["leerkracht", "zorgcoordinator"])
def test_a_tampered_student_id_on_the_class_form_is_a_form_error_and_saves_nothing(
    wereld, client_voor, leerling, rol
):
    response = client_voor(wereld.users[rol]).post(
        reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk]),
        _formulier(leerling=leerling(wereld)),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Kies een leerling uit klas 3A." in response.content.decode()
    assert not Observatie.objects.exists()


def test_a_teacher_of_another_class_cannot_post_to_this_class(wereld, client_voor):
    response = client_voor(wereld.leerkracht_b).post(
        reverse("leerlingen:klas_observatie", args=[wereld.klas_a.pk]),
        _formulier(leerling=str(wereld.leerling_a.pk)),
    )
    assert response.status_code == 404
    assert not Observatie.objects.exists()


# --- queries ----------------------------------------------------------------------


def _vul(wereld, aantal):
    """`aantal` observations, every fifth a correction of the one before
    and every third for the care team only."""
    vorige = None
    for i in range(aantal):
        observatie = ObservatieFactory(
            leerling=wereld.leerling_a,
            auteur=wereld.leerkracht if i % 2 else wereld.zorgcoordinator,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM if i % 3 == 0 else Zichtbaarheid.KLASTEAM,
            corrigeert=vorige if i % 5 == 4 and vorige.zichtbaarheid == "klasteam" else None,
        )
        vorige = observatie


def _tel(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rol", ["leerkracht", "zorgcoordinator"])
def test_the_list_query_count_does_not_grow_with_observations(wereld, client_voor, rol):
    # Guards against a query per row for the author, the corrected original
    # and the corrections (joined and prefetched once per page).
    client = client_voor(wereld.users[rol])
    url = reverse("leerlingen:observatie_lijst", args=[wereld.leerling_a.pk])
    _vul(wereld, 5)
    weinig = _tel(client, url)
    _vul(wereld, 195)
    veel = _tel(client, url)
    assert veel == weinig
    # 13 with the session's check of the memberships (zorg.sessies).
    assert veel <= 11


def test_the_section_query_count_does_not_grow_with_observations(wereld):
    # Guards against a query per row for authors and corrections.
    request = RequestFactory().get("/")
    request.user = wereld.leerkracht
    _vul(wereld, 5)
    observatie_views.sectie(request, wereld.leerling_a)
    with CaptureQueriesContext(connection) as weinig:
        observatie_views.sectie(request, wereld.leerling_a)
    _vul(wereld, 195)
    with CaptureQueriesContext(connection) as veel:
        observatie_views.sectie(request, wereld.leerling_a)
    assert len(veel) == len(weinig) <= 3


@pytest.mark.parametrize(
    ("rol", "url"),
    [
        (
            "zorgcoordinator",
            lambda w: reverse("leerlingen:observatie_lijst", args=[w.leerling_a.pk]),
        ),
        ("leerkracht", lambda w: reverse("leerlingen:observatie_lijst", args=[w.leerling_a.pk])),
        ("titularis", lambda w: reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])),
        ("titularis", lambda w: reverse("leerlingen:klas_observatie", args=[w.klas_a.pk])),
        ("titularis", lambda w: reverse("leerlingen:klas_detail", args=[w.klas_a.pk])),
        ("leerkracht", lambda w: reverse("leerlingen:observatie_nieuw", args=[w.leerling_a.pk])),
    ],
)
def test_templates_run_no_queries(wereld, client_voor, template_queries, rol, url):
    _vul(wereld, 12)
    response = client_voor(wereld.users[rol]).get(url(wereld))
    assert response.status_code == 200
    assert template_queries == []


def test_edit_and_correction_pages_run_no_template_queries(wereld, client_voor, template_queries):
    origineel = _verouderen(_maak(wereld), 60)
    correctie = _maak(wereld, corrigeert=origineel, tekst="Rechtgezet.")
    client = client_voor(wereld.leerkracht)
    for url in (
        reverse("leerlingen:observatie_bewerken", args=[wereld.leerling_a.pk, correctie.pk]),
        reverse("leerlingen:observatie_corrigeren", args=[wereld.leerling_a.pk, correctie.pk]),
    ):
        assert client.get(url).status_code == 200
    assert template_queries == []


def test_the_section_template_alone_runs_no_queries(wereld, template_queries):
    _vul(wereld, 12)
    request = RequestFactory().get("/")
    request.user = wereld.zorgcoordinator
    s = observatie_views.sectie(request, wereld.leerling_a)
    html = render_to_string(
        "leerlingen/secties/observaties.html", {"s": s, "leerling": wereld.leerling_a}, request
    )
    assert "Gecorrigeerd op" in html
    assert template_queries == []
