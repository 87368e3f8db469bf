"""Issue 16 in a real browser: the administrator invites a new teacher, who
chooses a password through the link in the e-mail and signs in."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from tests.browser.hulp import veld
from zorg.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NIEUW = "Een-lang-wachtwoord-42"


def test_an_invited_teacher_sets_a_password_through_the_mail_and_signs_in(
    wereld, aanmelden, live_server, browser
):
    page = aanmelden(wereld.beheerder)
    page.goto(f"{live_server.url}/beheer/personeel/")
    page.get_by_role("link", name="Iemand uitnodigen").click()
    veld(page, "E-mailadres").fill("jana.maes@school.example")
    veld(page, "Voornaam").fill("Jana")
    veld(page, "Achternaam").fill("Maes")
    page.get_by_label("Leerkracht").check()
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.locator("body")).to_contain_text("De uitnodiging voor jana.maes@school.example")
    assert len(mail.outbox) == 1
    # The link behind the configured address, opened on the live server.
    pad = re.search(re.escape(settings.ZORG_BASE_URL) + r"(/\S+)", mail.outbox[0].body).group(1)
    link = live_server.url + pad

    # The invitee, in a browser of their own.
    ander = browser.new_context().new_page()
    ander.goto(link)
    ander.fill("input[name=password1]", NIEUW)
    ander.fill("input[name=password2]", NIEUW)
    ander.get_by_role("button", name="Wachtwoord wijzigen").click()
    ander.wait_for_url(re.compile(r".*/account/password/reset/key/done/$"))
    ander.goto(f"{live_server.url}/account/login/")
    ander.fill("input[name=login]", "jana.maes@school.example")
    ander.fill("input[name=password]", NIEUW)
    ander.locator('form[action="/account/login/"] button[type=submit]').click()
    ander.wait_for_url(f"{live_server.url}/")
    assert User.objects.get(email="jana.maes@school.example").last_login is not None

    # The administrator's list now says she signed in.
    page.goto(f"{live_server.url}/beheer/scholen/{wereld.school.pk}/personeel/?q=jana")
    expect(page.get_by_test_id("personeelslid")).to_contain_text("aangemeld")
