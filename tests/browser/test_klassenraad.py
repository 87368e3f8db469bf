"""Issue 5's journey in a real browser: the care coordinator prepares the
care cell from the proposed agenda (a student with a red flag on it), records
a decision that starts a measure and gives the class teacher an action item,
and closes the minutes; the measure shows on the class's measures overview
and the action item on its owner's start page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from klassenraad.forms.actiepunten import eigenaar_label
from klassenraad.models import Actiepunt, Beslissing, Overleg
from leerlingen.models import Maatregel
from tests.browser.hulp import inloggen, veld
from tests.klassenraad.factories import overleg
from tests.leerlingen.factories_vlagalarm import vlag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAATREGEL = "Rustig plekje bij prikkels"
ACTIEPUNT = "Afspraken met Lotte overlopen in de klas"


def test_care_cell_decision_starts_measure_and_gives_class_teacher_an_action_item(
    wereld, live_server, browser
):
    vlag(
        wereld.leerling_a,
        klas=wereld.klas_a,
        gemeld_door=wereld.leerkracht,
        geleden=datetime.timedelta(hours=3),
    )
    cel = overleg(wereld, dagen=2)
    vandaag = timezone.localdate()
    evaluatie = vandaag + datetime.timedelta(days=42)
    tegen = vandaag + datetime.timedelta(days=10)

    # The care coordinator prepares the next cell from the start page.
    zorg_context = browser.new_context()
    zorg = inloggen(zorg_context, live_server, wereld.zorgcoordinator)
    expect(zorg.get_by_test_id("volgende-cel")).to_be_visible()
    zorg.get_by_role("link", name="Agenda voorbereiden").click()
    expect(zorg.get_by_role("heading", level=1)).to_contain_text("Agenda van")

    # Lotte is proposed, with the red flag as the reason.
    voorstel = zorg.get_by_test_id("voorstel").filter(has_text="Lotte Peeters")
    expect(voorstel).to_have_count(1)
    rode_vlag = voorstel.get_by_test_id("reden-rode_vlag")
    expect(rode_vlag).to_contain_text("Rode vlag")
    expect(rode_vlag).to_contain_text("3A")
    keuze = zorg.get_by_role("checkbox", name="Lotte Peeters")
    expect(keuze).to_be_checked()
    zorg.get_by_role("button", name="Op de agenda zetten").click()
    expect(zorg.locator("main")).to_contain_text("1 leerling staat nu op de agenda.")
    op_agenda = zorg.get_by_test_id("agenda").get_by_test_id("agendapunt")
    expect(op_agenda).to_have_count(1)
    expect(op_agenda).to_contain_text("Lotte Peeters")
    expect(op_agenda.get_by_test_id("reden-rode_vlag")).to_be_visible()

    # The meeting itself: start it and record the decision.
    zorg.get_by_role("navigation", name="Kruimelpad").get_by_role("link").first.click()
    expect(zorg.get_by_test_id("status")).to_have_text("gepland")
    zorg.get_by_role("button", name="Overleg starten").click()
    expect(zorg.locator("main")).to_contain_text("Het overleg is gestart.")
    zorg.get_by_role("link", name="Beslissing voor Lotte Peeters").click()
    expect(veld(zorg, "Leerling")).to_have_value(str(wereld.leerling_a.pk))
    zorg.get_by_label("maatregel starten").check()
    # The page swaps in the measure's fields (htmx; a button without JS).
    expect(
        zorg.get_by_role("heading", name="2. Maatregel starten voor Lotte Peeters")
    ).to_be_visible()

    veld(zorg, "Beslissing").fill("Lotte krijgt een rustig plekje wanneer het haar te veel wordt.")
    veld(zorg, "Soort (STICORDI)").select_option("compenserend")
    veld(zorg, "Maatregel").fill(MAATREGEL)
    veld(zorg, "Omschrijving").fill("Mag in de hoek bij het raam gaan zitten.")
    zorg.get_by_label("Psychisch en sociaal functioneren").check()
    zorg.get_by_label("alle vakken").check()
    expect(veld(zorg, "Start")).to_have_value(vandaag.isoformat())
    veld(zorg, "Evaluatiedatum").fill(evaluatie.isoformat())
    veld(zorg, "Wat moet er gebeuren?").fill(ACTIEPUNT)
    veld(zorg, "Wie neemt het op?").select_option(label=eigenaar_label(wereld.titularis))
    veld(zorg, "Tegen wanneer?").fill(tegen.isoformat())
    zorg.get_by_role("button", name="Beslissing bewaren").click()

    expect(zorg.locator("main")).to_contain_text("De beslissing is bewaard.")
    expect(zorg.locator("main")).to_contain_text(f"Het actiepunt staat bij {wereld.titularis}")
    punt = zorg.get_by_test_id("punt").filter(has_text="Lotte Peeters")
    expect(punt).to_contain_text("maatregel starten")
    expect(punt).to_contain_text("rustig plekje")
    actiepunten = punt.get_by_role("table", name="Actiepunten voor Lotte Peeters")
    expect(actiepunten).to_contain_text(ACTIEPUNT)
    expect(actiepunten).to_contain_text(tegen.strftime("%d/%m/%Y"))

    # Closing asks to confirm first.
    zorg.get_by_role("button", name="Verslag afsluiten…").click()
    expect(zorg.get_by_role("heading", level=1)).to_have_text("Verslag afsluiten")
    expect(zorg.locator("main")).to_contain_text("Er staat 1 leerling op de agenda.")
    zorg.get_by_role("button", name="Ja, verslag afsluiten").click()
    expect(zorg.locator("main")).to_contain_text("Het verslag is afgesloten.")
    expect(zorg.get_by_test_id("status")).to_have_text("afgesloten")
    expect(zorg.get_by_role("link", name="Beslissing voor Lotte Peeters")).to_have_count(0)
    zorg_context.close()

    # What the browser did is what the database holds, once.
    cel = Overleg.objects.get(pk=cel.pk)
    assert cel.status == Overleg.Status.AFGESLOTEN
    beslissing = Beslissing.objects.get(agendapunt__overleg=cel)
    maatregel = Maatregel.objects.get(leerling=wereld.leerling_a)
    assert (maatregel.titel, maatregel.status) == (MAATREGEL, Maatregel.Status.ACTIEF)
    assert maatregel.evaluatiedatum == evaluatie
    actiepunt = Actiepunt.objects.get(leerling=wereld.leerling_a)
    assert (actiepunt.eigenaar, actiepunt.vervaldatum, actiepunt.beslissing) == (
        wereld.titularis,
        tegen,
        beslissing,
    )

    # A teacher of 3A sees the measure on the class's measures overview.
    leerkracht_context = browser.new_context()
    leerkracht = inloggen(leerkracht_context, live_server, wereld.leerkracht)
    leerkracht.get_by_role("link", name="Maatregelen in 3A").click()
    blok = leerkracht.get_by_test_id("leerling-blok").filter(has_text="Peeters, Lotte")
    expect(blok.get_by_test_id("maatregel")).to_contain_text(MAATREGEL)
    leerkracht_context.close()

    # The class teacher finds the action item on their start page.
    titularis_context = browser.new_context()
    titularis = inloggen(titularis_context, live_server, wereld.titularis)
    mijn = titularis.get_by_test_id("mijn-actiepunten")
    expect(mijn).to_contain_text(ACTIEPUNT)
    expect(mijn).to_contain_text("Lotte Peeters")
    expect(mijn).to_contain_text(f"tegen {tegen:%d/%m/%Y}")
    mijn.get_by_role("link", name=ACTIEPUNT).click()
    expect(titularis.get_by_role("heading", level=1)).to_have_text(ACTIEPUNT)
    expect(titularis.get_by_role("button", name="Bewaren")).to_be_visible()
    titularis_context.close()
