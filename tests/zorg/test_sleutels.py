"""Issue 15: a security key or passkey (WebAuthn, allauth's) as the second
factor: chosen at the forced enrolment instead of the app, then asked after
the password; its pages keep to the CSP (scripts from Zorg's own static files,
data blocks only inline) and speak Dutch; production never accepts an
insecure origin, and a key is never a sign-in on its own (zorg/settings.py).
A software key (tests/sleutel.py) answers as a real one; the browser journey
is tests/browser/test_sleutels.py."""

import datetime
import json
import re
import zoneinfo
from html.parser import HTMLParser

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from tests.factories import WACHTWOORD
from tests.sleutel import Sleutel
from tests.zorg.test_settings import BASIS, EMBEDDED, _waarde
from zorg.audit.models import Actie, AuditEvent

MOMENT = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
INSCHRIJVEN = "/account/2fa/totp/activate/"
SLEUTEL_TOEVOEGEN = "/account/2fa/webauthn/add/"

verplicht = override_settings(ZORG_MFA_VERPLICHT=True)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.stijlen = 0
        self.extern: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if "style" in attrs:
            self.stijlen += 1
        for naam in ("src", "href", "action"):
            waarde = attrs.get(naam) or ""
            if re.match(r"^(https?:)?//", waarde):
                self.extern.append(waarde)


def _houdt_zich_aan_de_csp(client, response) -> None:
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    lezer = _Scripts()
    lezer.feed(response.content.decode())
    assert lezer.scripts, "the key's pages need their scripts"
    for script in lezer.scripts:
        if "src" in script:
            assert script["src"].startswith("/static/"), script
            assert client.get(script["src"]).status_code == 200, script["src"]
        else:
            # Not executed: JSON data for the scripts.
            assert script.get("type") == "application/json", script
    assert lezer.stijlen == 0, "inline style attributes are blocked by style-src 'self'"
    assert lezer.extern == []


