"""What a meeting page shows beside each student: the portrait class
council's profile, the guiding class council's timeline summary; only what
the reader may see, in a fixed number of queries however large the class."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import Beslissing, BeslissingSoort, OverlegSoort
from klassenraad.profielen import profielen, zichtbaarheden_in_overleg
from leerlingen.models import (
    Bereik,
    Intake,
    Maatregel,
    ObservatieSoort,
    TijdlijnItem,
    Zichtbaarheid,
    Zorgfase,
    ZorgfaseWijziging,
)
from leerlingen.policies import ALLE_ZICHTBAARHEDEN, KLASTEAM_ZICHTBAARHEID
from tests import factories as f
from tests.dossier import dossier_vullen
from tests.klassenraad.factories import actiepunt, agendapunt, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_observaties import ObservatieFactory

VANDAAG = timezone.localdate()
DAG = datetime.timedelta(days=1)
_teller = itertools.count()


def _fase(nummer):
    return Zorgfase.objects.get(schooltype="secundair", nummer=nummer)


def _moment(datum: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(datum, datetime.time(15, 0)))


@pytest.fixture
def vorig_jaar(wereld):
    """Last year's class council (2A) and care cell, and the year before."""
    vorige_klas = f.KlasFactory(schooljaar=wereld.vorig_schooljaar, naam="2A")
    jaar = wereld.vorig_schooljaar.begin.year
    return {
        "raad": overleg(
            wereld,
            OverlegSoort.BEGELEIDEND,
            klas=vorige_klas,
            moment=_moment(datetime.date(jaar + 1, 3, 10)),
        ),
        "cel": overleg(wereld, OverlegSoort.CEL, moment=_moment(datetime.date(jaar + 1, 2, 3))),
        "eerder": overleg(wereld, OverlegSoort.CEL, moment=_moment(datetime.date(jaar, 5, 6))),
    }


def _beslissing(o, leerling, tekst, door):
    punt = agendapunt(o, leerling)
    return Beslissing.objects.create(
        agendapunt=punt, soort=BeslissingSoort.AFSPRAAK, tekst=tekst, door=door
    )


def _tijdlijn(leerling, titel, dagen_geleden, zichtbaarheid=Zichtbaarheid.KLASTEAM):
    return TijdlijnItem.objects.create(
        leerling=leerling,
        datum=VANDAAG - dagen_geleden * DAG,
        soort=TijdlijnItem.Soort.OBSERVATIE,
        zichtbaarheid=zichtbaarheid,
        titel=titel,
        bron_type="test",
        bron_id=next(_teller),
    )


def _zorgdossier(w, leerling, vorig_jaar, n=0):
    """A student with some of everything a profile shows."""
    vak = f.VakFactory(school=w.school, naam=f"Vak {n % 3}")
    MaatregelFactory(leerling=leerling, beslist_door=w.zorgcoordinator)
    MaatregelFactory(
        leerling=leerling,
        beslist_door=w.zorgcoordinator,
        bereik=Bereik.GEKOZEN_VAKKEN,
        vakken=[vak],
    )
    ObservatieFactory(leerling=leerling, auteur=w.leerkracht, soort=ObservatieSoort.STERKTE)
    ObservatieFactory(
        leerling=leerling,
        auteur=w.zorgcoordinator,
        soort=ObservatieSoort.STERKTE,
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
    )
    Intake.objects.create(
        leerling=leerling, datum=VANDAAG - 90 * DAG, vorige_school="De Regenboog", door=w.directie
    )
    _beslissing(vorig_jaar["raad"], leerling, "Extra oefeningen", w.zorgcoordinator)
    _beslissing(vorig_jaar["cel"], leerling, "Aanmelden bij het CLB", w.zorgcoordinator)
    ZorgfaseWijziging.objects.create(
        leerling=leerling,
        van=_fase(0),
        naar=_fase(1),
        datum=datetime.date(w.vorig_schooljaar.begin.year + 1, 1, 15),
        reden="Zorgen thuis",
        beslist_waar="cel",
        beslist_door=w.zorgcoordinator,
    )
    for i in range(7):
        _tijdlijn(leerling, f"Item {i}", i)
    _tijdlijn(leerling, "Enkel zorgteam", 0, Zichtbaarheid.ZORGTEAM)


# --- the portrait profile ---------------------------------------------------------------


