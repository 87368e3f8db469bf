"""The portal's pages: who reaches them, what they never show, what they
cost, and that every read is in the audit trail."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portaal import policies
from portaal.models import Portaaltoegang
from tests import factories as f
from tests.dossier import INHOUD, dossier_vullen
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.portaal.factories import ouder_met_toegang
from zorg.accounts.policies import toegang
from zorg.accounts.tweestaps import mfa_verplicht
from zorg.audit.models import Actie, AuditEvent


@pytest.fixture
def w(wereld):
    wereld.school.portaal_aan = True
    wereld.school.save(update_fields=["portaal_aan"])
    return wereld


def _kind(leerling):
    return reverse("portaal:kind", args=[leerling.pk])


# --- who reaches what -------------------------------------------------------------


def test_a_guardian_asking_for_another_child_gets_the_404_of_a_child_that_does_not_exist(
    w, client_voor
):
    client = client_voor(w.ouder)
    ander = client.get(_kind(w.leerling_b))
    onbestaand = client.get(reverse("portaal:kind", args=[999_999_999]))
    assert ander.status_code == onbestaand.status_code == 404
    # Byte for byte, once the CSRF token, the session clock and the requested
    # path are set aside.
    assert _gelijkgemaakt(ander, w.leerling_b.pk) == _gelijkgemaakt(onbestaand, 999_999_999)


def _gelijkgemaakt(response, pk) -> str:
    html = re.sub(r"[A-Za-z0-9]{64}", "TOKEN", response.content.decode())
    # The session warning's seconds left tick on between the two requests.
    html = re.sub(r'(data-[a-z-]+)="\d+"', r'\1="N"', html)
    return html.replace(f"/portaal/leerling/{pk}/", "/portaal/leerling/PK/")


def test_a_revoked_access_is_a_404(w, client_voor):
    Portaaltoegang.objects.filter(user=w.ouder).update(ingetrokken_op=timezone.now())
    assert client_voor(w.ouder).get(_kind(w.leerling_a)).status_code == 404


def test_an_invitation_not_yet_accepted_opens_nothing(w, client_voor):
    Portaaltoegang.objects.filter(user=w.ouder).update(aanvaard_op=None)
    assert client_voor(w.ouder).get(_kind(w.leerling_a)).status_code == 404
    assert policies.portaaltoegangen_visible_to(w.ouder).count() == 0


def test_with_the_schools_portal_off_the_child_is_a_404_and_the_start_page_explains(
    wereld, client_voor
):
    client = client_voor(wereld.ouder)
    assert client.get(_kind(wereld.leerling_a)).status_code == 404
    html = client.get(reverse("portaal:start")).content.decode()
    assert 'data-testid="portaal-leeg"' in html
    assert "Lotte Peeters" not in html


def test_a_guardian_of_two_children_sees_both_and_each_page(w, client_voor):
    tweede = ouder_met_toegang(w.leerling_b, user=w.ouder)
    assert tweede.user_id == w.ouder.pk
    client = client_voor(w.ouder)
    html = client.get(reverse("portaal:start")).content.decode()
    assert "Lotte Peeters" in html and "Noah Janssens" in html
    assert client.get(_kind(w.leerling_b)).status_code == 200


def test_a_staff_page_is_the_same_404_for_a_guardian_as_for_a_stranger(w, client_voor):
    url = reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])
    assert client_voor(w.ouder).get(url).status_code == 404
    assert client_voor(w.leerling).get(reverse("leerlingen:leerling_lijst")).status_code == 404
    assert client_voor(w.ouder).get(reverse("meldingen:melding_lijst")).status_code == 404


def test_the_start_page_sends_a_guardian_to_the_portal(w, client_voor):
    response = client_voor(w.ouder).get(reverse("start"))
    assert response.status_code == 302 and response["Location"] == reverse("portaal:start")


def test_a_portal_user_holds_no_scope_at_all(w):
    wat = toegang(w.ouder)
    assert not wat.rollen and not wat.clb_ids and not wat.groep_ids and not wat.alle_school_ids
    assert policies.is_portaalgebruiker(w.ouder)
    assert not policies.is_portaalgebruiker(w.zorgcoordinator)


def test_staff_who_are_also_a_parent_keep_their_staff_pages(w, client_voor):
    ouder_met_toegang(w.leerling_b, user=w.leerkracht)
    client = client_voor(w.leerkracht)
    assert client.get(reverse("start")).status_code == 200
    assert client.get(_kind(w.leerling_b)).status_code == 200


@override_settings(ZORG_MFA_VERPLICHT=True)
def test_two_step_verification_is_optional_for_guardians_and_students(w, client_voor):
    assert not mfa_verplicht(w.ouder) and not mfa_verplicht(w.leerling)
    assert mfa_verplicht(w.zorgcoordinator)
    # They are not sent to enrolment, and can enrol from their account page.
    client = client_voor(w.ouder)
    assert client.get(reverse("portaal:start")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


# --- what the page shows and never shows ---------------------------------------------

NOOIT = [
    "observatie",
    "gesprek",
    "deelnemers",
    "vlag",
    "opvolging",
    "intake",
    "fasereden",
    "hulpvraag",
    "evaluatie",
    "stopreden",
    "bespreekvraag",
    "beslissing",
]


@pytest.mark.parametrize("rol", ["ouder", "leerling"])
def test_the_child_page_never_shows_observations_flags_minutes_or_talk_summaries(
    w, client_voor, rol
):
    dossier_vullen(w)
    MaatregelFactory(leerling=w.leerling_a, titel="Voorleessoftware bij toetsen")
    html = client_voor(w.users[rol]).get(_kind(w.leerling_a)).content.decode()
    assert "Voorleessoftware bij toetsen" in html  # the page does show what was agreed
    gelekt = [sleutel for sleutel in NOOIT if INHOUD[sleutel] in html]
    assert not gelekt, f"care content on the portal page: {gelekt}"
    for persoon in (w.leerkracht, w.titularis, w.users["clb"]):
        assert persoon.last_name not in html
    # No way into the staff pages.
    assert "/leerlingen/" not in html and "/meldingen/" not in html


def test_every_portal_read_is_in_the_audit_trail(w, client_voor):
    client = client_voor(w.leerling)
    client.get(reverse("portaal:start"))
    client.get(_kind(w.leerling_a))
    events = AuditEvent.objects.filter(gebruiker=w.leerling, actie=Actie.LEZEN)
    assert sorted(events.values_list("omschrijving", flat=True)) == [
        "portaal (leerling): maatregelen, afspraken, clb",
        "portaal: lijst",
    ]
    assert set(events.values_list("leerling_id", flat=True)) == {w.leerling_a.pk}


def test_the_care_teams_section_on_the_student_page_leads_to_the_portal_page(w, client_voor):
    html = (
        client_voor(w.zorgcoordinator)
        .get(reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]))
        .content.decode()
    )
    assert 'data-testid="sectie-portaal"' in html
    assert reverse("portaal:beheer", args=[w.leerling_a.pk]) in html
    html = (
        client_voor(w.leerkracht)
        .get(reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk]))
        .content.decode()
    )
    assert 'data-testid="sectie-portaal"' not in html


# --- query counts -----------------------------------------------------------------


@pytest.mark.parametrize("aantal", [1, 5])
def test_the_portal_start_page_costs_the_same_for_one_child_or_five(
    w, client_voor, django_assert_max_num_queries, aantal
):
    # Guards against a query per child for its name or its school's setting.
    for _ in range(aantal - 1):
        ouder_met_toegang(f.leerling_in(w.klas_a), user=w.ouder)
    client = client_voor(w.ouder)
    client.get(reverse("portaal:start"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("portaal:start"))
    assert response.content.decode().count('href="/portaal/leerling/') == aantal


@pytest.mark.parametrize("aantal", [1, 5])
def test_the_child_page_costs_the_same_for_one_measure_or_five(
    w, client_voor, django_assert_max_num_queries, aantal
):
    # Guards against a query per measure (its kind, its agreement) or per talk.
    for nummer in range(aantal):
        MaatregelFactory(leerling=w.leerling_a, titel=f"Afgesproken {nummer}")
    client = client_voor(w.ouder)
    client.get(_kind(w.leerling_a))
    with django_assert_max_num_queries(12):
        response = client.get(_kind(w.leerling_a))
    assert len(re.findall(r"Afgesproken \d", response.content.decode())) == aantal


def test_the_portal_templates_run_no_queries(w, client_voor, template_queries):
    MaatregelFactory(leerling=w.leerling_a)
    client = client_voor(w.ouder)
    assert client.get(reverse("portaal:start")).status_code == 200
    assert client.get(_kind(w.leerling_a)).status_code == 200
    client = client_voor(w.zorgcoordinator)
    assert client.get(reverse("portaal:beheer", args=[w.leerling_a.pk])).status_code == 200
    assert (
        client.get(reverse("leerlingen:leerling_detail", args=[w.leerling_a.pk])).status_code == 200
    )
    assert template_queries == []
