"""A passkey as the second factor, in a real browser: Chromium's virtual
authenticator (CDP) plays the key. A care coordinator who must enrol chooses
a key instead of the app, adds it, signs out, signs in with the password and
the key, and reaches the start page; no page on the way breaks the CSP.
http://localhost is a secure context: no insecure origin is allowed for it."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import WACHTWOORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _virtuele_sleutel(context, page) -> tuple:
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    sleutel = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, sleutel["authenticatorId"]


def _wachtwoord(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", WACHTWOORD)
    page.locator('form[action="/account/login/"] button[type=submit]').click()


def test_a_care_coordinator_enrols_a_passkey_and_signs_in_with_password_and_key(
    wereld, page, context, live_server, settings
):
    settings.ZORG_MFA_VERPLICHT = True
    csp = []
    page.on(
        "console",
        lambda bericht: (
            csp.append(bericht.text) if "Content Security Policy" in bericht.text else None
        ),
    )
    cdp, sleutel_id = _virtuele_sleutel(context, page)
    user = wereld.zorgcoordinator

    _wachtwoord(page, live_server, user)
    page.wait_for_url(f"{live_server.url}/account/2fa/totp/activate/")
    expect(page.get_by_test_id("mfa-verplicht")).to_be_visible()
    page.get_by_test_id("mfa-sleutel-kiezen").click()
    page.wait_for_url(f"{live_server.url}/account/2fa/webauthn/add/")
    page.get_by_label("Naam van de sleutel").fill("Virtuele sleutel")
    page.locator("#mfa_webauthn_add").click()
    page.wait_for_url(f"{live_server.url}/account/2fa/recovery-codes/")
    page.get_by_test_id("verder-naar-zorg").click()
    page.wait_for_url(f"{live_server.url}/")
    assert (
        len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": sleutel_id})["credentials"])
        == 1
    )

    page.get_by_role("button", name=user.get_full_name() or user.email).click()
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_url(re.compile(r"/account/login/"))

    _wachtwoord(page, live_server, user)
    page.wait_for_url(re.compile(r"/account/2fa/authenticate/"))
    page.get_by_role("button", name="Gebruik een beveiligingssleutel").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator("main")).to_be_visible()

    # The same key a second time: the browser refuses it, and the page says
    # so (allauth itself only writes to the console).
    # Adding a key asks who is there first (allauth's reauthentication).
    page.goto(f"{live_server.url}/account/2fa/webauthn/add/")
    page.wait_for_url(re.compile(r"/account/reauthenticate/"))
    page.fill("input[name=password]", WACHTWOORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/account/2fa/webauthn/add/")
    fout = page.get_by_test_id("webauthn-fout")
    expect(fout).to_be_hidden()
    page.locator("#mfa_webauthn_add").click()
    expect(fout).to_be_visible(timeout=15_000)
    expect(fout).to_contain_text("Dat lukte niet")
    assert (
        len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": sleutel_id})["credentials"])
        == 1
    )
    assert csp == []
