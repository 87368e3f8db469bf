"""Issue 17's journey in a real browser: a subject teacher scores SODA for a
class, the secretariat records a student's problematic half days up to the
school's threshold and the student appears on the next care cell's proposed
agenda with that reason, the care coordinator sends the parent letter, and
the guardian signs in to the portal and sees the agreed measure but no
observation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from leerlingen.models import Afwezigheidsdrempel, Ouderbrief, SodaScore
from tests.browser.hulp import inloggen
from tests.factories import WACHTWOORD
from tests.klassenraad.factories import overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.leerlingen.factories_soda import perioden_maken, waarden
from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import schooljaar_begin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOOR_OUDERS = "Lotte maakt toetsen in een rustig lokaal"
OBSERVATIE = "Lotte zat de hele les te huilen na de speeltijd"


def _laatste_schooldag(school) -> datetime.date | None:
    """The last school day up to today in this school year (an absence
    cannot be recorded for a day without school or in the future)."""
    kalender = schoolkalender(school.pk)
    vandaag = timezone.localdate()
    dag = vandaag
    while dag >= schooljaar_begin(vandaag):
        if kalender.is_schooldag(dag):
            return dag
        dag -= datetime.timedelta(days=1)
    return None


def test_soda_absences_on_the_agenda_parent_letter_and_the_guardian_sees_measures_only(
    wereld, live_server, browser
):
    school = wereld.school
    lotte = wereld.leerling_a
    dag = _laatste_schooldag(school)
    if dag is None:
        pytest.skip("no school day yet in this school year before today (1-2 September)")
    school.portaal_aan = True
    school.afwezigheid_drempel = 2
    school.save(update_fields=["portaal_aan", "afwezigheid_drempel"])
    schaal = waarden(school)
    perioden_maken(wereld.schooljaar)
    MaatregelFactory(
        leerling=lotte,
        titel="Prikkelarme toetsafname",
        ouderomschrijving=VOOR_OUDERS,
        akkoord_nodig=True,
        beslist_door=wereld.zorgcoordinator,
    )
    ObservatieFactory(leerling=lotte, auteur=wereld.leerkracht, tekst=OBSERVATIE)
    overleg(wereld, dagen=2)

    # 1. The subject teacher scores SODA for class 3A; every cell saves as
    # it changes (htmx), nothing else to press.
    leerkracht = inloggen(browser.new_context(), live_server, wereld.leerkracht)
    leerkracht.goto(f"{live_server.url}/klassen/{wereld.klas_a.pk}/soda/invullen/")
    rooster = leerkracht.get_by_test_id("soda-rooster")
    expect(rooster).to_contain_text("Peeters, Lotte")
    for criterium, waarde in (("Stiptheid", "1"), ("Attitude", "2")):
        cel = rooster.get_by_label(f"{criterium} van Lotte Peeters")
        cel.select_option(label=f"{waarde} {schaal[waarde].label}")
        expect(cel.locator("xpath=following-sibling::span[1]")).to_contain_text("bewaard")
    score = SodaScore.objects.get(leerling=lotte)
    assert (score.stiptheid.code, score.attitude.code, score.orde) == ("1", "2", None)

    # The class teacher sees it in the class's overview.
    titularis = inloggen(browser.new_context(), live_server, wereld.titularis)
    titularis.goto(f"{live_server.url}/klassen/{wereld.klas_a.pk}/soda/")
    expect(titularis.locator("main")).to_contain_text("Peeters, Lotte")

    # 2. The secretariat records two problematic half days: the threshold.
    secretariaat = inloggen(browser.new_context(), live_server, wereld.secretariaat)
    secretariaat.goto(f"{live_server.url}/afwezigheden/")
    secretariaat.get_by_label("Klas").select_option(label="3A")
    secretariaat.get_by_label("Datum").fill(dag.isoformat())
    secretariaat.get_by_role("button", name="Tonen").click()
    for dagdeel in ("voormiddag", "namiddag"):
        secretariaat.get_by_label(f"Lotte Peeters, {dagdeel}").select_option(label="Problematisch")
    secretariaat.get_by_role("button", name="Afwezigheden bewaren").click()
    expect(secretariaat.locator("main")).to_contain_text("2 halve dagen bewaard.")
    assert Afwezigheidsdrempel.objects.filter(leerling=lotte).exists()

    # 3. The care coordinator finds Lotte on the next cell's proposals, for
    # the absences.
    zorg = inloggen(browser.new_context(), live_server, wereld.zorgcoordinator)
    zorg.get_by_role("link", name="Agenda voorbereiden").click()
    voorstel = zorg.get_by_test_id("voorstel").filter(has_text="Lotte Peeters")
    expect(voorstel).to_have_count(1)
    expect(voorstel.get_by_test_id("reden-afwezigheid")).to_be_visible()

    # 4. ... and sends the parent letter from Lotte's page.
    zorg.goto(f"{live_server.url}/leerlingen/{lotte.pk}/")
    zorg.get_by_role("link", name="Ouderbrief opmaken").click()
    voorbeeld = zorg.get_by_test_id("voorbeeld")
    expect(voorbeeld).to_contain_text(VOOR_OUDERS)
    expect(voorbeeld.get_by_test_id("brief-akkoord-gevraagd")).to_be_visible()
    expect(voorbeeld).not_to_contain_text(OBSERVATIE)
    zorg.get_by_role("button", name="Versturen / afdrukken: ouders geïnformeerd").click()
    expect(zorg.locator("main")).to_contain_text(VOOR_OUDERS)
    brief = Ouderbrief.objects.get(leerling=lotte)
    assert brief.geinformeerd_op == timezone.localdate()
    assert lotte.tijdlijn.filter(soort="ouderbrief").exists()

    # 5. The guardian signs in and lands in the portal: the measure in the
    # school's words for parents, no observation, no staff navigation.
    ouder = browser.new_context().new_page()
    ouder.goto(f"{live_server.url}/account/login/")
    ouder.fill("input[name=login]", wereld.users["ouder"].email)
    ouder.fill("input[name=password]", WACHTWOORD)
    ouder.locator('form[action="/account/login/"] button[type=submit]').click()
    ouder.wait_for_url(f"{live_server.url}/portaal/")
    ouder.get_by_role("link", name="Lotte Peeters").click()
    maatregelen = ouder.get_by_test_id("portaal-maatregelen")
    expect(maatregelen).to_contain_text(VOOR_OUDERS)
    main = ouder.locator("main")
    expect(main).not_to_contain_text(OBSERVATIE)
    expect(main).not_to_contain_text("Prikkelarme toetsafname")
    expect(ouder.get_by_role("link", name="Klassen", exact=True)).to_have_count(0)
    # A staff page is the plain 404 for a guardian.
    ouder.goto(f"{live_server.url}/leerlingen/{lotte.pk}/")
    expect(ouder.get_by_role("heading", name="Niet gevonden")).to_be_visible()
