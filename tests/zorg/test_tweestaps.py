"""Issue 15, finding 3: MFA is required of every role that reaches care data or
a whole school's records, and of teachers where their school keeps it on;
enrolment at the first request after it becomes required; the platform
administrator resets a member's MFA, in the audit trail; production settings
have it on, the embedded mode off (zorg/accounts/tweestaps.py)."""

import datetime
import zoneinfo

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    hotp_value,
)
from django.test import override_settings
from django.urls import reverse

from tests import factories as f
from tests.factories import WACHTWOORD
from tests.zorg.test_settings import BASIS, EMBEDDED, _laad, _waarde
from zorg.accounts.models import Rol, School
from zorg.accounts.tweestaps import MFAAdapter, mfa_resetten, mfa_verplicht
from zorg.audit.models import Actie, AuditEvent

MOMENT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
GEHEIM = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
INSCHRIJVEN = "/account/2fa/totp/activate/"

verplicht = override_settings(ZORG_MFA_VERPLICHT=True)

MOETEN = [
    "zorgcoordinator",
    "directie",
    "groepsdirectie",
    "clb",
    "beheerder",
    # The secretariat sees no care content, but the whole school's students and
    # guardians: MFA like the administrator (ASVS 5.0 6.3.3 asks it of all).
    "secretariaat",
    "platform",
    # Teachers: their school's setting, on by default.
    "leerkracht",
    "titularis",
]


