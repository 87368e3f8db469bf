"""Issue 6's journey in a real browser: a care coordinator moves a student to
phase 2 (which refers the student to the CLB); a CLB worker accepts the
referral, adds a goal shared with the school and a note that stays with the
CLB; the care coordinator then reads the goal and never the note."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clb.models import HGDTraject, Laag, Trajectnotitie
from tests.browser.hulp import inloggen, veld
from tests.leerlingen.test_zorgfase import naar_fase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HULPVRAAG = "Hoe helpen we Lotte om haar taken zelfstandig te plannen?"
DOEL = "Lotte plant elke week haar huiswerk zelf in haar agenda."
NOTITIE = "Vertrouwelijk: thuis is er veel spanning sinds de verhuis."


def test_phase_two_referral_becomes_a_trajectory_whose_shared_goal_the_school_reads(
    wereld, live_server, browser
):
    leerling = wereld.leerling_a
    naar_fase(leerling, 1, wereld.zorgcoordinator)
    evaluatie = timezone.localdate() + datetime.timedelta(days=28)

    # The care coordinator moves Lotte to phase 2, with the question for help.
    zorg_context = browser.new_context()
    zorg = inloggen(zorg_context, live_server, wereld.zorgcoordinator)
    zorg.goto(f"{live_server.url}/leerlingen/{leerling.pk}/")
    zorg.get_by_test_id("sectie-zorgfase").get_by_role("link", name="Zorgfase wijzigen").click()
    zorg.get_by_label("2. Uitbreiding van zorg").check()
    veld(zorg, "Reden").fill("De maatregelen van fase 1 volstaan niet: plannen blijft moeilijk.")
    veld(zorg, "Beslist op").fill("Cel leerlingbegeleiding")
    veld(zorg, "Hulpvraag aan het CLB").fill(HULPVRAAG)
    zorg.get_by_role("button", name="Zorgfase wijzigen").click()
    expect(zorg.get_by_test_id("sectie-huidige-fase")).to_contain_text("2.")
    expect(zorg.get_by_test_id("open-aanmeldingen")).to_contain_text(HULPVRAAG)

    # The CLB worker finds the referral through the menu and accepts it.
    clb_context = browser.new_context()
    clb = inloggen(clb_context, live_server, wereld.users["clb"])
    clb.get_by_role("navigation").get_by_role("link", name="CLB", exact=True).click()
    wachtend = clb.get_by_test_id("wachtend")
    expect(wachtend).to_contain_text(HULPVRAAG)
    wachtend.get_by_role("link", name="Lotte Peeters").click()
    expect(clb.get_by_test_id("hulpvraag")).to_contain_text(HULPVRAAG)
    veld(clb, "Trajectbegeleider").select_option(str(wereld.users["clb"].pk))
    clb.get_by_role("button", name="Aanvaarden en traject openen").click()
    expect(clb.get_by_role("heading", level=1)).to_contain_text("HGD-traject van Lotte Peeters")
    expect(clb.get_by_test_id("hulpvraag")).to_contain_text(HULPVRAAG)

    # A goal for the school (the default layer) ...
    clb.get_by_role("link", name="Doel toevoegen").click()
    veld(clb, "Termijn").select_option(index=1)
    veld(clb, "Doel").fill(DOEL)
    veld(clb, "Evaluatiedatum").fill(evaluatie.isoformat())
    expect(clb.get_by_label("Gedeeld met de school")).to_be_checked()
    clb.get_by_role("button", name="Doel bewaren").click()
    expect(clb.get_by_test_id("doelen")).to_contain_text(DOEL)

    # ... and a note, which stays with the CLB unless the worker says otherwise.
    clb.get_by_test_id("notities-notitie").get_by_role("link", name=re.compile("Toevoegen")).click()
    veld(clb, "Datum").fill(timezone.localdate().isoformat())
    veld(clb, "Tekst").fill(NOTITIE)
    clb.get_by_role("button", name="Notitie bewaren").click()
    notities = clb.get_by_test_id("notities-notitie")
    expect(notities).to_contain_text(NOTITIE)
    expect(notities).to_contain_text("enkel CLB")

    traject = HGDTraject.objects.get(leerling=leerling)
    assert traject.doelen.get().laag == Laag.GEDEELD
    assert Trajectnotitie.objects.get(traject=traject, tekst=NOTITIE).laag == Laag.CLB

    # The care coordinator sees the trajectory, its stage and the goal ...
    zorg.goto(f"{live_server.url}/leerlingen/{leerling.pk}/")
    sectie = zorg.get_by_test_id("sectie-clb")
    expect(sectie.get_by_test_id("sectie-traject")).to_contain_text(re.compile("intake", re.I))
    expect(zorg.locator("main")).not_to_contain_text(NOTITIE)
    sectie.get_by_role("link", name="Wat het CLB deelt").click()
    expect(zorg.get_by_test_id("traject").get_by_test_id("doelen")).to_contain_text(DOEL)
    expect(zorg.get_by_test_id("traject")).to_contain_text(HULPVRAAG)
    # ... and never the CLB's note, here or on the timeline.
    expect(zorg.locator("body")).not_to_contain_text(NOTITIE)
    expect(zorg.locator("body")).not_to_contain_text("Vertrouwelijk")
    zorg.goto(f"{live_server.url}/leerlingen/{leerling.pk}/tijdlijn/")
    expect(zorg.locator("main")).to_contain_text(DOEL)
    expect(zorg.locator("body")).not_to_contain_text("Vertrouwelijk")
    # Nor through the CLB's own pages: the same 404 as for nothing at all.
    antwoord = zorg.goto(f"{live_server.url}/clb/trajecten/{traject.pk}/")
    assert antwoord.status == 404
    zorg_context.close()
    clb_context.close()
