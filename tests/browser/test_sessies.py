"""The warning before a session ends, in a real browser: it appears shortly
before the idle limit, "Aangemeld blijven" extends the session without
losing what was typed, and a session that did end goes to the login page
with the reason. The school's limit is set to one minute here (below what
its settings page accepts) so the test does not wait half an hour."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from zorg.accounts.models import School

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEKST = "Duwen en roepen tijdens de les; nog niet bewaard."


def test_the_warning_appears_and_stay_signed_in_keeps_the_typed_text(
    wereld, aanmelden, live_server, settings
):
    School.objects.filter(pk=wereld.school.pk).update(sessie_inactief_minuten=1)
    settings.ZORG_SESSIE_WAARSCHUWING_SECONDEN = 55  # shown about 5 s after a page opens
    page = aanmelden(wereld.leerkracht)
    page.goto(f"{live_server.url}/klassen/{wereld.klas_a.pk}/")
    page.get_by_role("link", name="Vlag registreren").click()
    veld = page.locator("#vlag_omschrijving")
    veld.fill(TEKST)

    waarschuwing = page.locator("#sessie-waarschuwing")
    expect(waarschuwing).to_be_visible(timeout=15_000)
    expect(waarschuwing).to_contain_text("word je afgemeld")
    expect(waarschuwing).to_contain_text(re.compile(r"0:\d\d"))
    adres = page.url
    page.get_by_role("button", name="Aangemeld blijven").click()
    expect(waarschuwing).to_be_hidden()
    assert page.url == adres
    expect(veld).to_have_value(TEKST)
    status = page.request.get(f"{live_server.url}/sessie/status/").json()
    assert status["aangemeld"] is True
    assert status["resterend"] > 50

    # Two minutes later on the server's clock the session is over: when the
    # warning comes back, the page asks, hears so, and goes to the login
    # page, which says why and leads back here afterwards.
    later = timezone.now() + datetime.timedelta(minutes=2)
    with time_machine.travel(later, tick=True):
        expect(page).to_have_url(re.compile(r"/account/login/\?next="), timeout=20_000)
        expect(page.locator("main")).to_contain_text("Je bent afgemeld omdat je 1 minuut niets")