def _aanmelden(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    assert response.status_code == 302
    return response


@verplicht
def test_who_must_enrol_chooses_a_key_adds_it_and_signs_in_with_password_and_key(wereld, client):
    user = wereld.zorgcoordinator
    sleutel = Sleutel()
    with time_machine.travel(MOMENT, tick=False):
        _aanmelden(client, user)
        assert client.get(reverse("start"))["Location"] == INSCHRIJVEN
        # The app stays the default; the page offers the key.
        inhoud = client.get(INSCHRIJVEN).content.decode()
        assert f'href="{SLEUTEL_TOEVOEGEN}" data-testid="mfa-sleutel-kiezen"' in inhoud

        response = client.get(SLEUTEL_TOEVOEGEN)
        assert response.status_code == 200
        inhoud = response.content.decode()
        assert 'data-testid="mfa-verplicht"' in inhoud
        assert 'data-testid="mfa-app-kiezen"' in inhoud
        assert "Naam van de sleutel" in inhoud
        _houdt_zich_aan_de_csp(client, response)
        opties = response.context["js_data"]["creation_options"]
        assert opties["publicKey"]["rp"]["id"] == "testserver"

        response = client.post(
            SLEUTEL_TOEVOEGEN, {"name": "USB-sleutel", "credential": sleutel.registreren(opties)}
        )
        assert response["Location"] == reverse("mfa_view_recovery_codes")
        assert set(Authenticator.objects.filter(user=user).values_list("type", flat=True)) == {
            Authenticator.Type.WEBAUTHN,
            Authenticator.Type.RECOVERY_CODES,
        }
        # A key counts as the second factor: Zorg opens.
        assert client.get(reverse("start")).status_code == 200

        # The next sign-in asks for the key after the password.
        client.post(reverse("account_logout"))
        response = _aanmelden(client, user)
        assert response["Location"].startswith(reverse("mfa_authenticate"))
        assert client.get(reverse("start")).status_code == 302
        response = client.get(reverse("mfa_authenticate"))
        assert response.status_code == 200
        assert "Gebruik een beveiligingssleutel" in response.content.decode()
        _houdt_zich_aan_de_csp(client, response)
        opties = response.context["js_data"]["request_options"]
        response = client.post(
            reverse("mfa_authenticate"), {"credential": sleutel.aanmelden(opties)}
        )
        assert response["Location"] == reverse("start")
        assert client.get(reverse("start")).status_code == 200
    assert AuditEvent.objects.filter(gebruiker=user, actie=Actie.AANMELDEN).count() == 2


@verplicht
def test_a_key_that_answers_a_challenge_it_was_not_given_is_refused(wereld, client):
    user = wereld.zorgcoordinator
    sleutel = Sleutel()
    with time_machine.travel(MOMENT, tick=False):
        _aanmelden(client, user)
        opties = client.get(SLEUTEL_TOEVOEGEN).context["js_data"]["creation_options"]
        client.post(SLEUTEL_TOEVOEGEN, {"name": "", "credential": sleutel.registreren(opties)})
        client.post(reverse("account_logout"))
        _aanmelden(client, user)
        opties = client.get(reverse("mfa_authenticate")).context["js_data"]["request_options"]
        ander = json.loads(json.dumps(opties))
        ander["publicKey"]["challenge"] = "AAAAAAAAAAAAAAAAAAAAAA"
        response = client.post(
            reverse("mfa_authenticate"), {"credential": sleutel.aanmelden(ander)}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        # Someone else's key (not registered for this account) neither.
        opties = client.get(reverse("mfa_authenticate")).context["js_data"]["request_options"]
        vreemd = Sleutel()
        response = client.post(
            reverse("mfa_authenticate"), {"credential": vreemd.aanmelden(opties)}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    assert (
        AuditEvent.objects.filter(
            actie=Actie.AANMELDEN_MISLUKT, omschrijving=f"tweede stap (sleutel) voor {user.email}"
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    "antwoord",
    ['{"id": "x"}', '{"id": "x", "rawId": "x", "response": "kapot"}', "[]", '"tekst"'],
)
@verplicht
def test_a_malformed_answer_from_the_browser_is_a_wrong_key_not_an_error(wereld, client, antwoord):
    user = wereld.zorgcoordinator
    with time_machine.travel(MOMENT, tick=False):
        _aanmelden(client, user)
        client.get(SLEUTEL_TOEVOEGEN)
        response = client.post(SLEUTEL_TOEVOEGEN, {"name": "x", "credential": antwoord})
        assert response.status_code == 200
        assert not Authenticator.objects.filter(user=user).exists()


@verplicht
def test_every_key_page_keeps_to_the_csp_and_speaks_dutch(wereld, client):
    user = wereld.directie
    sleutel = Sleutel()
    with time_machine.travel(MOMENT, tick=False):
        _aanmelden(client, user)
        opties = client.get(SLEUTEL_TOEVOEGEN).context["js_data"]["creation_options"]
        client.post(
            SLEUTEL_TOEVOEGEN, {"name": "Laptop", "credential": sleutel.registreren(opties)}
        )
        pk = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN).pk
        for naam, kwargs, met_scripts in [
            ("mfa_index", {}, False),
            ("mfa_list_webauthn", {}, False),
            ("mfa_add_webauthn", {}, True),
            ("mfa_edit_webauthn", {"pk": pk}, False),
            ("mfa_remove_webauthn", {"pk": pk}, False),
            ("mfa_reauthenticate_webauthn", {}, True),
        ]:
            response = client.get(reverse(naam, kwargs=kwargs))
            assert response.status_code == 200, naam
            inhoud = response.content.decode()
            assert "sleutel" in inhoud.lower(), naam
            for engels in ("Security Key", "Not used.", ">Name<", "Add<", "Remove<"):
                assert engels not in inhoud, (naam, engels)
            if met_scripts:
                _houdt_zich_aan_de_csp(client, response)
        lijst = client.get(reverse("mfa_list_webauthn")).content.decode()
        assert "Laptop" in lijst
        assert "Nog niet gebruikt." in lijst


def test_a_key_is_never_a_sign_in_on_its_own():
    assert not _lukt(lambda: reverse("mfa_login_webauthn"))
    assert not _lukt(lambda: reverse("mfa_signup_webauthn"))


def _lukt(functie) -> bool:
    try:
        functie()
    except NoReverseMatch:
        return False
    return True


def test_production_settings_offer_keys_but_never_an_insecure_origin_or_passkey_login():
    for env in (BASIS, EMBEDDED):
        assert _waarde(env, "s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN") == "False"
        assert _waarde(env, "s.MFA_PASSKEY_LOGIN_ENABLED") == "False"
        assert _waarde(env, "'webauthn' in s.MFA_SUPPORTED_TYPES") == "True"
    from django.conf import settings

    # Nor do the tests need one: the browser tests run on http://localhost,
    # a secure context for browsers and for fido2 alike.
    assert settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN is False
