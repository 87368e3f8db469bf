"""The care-policy report on screen (issue 14): a school's report with this
year beside last year, marked internal, the team's choices beside the
figures and what became of last year's actions; the group's report with
small numbers hidden; the list of reports; the menu entry."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clb.models import Doel, Doeltermijn, HGDTraject, Laag
from leerlingen.models import Leerling, VlagKleur
from tests import factories as f
from tests.datums import lokaal
from tests.leerlingen.factories_vlaggen import vlag_met
from tests.zorgbeleid import wereld as cijfers_wereld
from zorg.audit.models import Actie, AuditEvent
from zorgbeleid import services
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting

cijferwereld = cijfers_wereld.cijferwereld

# The hand-built world's figures are stated on this day (test_rapport.py).
OP = lokaal(2027, 7, 15)
MORGEN = datetime.date.today() + datetime.timedelta(days=1)
GEHEIM = "Vertrouwelijk CLB: thuissituatie zeer precair"


def _url(w, jaar=None):
    return reverse("zorgbeleid:rapport", args=[w.school.pk, (jaar or w.schooljaar).pk])


def _groep_url(w, jaarnaam=None):
    return reverse(
        "zorgbeleid:groep_rapport",
        args=[w.school.scholengemeenschap_id, jaarnaam or w.schooljaar.naam],
    )


def _tekst(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _tabel(html: str, sleutel: str) -> str:
    """The text of one table of the page (its figure)."""
    begin = html.index(f'data-testid="tabel-{sleutel}"')
    return _tekst(html[begin : html.index("</figure>", begin)])


def _sectie(html: str, sleutel: str) -> str:
    begin = html.index(f'data-testid="sectie-{sleutel}"')
    return html[begin : html.index("</section>", begin)]


def _reflectie(w, jaar, verwachting, keuze, redenering):
    return services.reflectie_bewaren(
        schooljaar=jaar,
        verwachting=verwachting,
        keuze=keuze,
        redenering=redenering,
        versie=None,
        door=w.directie,
    )


def _actie(w, reflectie, omschrijving, vervaldatum):
    return services.reflectieactie_toevoegen(
        reflectie=reflectie,
        omschrijving=omschrijving,
        eigenaar=w.leerkracht,
        vervaldatum=vervaldatum,
        door=w.directie,
    )


@pytest.fixture
def met_reflecties(cijferwereld):
    """Last year the team strengthened following effects up, with one action
    done and one cancelled; this year it starts something in the four
    domains. Plus a CLB-only goal that must never show."""
    cw = cijferwereld
    w = cw.w
    with time_machine.travel(lokaal(2026, 3, 1), tick=False):
        vorige = _reflectie(
            w, cw.vorig, Verwachting.VISIE, Keuze.VERSTERKEN, "Effecten te weinig gevolgd."
        )
        gedaan = _actie(w, vorige, "Evaluatiemomenten plannen", datetime.date(2026, 6, 1))
        geschrapt = _actie(w, vorige, "Enquête bij ouders", datetime.date(2026, 6, 1))
        services.reflectieactie_afhandelen(
            actie=gedaan,
            status=Reflectieactie.Status.AFGEROND,
            resultaat="Elke periode een evaluatiemoment.",
            versie=gedaan.versie,
            door=w.directie,
        )
        services.reflectieactie_afhandelen(
            actie=geschrapt,
            status=Reflectieactie.Status.GEANNULEERD,
            resultaat="Geen budget.",
            versie=geschrapt.versie,
            door=w.directie,
        )
    with time_machine.travel(lokaal(2027, 3, 1), tick=False):
        _reflectie(
            w,
            cw.jaar,
            Verwachting.DOMEINEN,
            Keuze.OPSTARTEN,
            "Gezondheid krijgt te weinig aandacht.",
        )
    traject = HGDTraject.objects.filter(leerling=cw.dalers[0]).first()
    Doel.objects.create(
        traject=traject,
        termijn=Doeltermijn.KORT,
        omschrijving=GEHEIM,
        evaluatiedatum=datetime.date(2027, 5, 1),
        status=Doel.Status.choices[0][0],
        laag=Laag.CLB,
        door=w.users["clb"],
    )
    return cw


def _pagina(client_voor, user, url):
    """The page as `user` sees it on OP (logged in then: a session from
    months before has expired)."""
    with time_machine.travel(OP, tick=False):
        antwoord = client_voor(user).get(url)
    assert antwoord.status_code == 200
    return antwoord.content.decode()


def test_the_report_shows_this_years_figures_beside_last_years(met_reflecties, client_voor):
    cw = met_reflecties
    html = _pagina(client_voor, cw.w.directie, _url(cw.w))
    # Students per phase on 1 October 2026: 15 in phase 0, 8 in phase 1, 23
    # in all (tests/zorgbeleid/test_cijfers.py).
    fasen = _tabel(html, "fasen_2026-2027")
    assert "1 oktober 2026" in fasen
    assert re.search(r"0\. [^0-9]+ 15 ", fasen) and re.search(r"totaal 23 ", fasen)
    bewegingen = _tabel(html, "bewegingen")
    assert "2026-2027 2025-2026" in bewegingen
    assert "overgangen naar een hogere fase 9 2" in bewegingen
    assert "overgangen naar een lagere fase 6 0" in bewegingen
    # Exact numbers, even the small ones: two red flags.
    assert "aantal 2 " in _tabel(html, "vlaggen_rood")
    # Charts where the table asks for one; the flags per month with last
    # year's line.
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="staafdiagram"' in html
    assert 'id="grafiek-bewegingen-titel"' in html
    maanden = html[html.index('data-testid="tabel-vlaggen_per_maand"') :]
    maanden = maanden[: maanden.index("</figure>")]
    assert 'class="staaf staaf-rood"' in maanden
    assert 'class="legende legende-lijn legende-rood-vorig"' in maanden


def test_the_report_is_marked_internal(met_reflecties, client_voor):
    html = _pagina(client_voor, met_reflecties.w.zorgcoordinator, _url(met_reflecties.w))
    begin = html.index('data-testid="intern"')
    melding = _tekst(html[begin : html.index("</div>", begin)]).replace("&lt;", "<")
    assert "Intern." in melding and "enkel voor het zorgteam" in melding and "< 5" in melding
    assert "< 5" not in _tekst(_sectie(html, "vlaggen")).replace("&lt;", "<")
    # Every section says so too.
    for sectie in ("continuum", "maatregelen", "clb"):
        assert ">intern</span>" in _sectie(html, sectie)


def test_the_choices_stand_beside_the_figures_they_support(met_reflecties, client_voor):
    html = _pagina(client_voor, met_reflecties.w.directie, _url(met_reflecties.w))
    # Domains: observations and flags (rapport.VERWACHTINGEN_PER_SECTIE).
    for sleutel in ("observaties", "vlaggen"):
        keuze = _tekst(_sectie(html, sleutel))
        assert "Gezondheid krijgt te weinig aandacht." in keuze
        assert "Als nieuw initiatief opstarten" in keuze
    assert "Gezondheid krijgt te weinig aandacht." not in _sectie(html, "maatregelen")
    # Last year's choice on following effects comes back with its actions'
    # outcome, beside the continuum (which supports that expectation).
    continuum = _tekst(_sectie(html, "continuum"))
    assert "Versterken, aanscherpen, meer doen dan nu" in continuum
    assert "afgerond Evaluatiemomenten plannen · Elke periode een evaluatiemoment." in continuum
    assert "geannuleerd Enquête bij ouders · Geen budget." in continuum


def test_last_years_report_is_one_switch_away(met_reflecties, client_voor):
    cw = met_reflecties
    html = _pagina(client_voor, cw.w.directie, _url(cw.w))
    assert _url(cw.w, cw.vorig) in html
    vorig = _pagina(client_voor, cw.w.directie, _url(cw.w, cw.vorig))
    assert "2025-2026" in _tabel(vorig, "bewegingen")
    assert 'aria-current="page">2025-2026<' in vorig
    # Last year's own choice is this page's "this year".
    assert "Effecten te weinig gevolgd." in _sectie(vorig, "continuum")


def test_no_student_name_and_no_clb_only_text_on_either_page(met_reflecties, client_voor):
    cw = met_reflecties
    pagina = _pagina(client_voor, cw.w.directie, _url(cw.w))
    groep = _pagina(client_voor, cw.w.groepsdirectie, _groep_url(cw.w))
    namen = Leerling.objects.values_list("voornaam", "achternaam")
    assert len(namen) > 20
    for html in (pagina, groep):
        tekst = _tekst(html)
        assert GEHEIM not in tekst
        for voornaam, achternaam in namen:
            assert f"{voornaam} {achternaam}" not in tekst
            assert f"{achternaam}, {voornaam}" not in tekst


def test_the_group_report_hides_small_numbers(met_reflecties, client_voor):
    cw = met_reflecties
    html = _pagina(client_voor, cw.w.groepsdirectie, _groep_url(cw.w))
    rood = _tabel(html, "vlaggen_rood").replace("&lt;", "<")
    # Two red flags: "< 5", and their median goes with them.
    assert "aantal < 5 " in rood
    assert "aantal 2 " not in rood
    assert 'data-testid="intern"' not in html
    # A link to each school's report of that year.
    assert _url(cw.w) in html


def test_an_unknown_year_of_a_group_is_a_404(wereld, client_voor):
    client = client_voor(wereld.groepsdirectie)
    assert client.get(_groep_url(wereld, "1999-2000")).status_code == 404
    assert client.get(_groep_url(wereld)).status_code == 200


def test_edit_links_only_for_who_may_edit(wereld, client_voor):
    w = wereld
    _reflectie(w, w.schooljaar, Verwachting.SAMEN, Keuze.BEHOUDEN, "Goed zo.")
    definitief = _reflectie(w, w.schooljaar, Verwachting.VISIE, Keuze.BEHOUDEN, "Blijft.")
    services.reflectie_definitief_maken(
        reflectie=definitief, versie=definitief.versie, door=w.directie
    )
    bewerken = reverse(
        "zorgbeleid:reflectie_bewerken", args=[w.school.pk, w.schooljaar.pk, "samen"]
    )
    visie = reverse("zorgbeleid:reflectie_bewerken", args=[w.school.pk, w.schooljaar.pk, "visie"])
    for user in (w.directie, w.zorgcoordinator):
        html = client_voor(user).get(_url(w)).content.decode()
        assert f'href="{bewerken}"' in html
        # A final reflection is edited only after reopening it, on its page.
        assert f'href="{visie}"' not in html
    lezer = client_voor(w.groepsdirectie).get(_url(w)).content.decode()
    assert "Goed zo." in lezer
    assert 'data-testid="bewerken"' not in lezer and "reflectie_bewerken" not in lezer
    assert f'href="{bewerken}"' not in lezer


def test_reading_the_reports_is_audited(wereld, client_voor):
    w = wereld
    client_voor(w.zorgcoordinator).get(_url(w))
    assert AuditEvent.objects.filter(
        gebruiker=w.zorgcoordinator,
        actie=Actie.LEZEN,
        onderwerp="zorgbeleid",
        school_id=w.school.pk,
        object_id=str(w.schooljaar.pk),
    ).exists()
    # The group's report: an event in the trail of each school it counts.
    school3 = f.SchoolFactory(
        naam="Derde School", scholengemeenschap_id=w.school.scholengemeenschap_id
    )
    f.SchooljaarFactory(school=school3)
    client_voor(w.groepsdirectie).get(_groep_url(w))
    gelezen = AuditEvent.objects.filter(
        gebruiker=w.groepsdirectie,
        actie=Actie.LEZEN,
        onderwerp="zorgbeleid_groep",
        object_id=str(w.school.scholengemeenschap_id),
        omschrijving=w.schooljaar.naam,
    )
    assert sorted(gelezen.values_list("school_id", flat=True)) == sorted([w.school.pk, school3.pk])


def _meer_gegevens(w, n):
    """More students, flags, reflections and actions: what must not make
    the page cost more queries."""
    for i in range(n):
        leerling = f.leerling_in(w.klas_a if i % 2 else w.klas_b)
        vlag_met(leerling, klas=leerling.inschrijvingen.first().klas, kleur=VlagKleur.ROOD)
    for jaar in (w.schooljaar, w.vorig_schooljaar):
        for verwachting in Verwachting:
            reflectie = Reflectie.objects.filter(
                schooljaar=jaar, verwachting=verwachting
            ).first() or _reflectie(w, jaar, verwachting, Keuze.VERSTERKEN, "Meer.")
            for k in range(n // 4 + 1):
                _actie(w, reflectie, f"Actie {k}", MORGEN)


@pytest.mark.parametrize("rol", ["directie", "groepsdirectie"])
def test_the_school_report_costs_the_same_queries_with_more_rows(wereld, client_voor, rol):
    w = wereld
    weinig = _reflectie(w, w.schooljaar, Verwachting.VISIE, Keuze.VERSTERKEN, "Eerst.")
    _actie(w, weinig, "Eerste actie", MORGEN)
    vorige = _reflectie(w, w.vorig_schooljaar, Verwachting.VISIE, Keuze.VERSTERKEN, "Vorig.")
    _actie(w, vorige, "Vorige actie", MORGEN)
    client = client_voor(w.users[rol])
    client.get(_url(w))  # warm the session
    with CaptureQueriesContext(connection) as klein:
        assert client.get(_url(w)).status_code == 200
    _meer_gegevens(w, 12)
    with CaptureQueriesContext(connection) as groot:
        pagina = client.get(_url(w))
    # Reflections, their actions and their owners are prefetched, the
    # figures aggregated (no N+1 over students, flags, reflections, actions).
    assert len(groot.captured_queries) <= len(klein.captured_queries) <= 80
    assert "Actie 3" in pagina.content.decode()


def test_the_group_report_costs_the_same_queries_with_more_rows(wereld, client_voor):
    w = wereld
    client = client_voor(w.groepsdirectie)
    client.get(_groep_url(w))
    with CaptureQueriesContext(connection) as klein:
        client.get(_groep_url(w))
    _meer_gegevens(w, 12)
    school3 = f.SchoolFactory(
        naam="Derde School", scholengemeenschap_id=w.school.scholengemeenschap_id
    )
    f.SchooljaarFactory(school=school3)
    with CaptureQueriesContext(connection) as groot:
        pagina = client.get(_groep_url(w))
    assert "Derde School" in pagina.content.decode()
    assert len(groot.captured_queries) <= len(klein.captured_queries)


# --- the list of reports and the way to it --------------------------------------------


def test_the_list_shows_the_schools_and_groups_one_may_open(wereld, client_voor):
    w = wereld
    start = reverse("zorgbeleid:rapport_start")
    directie = client_voor(w.directie).get(start).content.decode()
    assert _url(w) in directie and _url(w, w.vorig_schooljaar) in directie
    assert "groep_rapport" not in directie and "/zorgbeleid/groepen/" not in directie
    groep = client_voor(w.groepsdirectie).get(start).content.decode()
    assert _groep_url(w) in groep and _url(w) in groep
    ander = client_voor(w.buitenstaander).get(start).content.decode()
    assert "Andere School" in ander and "Sint-Testcollege" not in ander
    assert _url(w) not in ander


def test_the_menu_and_the_start_card_lead_to_the_report(wereld, client_voor):
    w = wereld
    lijst = reverse("zorgbeleid:rapport_start")
    for user in (w.directie, w.zorgcoordinator, w.groepsdirectie):
        start = client_voor(user).get(reverse("start")).content.decode()
        assert f'href="{lijst}"' in start
    assert f'href="{_url(w)}"' in client_voor(w.directie).get(reverse("start")).content.decode()
    for user in (w.leerkracht, w.secretariaat, w.beheerder, w.users["clb"]):
        start = client_voor(user).get(reverse("start")).content.decode()
        assert lijst not in start


def test_the_list_costs_the_same_queries_with_more_schools_and_years(wereld, client_voor):
    w = wereld
    client = client_voor(w.groepsdirectie)
    lijst = reverse("zorgbeleid:rapport_start")
    client.get(lijst)
    with CaptureQueriesContext(connection) as klein:
        client.get(lijst)
    for i in range(3):
        school = f.SchoolFactory(
            naam=f"School {i}", scholengemeenschap_id=w.school.scholengemeenschap_id
        )
        f.SchooljaarFactory(school=school)
    f.SchooljaarFactory(
        school=w.school,
        begin=w.vorig_schooljaar.begin.replace(year=w.vorig_schooljaar.begin.year - 1),
        is_huidig=False,
    )
    with CaptureQueriesContext(connection) as groot:
        pagina = client.get(lijst).content.decode()
    # School years are prefetched, the group's years in one query (no N+1
    # over schools or years).
    assert "School 2" in pagina and pagina.count(f"/zorgbeleid/scholen/{w.school.pk}/") == 3
    assert len(groot.captured_queries) <= len(klein.captured_queries)