def _code(geheim: str, moment: datetime.datetime = MOMENT) -> str:
    return format_hotp_value(hotp_value(geheim, int(moment.timestamp()) // 30))


def _aanmelden(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    assert response["Location"] == reverse("start")


def _leerkrachten_vrij(school):
    School.objects.filter(pk=school.pk).update(mfa_leerkrachten=False)


@verplicht
@pytest.mark.parametrize("rol", MOETEN)
def test_each_role_that_must_use_mfa_is_sent_to_enrolment_from_every_page(wereld, client, rol):
    _aanmelden(client, wereld.users[rol])
    for pagina in [reverse("start"), reverse("meldingen:melding_lijst"), "/platformbeheer/"]:
        response = client.get(pagina)
        assert response.status_code == 302, pagina
        assert response["Location"] == INSCHRIJVEN
    response = client.get(INSCHRIJVEN)
    assert response.status_code == 200
    inhoud = response.content.decode()
    assert 'data-testid="mfa-verplicht"' in inhoud
    assert "Stel eerst tweestapsverificatie in" in inhoud


@pytest.mark.parametrize("rol", MOETEN)
def test_without_the_setting_nobody_is_sent_to_enrolment(wereld, client_voor, rol):
    """The embedded mode's (and the other tests') default."""
    response = client_voor(wereld.users[rol]).get(reverse("start"))
    assert response.status_code == 200


@verplicht
def test_teachers_of_a_school_that_turns_it_off_sign_in_without_mfa(wereld, client_voor):
    _leerkrachten_vrij(wereld.school)
    for rol in ["leerkracht", "titularis", "leerkracht_b"]:
        assert client_voor(wereld.users[rol]).get(reverse("start")).status_code == 200
    # The school's other roles still must.
    assert client_voor(wereld.zorgcoordinator).get(reverse("start"))["Location"] == INSCHRIJVEN


@verplicht
def test_a_teacher_at_two_schools_must_when_one_of_them_keeps_it_on(wereld, client_voor):
    _leerkrachten_vrij(wereld.school)
    f.LidmaatschapFactory(user=wereld.leerkracht, school=wereld.school2, rol=Rol.LEERKRACHT)
    assert client_voor(wereld.leerkracht).get(reverse("start"))["Location"] == INSCHRIJVEN


@verplicht
def test_a_teacher_who_is_also_care_coordinator_must_whatever_the_school_says(wereld):
    _leerkrachten_vrij(wereld.school)
    f.LidmaatschapFactory(user=wereld.leerkracht, school=wereld.school, rol=Rol.ZORGCOORDINATOR)
    assert mfa_verplicht(wereld.leerkracht)


def test_a_new_school_requires_mfa_of_its_teachers():
    assert School._meta.get_field("mfa_leerkrachten").default is True


@verplicht
def test_who_must_enrol_can_still_sign_out_and_switch_language(wereld, client):
    _aanmelden(client, wereld.zorgcoordinator)
    response = client.post(reverse("set_language"), {"language": "en", "next": INSCHRIJVEN})
    assert response.status_code == 302
    assert response["Location"] == INSCHRIJVEN
    assert client.get(INSCHRIJVEN).status_code == 200
    assert client.get("/static/css/zorg.css").status_code != 302
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@verplicht
def test_a_session_from_before_the_rule_checks_the_password_first_and_says_why(wereld, client_voor):
    """Signed in before MFA became required (force_login: no recent sign-in),
    allauth asks for the password before enrolment; that page explains too."""
    client = client_voor(wereld.zorgcoordinator)
    response = client.get(reverse("start"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert 'data-testid="mfa-verplicht"' in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": WACHTWOORD}, follow=True)
    assert response.redirect_chain[-1][0] == INSCHRIJVEN
    assert 'data-testid="mfa-verplicht"' in response.content.decode()


@verplicht
def test_an_htmx_request_loads_the_enrolment_page_whole(wereld, client_voor):
    response = client_voor(wereld.zorgcoordinator).get(
        reverse("start"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == INSCHRIJVEN


@verplicht
def test_enrolment_at_the_first_sign_in_then_recovery_codes_then_zorg(wereld, client):
    user = wereld.zorgcoordinator
    with time_machine.travel(MOMENT, tick=False):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": WACHTWOORD}
        )
        assert response["Location"] == reverse("start")
        response = client.get(reverse("start"))
        assert response["Location"] == INSCHRIJVEN
        assert client.get(INSCHRIJVEN).status_code == 200
        geheim = client.session[SECRET_SESSION_KEY]
        # A wrong code enrols nothing.
        response = client.post(
            INSCHRIJVEN, {"code": "000000" if _code(geheim) != "000000" else "1"}
        )
        assert response.status_code == 200
        assert not Authenticator.objects.filter(user=user).exists()
        response = client.post(INSCHRIJVEN, {"code": _code(geheim)})
        assert response["Location"] == reverse("mfa_view_recovery_codes")
        codes = client.get(reverse("mfa_view_recovery_codes"))
        assert codes.status_code == 200
        assert 'data-testid="verder-naar-zorg"' in codes.content.decode()
        assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
            Authenticator.Type.TOTP,
            Authenticator.Type.RECOVERY_CODES,
        }
        assert client.get(reverse("start")).status_code == 200
        # The next sign-in asks for the code.
        client.post(reverse("account_logout"))
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": WACHTWOORD}
        )
        assert response["Location"].startswith(reverse("mfa_authenticate"))
        assert client.get(reverse("start")).status_code == 302
    later = MOMENT + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.post(reverse("mfa_authenticate"), {"code": _code(geheim, later)})
        assert response["Location"] == reverse("start")
        assert client.get(reverse("start")).status_code == 200


@verplicht
def test_with_an_authenticator_every_page_opens(wereld, client_voor):
    TOTP.activate(wereld.directie, GEHEIM)
    assert client_voor(wereld.directie).get(reverse("start")).status_code == 200


@verplicht
def test_recovery_codes_alone_are_no_second_factor(wereld, client_voor):
    Authenticator.objects.create(
        user=wereld.directie, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"}
    )
    assert client_voor(wereld.directie).get(reverse("start"))["Location"] == INSCHRIJVEN


@verplicht
def test_who_must_cannot_switch_their_last_authenticator_off(wereld):
    adapter = MFAAdapter()
    totp = TOTP.activate(wereld.zorgcoordinator, GEHEIM).instance
    assert not adapter.can_delete_authenticator(totp)
    _leerkrachten_vrij(wereld.school)
    eigen = TOTP.activate(wereld.leerkracht, GEHEIM).instance
    assert adapter.can_delete_authenticator(eigen)


@verplicht
def test_the_administrator_resets_a_members_mfa_with_an_admin_action_in_the_trail(
    wereld, client_voor
):
    platform = wereld.users["platform"]
    TOTP.activate(platform, GEHEIM)
    TOTP.activate(wereld.zorgcoordinator, GEHEIM)
    Authenticator.objects.create(
        user=wereld.zorgcoordinator, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"}
    )
    beheer = client_voor(platform)
    response = beheer.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "tweestapsverificatie_resetten",
            "_selected_action": [wereld.zorgcoordinator.pk],
        },
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=wereld.zorgcoordinator).exists()
    assert Authenticator.objects.filter(user=platform).exists()
    event = AuditEvent.objects.get(onderwerp="tweestapsverificatie")
    assert event.gebruiker == platform
    assert event.actie == Actie.VERWIJDEREN
    assert event.object_id == str(wereld.zorgcoordinator.pk)
    assert "recovery_codes, totp" in event.omschrijving
    # Their next request leads to enrolment again.
    response = client_voor(wereld.zorgcoordinator).get(reverse("start"))
    assert response["Location"] == INSCHRIJVEN


def test_a_reset_ends_the_members_sessions(wereld, client_voor):
    TOTP.activate(wereld.zorgcoordinator, GEHEIM)
    zorg = client_voor(wereld.zorgcoordinator)
    assert zorg.get(reverse("start")).status_code == 200
    mfa_resetten(door=wereld.users["platform"], user=wereld.zorgcoordinator)
    response = zorg.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_resetting_someone_without_mfa_deletes_nothing_and_is_recorded(wereld):
    assert mfa_resetten(door=wereld.users["platform"], user=wereld.directie) == 0
    event = AuditEvent.objects.get(onderwerp="tweestapsverificatie")
    assert "geen authenticators" in event.omschrijving


def test_production_settings_require_mfa_and_the_embedded_mode_does_not():
    assert _waarde(BASIS, "s.ZORG_MFA_VERPLICHT") == "True"
    assert _waarde(EMBEDDED, "s.ZORG_MFA_VERPLICHT") == "False"
    assert _waarde({**BASIS, "ZORG_MFA_VERPLICHT": "0"}, "s.ZORG_MFA_VERPLICHT") == "False"
    resultaat = _laad(ZORG_MFA_VERPLICHT="misschien")
    assert resultaat.returncode != 0
    assert "ZORG_MFA_VERPLICHT must be one of" in resultaat.stderr


def test_the_middleware_runs_after_authentication():
    from django.conf import settings

    mw = settings.MIDDLEWARE
    assert mw.index("zorg.accounts.tweestaps.TweestapsMiddleware") > mw.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


@verplicht
def test_an_enrolled_session_asks_the_database_for_its_second_factor_once(wereld, client_voor):
    from allauth.mfa.signals import authenticator_removed
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    TOTP.activate(wereld.directie, GEHEIM)
    client = client_voor(wereld.directie)
    with CaptureQueriesContext(connection) as eerste:
        assert client.get(reverse("start")).status_code == 200
    assert any("mfa_authenticator" in q["sql"] for q in eerste.captured_queries)
    with CaptureQueriesContext(connection) as tweede:
        assert client.get(reverse("start")).status_code == 200
    assert not any("mfa_authenticator" in q["sql"] for q in tweede.captured_queries)

    # An authenticator removed in this session: asked again, and without a
    # second factor left the next page leads to enrolment.
    Authenticator.objects.filter(user=wereld.directie).delete()

    class _Verzoek:
        # As allauth sends it: the person's own request (their session stays).
        session = client.session
        user = wereld.directie

    verzoek = _Verzoek()
    authenticator_removed.send(sender=Authenticator, request=verzoek, user=wereld.directie)
    verzoek.session.save()
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