def test_the_readers_levels_are_decided_once_per_meeting(wereld):
    raad = overleg(wereld, OverlegSoort.PORTRET)
    cel = overleg(wereld, OverlegSoort.CEL)
    assert zichtbaarheden_in_overleg(wereld.zorgcoordinator, raad) == ALLE_ZICHTBAARHEDEN
    assert zichtbaarheden_in_overleg(wereld.users["clb"], cel) == ALLE_ZICHTBAARHEDEN
    assert zichtbaarheden_in_overleg(wereld.leerkracht, raad) == KLASTEAM_ZICHTBAARHEID
    assert zichtbaarheden_in_overleg(wereld.leerkracht, cel) == frozenset()
    assert zichtbaarheden_in_overleg(wereld.secretariaat, raad) == frozenset()


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_the_portrait_shows_the_care_team_everything(wereld, vorig_jaar):
    leerling = wereld.leerling_a
    _zorgdossier(wereld, leerling, vorig_jaar)
    _beslissing(vorig_jaar["eerder"], leerling, "Twee jaar geleden", wereld.directie)
    o = overleg(wereld, OverlegSoort.PORTRET)
    _beslissing(o, wereld.leerling_b, "Dit jaar", wereld.directie)
    p = profielen(wereld.zorgcoordinator, o, [leerling.pk])[leerling.pk]
    assert len(p.maatregelen) == 2 and p.aantal_maatregelen == 2
    assert {m.bereik_tekst for m in p.maatregelen} == {"alle vakken", "Vak 0"}
    assert len(p.sterktes) == 2
    assert p.intake.vorige_school == "De Regenboog"
    teksten = [rij["tekst"] for rij in p.vorig_jaar]
    assert teksten == ["Zorgen thuis", "Aanmelden bij het CLB", "Extra oefeningen"]
    assert p.vorig_jaar[0]["titel"].startswith("Zorgfase")


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_the_portrait_shows_a_teacher_no_care_team_content(wereld, vorig_jaar):
    leerling = wereld.leerling_a
    _zorgdossier(wereld, leerling, vorig_jaar)
    o = overleg(wereld, OverlegSoort.PORTRET)
    p = profielen(wereld.leerkracht, o, [leerling.pk])[leerling.pk]
    assert len(p.maatregelen) == 2
    assert [s.zichtbaarheid for s in p.sterktes] == [Zichtbaarheid.KLASTEAM]
    assert p.intake is not None  # the class team reads the intake
    # The class council's decision, and the phase move without its reason.
    assert [(rij["titel"][:7], rij["tekst"]) for rij in p.vorig_jaar] == [
        ("Zorgfas", ""),
        ("andere ", "Extra oefeningen"),
    ]


def test_the_portrait_page_keeps_care_team_strengths_from_a_teacher(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.PORTRET)
    agendapunt(o, wereld.leerling_a)
    ObservatieFactory(
        leerling=wereld.leerling_a,
        auteur=wereld.leerkracht,
        soort=ObservatieSoort.STERKTE,
        tekst="Helpt klasgenoten graag",
    )
    ObservatieFactory(
        leerling=wereld.leerling_a,
        auteur=wereld.zorgcoordinator,
        soort=ObservatieSoort.STERKTE,
        tekst="Veerkrachtig ondanks de scheiding",
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
    )
    url = reverse("klassenraad:overleg_detail", args=[o.pk])
    leerkracht = client_voor(wereld.leerkracht).get(url).content.decode()
    assert "Helpt klasgenoten graag" in leerkracht
    assert "scheiding" not in leerkracht
    zorg = client_voor(wereld.zorgcoordinator).get(url).content.decode()
    assert "Helpt klasgenoten graag" in zorg and "Veerkrachtig ondanks de scheiding" in zorg


def test_the_portrait_shows_the_three_latest_strengths_and_measures_in_force(wereld):
    leerling = wereld.leerling_a
    for dagen in (40, 30, 20, 10):
        ObservatieFactory(
            leerling=leerling,
            auteur=wereld.leerkracht,
            soort=ObservatieSoort.STERKTE,
            datum=VANDAAG - dagen * DAG,
            tekst=f"{dagen} dagen",
        )
    ObservatieFactory(leerling=leerling, auteur=wereld.leerkracht, tekst="Een zorg")
    MaatregelFactory(leerling=leerling, beslist_door=wereld.zorgcoordinator, titel="Van kracht")
    MaatregelFactory(
        leerling=leerling,
        beslist_door=wereld.zorgcoordinator,
        titel="Gestopt",
        status=Maatregel.Status.GESTOPT,
        einde=VANDAAG - DAG,
    )
    MaatregelFactory(
        leerling=leerling,
        beslist_door=wereld.zorgcoordinator,
        titel="Voorstel",
        status=Maatregel.Status.VOORGESTELD,
    )
    o = overleg(wereld, OverlegSoort.PORTRET)
    p = profielen(wereld.zorgcoordinator, o, [leerling.pk])[leerling.pk]
    assert [s.tekst for s in p.sterktes] == ["10 dagen", "20 dagen", "30 dagen"]
    assert [m.titel for m in p.maatregelen] == ["Van kracht"]


# --- the guiding class council --------------------------------------------------------------


def test_the_guiding_council_shows_the_five_latest_visible_timeline_entries(wereld, vorig_jaar):
    _zorgdossier(wereld, wereld.leerling_a, vorig_jaar)
    ander = f.leerling_in(wereld.klas_a)
    _tijdlijn(ander, "Van iemand anders", 0)
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    ids = [wereld.leerling_a.pk, ander.pk]
    leerkracht = profielen(wereld.leerkracht, o, ids)
    assert [i.titel for i in leerkracht[wereld.leerling_a.pk].tijdlijn] == [
        f"Item {i}" for i in range(5)
    ]
    assert [i.titel for i in leerkracht[ander.pk].tijdlijn] == ["Van iemand anders"]
    assert leerkracht[wereld.leerling_a.pk].aantal_maatregelen == 2
    assert leerkracht[ander.pk].aantal_maatregelen == 0
    zorg = profielen(wereld.zorgcoordinator, o, ids)[wereld.leerling_a.pk]
    assert "Enkel zorgteam" in [i.titel for i in zorg.tijdlijn]
    assert len(zorg.tijdlijn) == 5


def test_a_care_cell_loads_no_profile(wereld, vorig_jaar):
    _zorgdossier(wereld, wereld.leerling_a, vorig_jaar)
    o = overleg(wereld, OverlegSoort.CEL)
    with CaptureQueriesContext(connection) as ctx:
        p = profielen(wereld.zorgcoordinator, o, [wereld.leerling_a.pk])
    assert p[wereld.leerling_a.pk].tijdlijn == [] and p[wereld.leerling_a.pk].maatregelen == []
    assert len(ctx.captured_queries) <= 2  # the scope, nothing per student


# --- query counts ---------------------------------------------------------------------------

PLAFOND = 30


def _vul(w, o, vorig_jaar, van, tot):
    """Students `van`..`tot` of 3A (leerling_a is the first), each on the
    agenda with a full care record and this meeting's decision and action."""
    for n in range(van, tot):
        leerling = w.leerling_a if n == 0 else f.leerling_in(w.klas_a)
        _zorgdossier(w, leerling, vorig_jaar, n)
        punt = agendapunt(o, leerling, volgorde=n, notities=f"Notitie {n}")
        Beslissing.objects.create(
            agendapunt=punt, soort=BeslissingSoort.AFSPRAAK, tekst="Afspraak", door=w.directie
        )
        actiepunt(o, leerling, w.leerkracht)


def _meet(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    return len(ctx.captured_queries), antwoord


@pytest.mark.parametrize("soort", [OverlegSoort.PORTRET, OverlegSoort.BEGELEIDEND])
@pytest.mark.parametrize("rol", ["zorgcoordinator", "leerkracht"])
@pytest.mark.parametrize("pagina", ["klassenraad:overleg_detail", "klassenraad:overleg_verslag"])
def test_a_30_student_class_council_costs_a_fixed_number_of_queries(
    wereld, vorig_jaar, client_voor, template_queries, soort, rol, pagina
):
    o = overleg(wereld, soort)
    client = client_voor(wereld.users[rol])
    url = reverse(pagina, args=[o.pk])
    _vul(wereld, o, vorig_jaar, 0, 5)
    weinig, antwoord = _meet(client, url)
    assert antwoord.content.decode().count('data-testid="punt"') == 5
    _vul(wereld, o, vorig_jaar, 5, 30)
    veel, antwoord = _meet(client, url)
    assert antwoord.content.decode().count('data-testid="punt"') == 30
    assert weinig == veel <= PLAFOND
    assert template_queries == []


def test_a_guiding_council_links_a_teacher_only_to_measures_in_force(wereld, client_voor):
    d = dossier_vullen(wereld)
    raad = overleg(wereld, OverlegSoort.BEGELEIDEND)
    agendapunt(raad, wereld.leerling_a)
    url = reverse("klassenraad:overleg_detail", args=[raad.pk])
    gestopt = reverse(
        "leerlingen:maatregel_detail", args=[wereld.leerling_a.pk, d.maatregel_gestopt.pk]
    )
    html = client_voor(wereld.leerkracht).get(url).content.decode()
    assert "Rekenmachine bij hoofdrekenen" in html  # the entry, without its link
    assert gestopt not in html
    assert gestopt in client_voor(wereld.zorgcoordinator).get(url).content.decode()
