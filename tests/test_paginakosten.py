"""What every page a role uses daily costs in SQL statements, for the page as
served (the response through the test client, not a helper), with 5 and
with 200 rows of what grows on it: students in the class, flags, timeline
entries, measures, agenda items, trajectory entries, search hits, due
reminders (issue 19).

Each test builds the same shape twice (parametrized over `AANTALLEN`) and
holds both to ONE bound: a page that ran a query per row would need about
200 more statements for the large case and fail. Each also checks that the
rows reached the page, so a bound met by an empty page proves nothing.

The data is written in bulk (`bulk_create`, `vlaggen_bulk_aanmaken` for the
flag counts): 200 rows through the factories and services would make the
file slow, and the services are tested elsewhere. The care-cell agenda
proposal has its own tests (tests/klassenraad)."""

import contextlib
import datetime
import os
from collections import Counter

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from clb.herinneringen import DOEL_EVALUATIE
from clb.models import Behoefte, Betrokkene, Doel, Doeltermijn, HGDTraject, Laag, Trajectnotitie
from inzage.models import Inzageverzoek
from klassenraad.herinneringen import ACTIEPUNT_ACHTERSTALLIG
from klassenraad.models import (
    Aanvulling,
    Actiepunt,
    Agendapunt,
    Beslissing,
    BeslissingSoort,
    Overleg,
    OverlegSoort,
)
from leerlingen import domeinen
from leerlingen.herinneringen import MAATREGEL_EVALUATIE, RODE_VLAG_ESCALATIE
from leerlingen.models import (
    Aanmelding,
    Bereik,
    Inschrijving,
    Leerling,
    Maatregel,
    MaatregelSoort,
    Signaal,
    TijdlijnItem,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    Zichtbaarheid,
    Zorgfase,
    ZorgfaseWijziging,
)
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from tests import factories as f
from zorg.accounts.kalender import schoolkalender
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_plannen
from zorg.meldingen.models import Melding
from zorgbeleid.herinneringen import BELEIDSACTIE_ACHTERSTALLIG
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting

AANTALLEN = [5, 200]
# The surname every generated student of a search shares (a fixed test name:
# no random person is called so, see factories.VASTE_NAMEN).
ZOEKNAAM = "Zoekmans"

pytestmark = pytest.mark.usefixtures("schooljaar_onderweg")


# Each bound below is what the page cost when these tests were written, the
# same with 5 rows as with 200, plus two: room for a fixed query more (a new
# card, a new permission), never for a query per row. After a change that
# moves a count, PAGINAKOSTEN_LOG=<file> appends every test's count to
# <file>, to set the new bounds from.
LOG = "PAGINAKOSTEN_LOG"


@pytest.fixture
def hoogstens(django_assert_max_num_queries, request):
    """`django_assert_max_num_queries`, logging the count (see LOG)."""

    @contextlib.contextmanager
    def begrensd(bound: int):
        with django_assert_max_num_queries(bound) as ctx:
            try:
                yield ctx
            finally:
                if os.environ.get(LOG):
                    with open(os.environ[LOG], "a") as log:
                        log.write(f"{request.node.name} {len(ctx.captured_queries)}\n")

    return begrensd


# --- the data, in bulk ----------------------------------------------------------------


def leerlingen_in(klas, aantal: int, *, achternaam: str | None = None, nummer="P") -> list:
    """`aantal` students enrolled in `klas`, numbered `{nummer}0001`...,
    in the order of their surnames (so the last one is the last on a list)."""
    school = klas.schooljaar.school
    fase = Zorgfase.objects.get(schooltype=school.schooltype, nummer=0)
    leerlingen = Leerling.objects.bulk_create(
        Leerling(
            school=school,
            leerlingnummer=f"{nummer}{i:04d}",
            voornaam=f.VOORNAMEN[i % len(f.VOORNAMEN)],
            achternaam=achternaam or f"{f.ACHTERNAMEN[i % len(f.ACHTERNAMEN)]} {i:04d}",
            geboortedatum=datetime.date(2012, 5, 17),
            zorgfase=fase,
        )
        for i in range(1, aantal + 1)
    )
    Inschrijving.objects.bulk_create(
        Inschrijving(leerling=leerling, klas=klas, begin=klas.schooljaar.begin)
        for leerling in leerlingen
    )
    return leerlingen


def _moment(dagen_geleden: int, uur: int = 10) -> datetime.datetime:
    dag = timezone.localdate() - datetime.timedelta(days=dagen_geleden)
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time(uur)))


def vlaggen(klas, leerlingen, door, *, kleur=None, vak=None, **velden) -> list[Vlag]:
    """One flag per student, on the days before today (every colour in turn
    unless `kleur`), its counts kept (vlaggen_bulk_aanmaken)."""
    kleuren = list(VlagKleur)
    gemaakt = vlaggen_bulk_aanmaken(
        [
            Vlag(
                school=klas.schooljaar.school,
                klas=klas,
                kleur=kleur or kleuren[i % len(kleuren)],
                moment=_moment(1 + i % 60),
                aangemaakt=_moment(1 + i % 60),
                vak=vak,
                omschrijving="Zat op de gsm tijdens de les.",
                gemeld_door=door,
                **velden,
            )
            for i, _leerling in enumerate(leerlingen)
        ]
    )
    VlagBetrokkene.objects.bulk_create(
        VlagBetrokkene(vlag=vlag, leerling=leerling)
        for vlag, leerling in zip(gemaakt, leerlingen, strict=True)
    )
    return gemaakt


def maatregelen(leerlingen, door, *, vak=None) -> list[Maatregel]:
    """One measure in force per student; with `vak`, every other one is for
    that subject only (its subjects are a many-to-many: the N+1 to catch)."""
    vandaag = timezone.localdate()
    gemaakt = Maatregel.objects.bulk_create(
        Maatregel(
            leerling=leerling,
            soort=list(MaatregelSoort)[i % len(MaatregelSoort)],
            titel=f"Extra tijd bij toetsen {i:04d}",
            domeinen=domeinen.LEREN,
            bereik=Bereik.GEKOZEN_VAKKEN if vak and i % 2 else Bereik.ALLE_VAKKEN,
            begin=vandaag - datetime.timedelta(days=30),
            evaluatiedatum=vandaag + datetime.timedelta(days=30),
            evaluatietermijn=vandaag + datetime.timedelta(days=30),
            beslist_waar="begeleidende klassenraad",
            beslist_door=door,
            status=Maatregel.Status.ACTIEF,
        )
        for i, leerling in enumerate(leerlingen)
    )
    if vak:
        Maatregel.vakken.through.objects.bulk_create(
            Maatregel.vakken.through(maatregel_id=m.pk, vak_id=vak.pk)
            for m in gemaakt
            if m.bereik == Bereik.GEKOZEN_VAKKEN
        )
    return gemaakt


def cel(w, **velden) -> Overleg:
    velden.setdefault("moment", timezone.now() + datetime.timedelta(days=2))
    velden.setdefault("soort", OverlegSoort.CEL)
    return Overleg.objects.create(
        school=w.school, voorzitter=w.zorgcoordinator, aangemaakt_door=w.zorgcoordinator, **velden
    )


def actiepunten(overleg, leerlingen, eigenaar) -> list[Actiepunt]:
    vandaag = timezone.localdate()
    return Actiepunt.objects.bulk_create(
        Actiepunt(
            overleg=overleg,
            leerling=leerling,
            eigenaar=eigenaar,
            omschrijving="Ouders opbellen over de afspraken.",
            vervaldatum=vandaag + datetime.timedelta(days=i % 20 - 5),
        )
        for i, leerling in enumerate(leerlingen)
    )


# --- the start page per role ----------------------------------------------------------


# The bound per role (see LOG).
START_ROLLEN = {
    "leerkracht": 15,
    "titularis": 17,
    "zorgcoordinator": 23,
    "directie": 26,
    "secretariaat": 9,
    "beheerder": 8,
    "clb": 15,
}


def drukke_school(w, aantal: int) -> list:
    """Everything the start cards count or list, `aantal` of each: students
    in class 3A, red flags (unacknowledged, acknowledged and escalated),
    pattern signals, open action items for every staff role, the next care
    cell with its agenda, referrals waiting for the CLB and trajectories
    its worker leads, access requests near their deadline, and per role
    unread notifications and actions from the care-policy reflection."""
    leerlingen = leerlingen_in(w.klas_a, aantal)
    derde = len(leerlingen) // 3 or 1
    vlaggen(w.klas_a, leerlingen[:derde], w.leerkracht, kleur=VlagKleur.ROOD)
    vlaggen(
        w.klas_a,
        leerlingen[derde : 2 * derde],
        w.leerkracht,
        kleur=VlagKleur.ROOD,
        erkend_op=timezone.now(),
        erkend_door=w.zorgcoordinator,
    )
    vlaggen(
        w.klas_a,
        leerlingen[2 * derde :],
        w.leerkracht,
        kleur=VlagKleur.ROOD,
        geescaleerd_op=timezone.now(),
    )
    vandaag = timezone.localdate()
    Signaal.objects.bulk_create(
        Signaal(
            leerling=leerling,
            soort=Signaal.Soort.PATROON,
            van=vandaag - datetime.timedelta(days=14),
            tot=vandaag,
            aantal=3,
        )
        for leerling in leerlingen
    )
    volgende = cel(w)
    Agendapunt.objects.bulk_create(
        Agendapunt(overleg=volgende, leerling=leerling, toegevoegd_door=w.zorgcoordinator)
        for leerling in leerlingen
    )
    vorige = cel(w, moment=timezone.now() - datetime.timedelta(days=7))
    for rol in ("leerkracht", "titularis", "zorgcoordinator", "directie", "clb"):
        actiepunten(vorige, leerlingen, w.users[rol])
    aanmeldingen = Aanmelding.objects.bulk_create(
        Aanmelding(
            leerling=leerling,
            datum=vandaag,
            hulpvraag="Hoe helpen we deze leerling zich te concentreren?",
            bron=Aanmelding.Bron.CEL,
            status=Aanmelding.Status.OPEN if i % 2 else Aanmelding.Status.AANVAARD,
            aangemaakt_door=w.zorgcoordinator,
        )
        for i, leerling in enumerate(leerlingen)
    )
    HGDTraject.objects.bulk_create(
        HGDTraject(
            aanmelding=a,
            leerling_id=a.leerling_id,
            clb=w.clb,
            begeleider=w.users["clb"],
            hulpvraag=a.hulpvraag,
            geopend_op=vandaag,
        )
        for a in aanmeldingen
        if a.status == Aanmelding.Status.AANVAARD
    )
    # Access requests near their legal deadline (the director's card).
    Inzageverzoek.objects.bulk_create(
        Inzageverzoek(
            school=w.school,
            leerling=leerling,
            aanvrager=Inzageverzoek.Aanvrager.OUDER,
            aanvrager_naam="Een ouder",
            ontvangen_op=vandaag - datetime.timedelta(days=25),
            termijn=vandaag + datetime.timedelta(days=i % 7),
            aangemaakt_door=w.directie,
        )
        for i, leerling in enumerate(leerlingen)
    )
    reflectie = Reflectie.objects.create(
        school=w.school,
        schooljaar=w.schooljaar,
        verwachting=Verwachting.VISIE,
        keuze=Keuze.VERSTERKEN,
        redenering="Meer doen dan nu.",
        aangemaakt_door=w.directie,
        gewijzigd_door=w.directie,
    )
    for rol in START_ROLLEN:
        user = w.users[rol]
        # Unread notifications about the students, and actions from the
        # reflection (for the staff who may own one).
        Melding.objects.bulk_create(
            Melding(
                ontvanger=user,
                school=w.school,
                titel=f"Melding {i:04d}",
                link="/",
                leerling=leerling,
            )
            for i, leerling in enumerate(leerlingen)
        )
        if rol in ("leerkracht", "titularis", "zorgcoordinator", "directie"):
            Reflectieactie.objects.bulk_create(
                Reflectieactie(
                    reflectie=reflectie,
                    omschrijving=f"Beleidsactie {i:04d}",
                    vervaldatum=vandaag + datetime.timedelta(days=i % 30),
                    eigenaar=user,
                    aangemaakt_door=w.directie,
                )
                for i in range(aantal)
            )
    return leerlingen


@pytest.mark.parametrize("rol", START_ROLLEN)
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_start_page_of_each_role_costs_the_same_with_5_or_200_of_everything(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards the N+1s of the cards: a student, a flag's students or a
    # meeting looked up per listed row (red flags, signals, action items,
    # referrals, the next cell's agenda count, one's classes).
    w = wereld
    drukke_school(w, aantal)
    client = client_voor(w.users[rol])
    with hoogstens(START_ROLLEN[rol]):
        antwoord = client.get(reverse("start"))
    assert antwoord.status_code == 200
    assert template_queries == []
    html = antwoord.content.decode()
    # The cards listed rows (capped at ten each) and counted all of them.
    if rol in ("leerkracht", "titularis"):
        assert "3A" in html
    if rol == "zorgcoordinator":
        onerkend = aantal - (aantal // 3 or 1)  # the escalated too
        assert antwoord.context["rode_onerkend_aantal"] == onerkend
        assert len(antwoord.context["rode_onerkend"]) == min(onerkend, 10)
        assert len(antwoord.context["signalen"]) == min(aantal, 10)
        assert antwoord.context["signalen_aantal"] == aantal
    if rol == "directie":
        assert antwoord.context["rode_geescaleerd_aantal"] == aantal - 2 * (aantal // 3 or 1)
    if rol in ("leerkracht", "titularis", "zorgcoordinator", "directie"):
        assert len(antwoord.context["mijn_actiepunten"]) == min(aantal, 10)
        assert antwoord.context["mijn_actiepunten_aantal"] == aantal
    if rol == "clb":
        assert antwoord.context["clb_wachtend_aantal"] == aantal // 2
        assert antwoord.context["clb_mijn_lopend"] == aantal - aantal // 2
    if rol == "directie":
        assert len(antwoord.context["inzage_dringend"]) == min(aantal, 10)
    if rol in ("leerkracht", "titularis", "zorgcoordinator", "directie"):
        assert len(antwoord.context["mijn_beleidsacties"]) == min(aantal, 10)
    assert len(antwoord.context["recente_meldingen"]) == 5
    if rol in ("secretariaat", "beheerder"):
        # No care content for the administration, however much there is.
        assert "Zat op de gsm" not in html and "rode_onerkend" not in antwoord.context


# --- the class: its page, its measures, its flag trends --------------------------------


@pytest.mark.parametrize("rol", ["titularis", "leerkracht", "zorgcoordinator"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_class_page_costs_the_same_with_5_or_200_students(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against a query per student for their care phase (the list
    # shows it) or their enrolment.
    w = wereld
    leerlingen = leerlingen_in(w.klas_a, aantal)
    maatregelen(leerlingen, w.zorgcoordinator)
    client = client_voor(w.users[rol])
    with hoogstens(11):
        antwoord = client.get(reverse("leerlingen:klas_detail", args=[w.klas_a.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    assert len(antwoord.context["leerlingen"]) == aantal + 1  # and Lotte Peeters
    assert leerlingen[-1].achternaam in antwoord.content.decode()


@pytest.mark.parametrize("rol", ["leerkracht", "titularis"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_class_measures_overview_costs_the_same_with_5_or_200_measures(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against a query per measure for its subjects (the measures for
    # chosen subjects name them) and per student for the student.
    w = wereld
    vak = f.VakFactory(school=w.school, naam="Wiskunde")
    leerlingen = leerlingen_in(w.klas_a, aantal)
    maatregelen(leerlingen, w.zorgcoordinator, vak=vak)
    client = client_voor(w.users[rol])
    with hoogstens(12):
        antwoord = client.get(reverse("leerlingen:klas_maatregelen", args=[w.klas_a.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    assert len(antwoord.context["blokken"]) == aantal
    html = antwoord.content.decode()
    assert f"Extra tijd bij toetsen {aantal - 1:04d}" in html
    assert "Wiskunde" in html


@pytest.mark.parametrize("rol", ["titularis", "zorgcoordinator"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_class_flag_trends_cost_the_same_with_5_or_200_flags(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against counting per week or per flag: the day counts are
    # summed in one query, whatever the number of flags.
    w = wereld
    leerlingen = leerlingen_in(w.klas_a, aantal)
    vlaggen(w.klas_a, leerlingen, w.leerkracht)
    client = client_voor(w.users[rol])
    with hoogstens(11):
        antwoord = client.get(reverse("leerlingen:klas_vlag_trends", args=[w.klas_a.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    assert antwoord.context["trends"].totaal == aantal


# --- the school's flag trends ------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"groepering": "week"},
        {"groepering": "maand"},
        {"groepering": "week", "vak": "wiskunde"},
        {"groepering": "maand", "klas": "3A"},
        {"groepering": "week", "leerjaar": 3},
    ],
    ids=["per-week", "per-month", "one-subject", "one-class", "one-year"],
)
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_school_flag_trends_cost_the_same_with_5_or_200_flags(
    wereld, client_voor, hoogstens, template_queries, query, aantal
):
    # Guards against a query per period or per flag: the day counts (or,
    # filtered on a subject, the flags) are grouped by the database.
    w = wereld
    vak = f.VakFactory(school=w.school, naam="Wiskunde")
    leerlingen = leerlingen_in(w.klas_a, aantal)
    vlaggen(w.klas_a, leerlingen, w.leerkracht, vak=vak)
    if "vak" in query:
        query = {**query, "vak": vak.pk}
    if "klas" in query:
        query = {**query, "klas": w.klas_a.pk}
    client = client_voor(w.zorgcoordinator)
    with hoogstens(12):
        antwoord = client.get(reverse("leerlingen:vlag_trends"), query)
    assert antwoord.status_code == 200
    assert template_queries == []
    assert antwoord.context["trends"].totaal == aantal


# --- one student: the timeline ---------------------------------------------------------


@pytest.mark.parametrize("rol", ["zorgcoordinator", "titularis", "leerkracht"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_timeline_costs_the_same_with_5_or_200_entries(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against a query per entry to decide whether its link may be
    # followed (one query per kind of target instead) and per entry for
    # its source.
    w = wereld
    leerling = w.leerling_a
    gemaakt = maatregelen([leerling] * aantal, w.zorgcoordinator)
    # Each decision on the timeline links to a class council of its own.
    raden = Overleg.objects.bulk_create(
        Overleg(
            school=w.school,
            klas=w.klas_a,
            soort=OverlegSoort.BEGELEIDEND,
            moment=timezone.now() - datetime.timedelta(days=1 + i),
            voorzitter=w.zorgcoordinator,
            aangemaakt_door=w.zorgcoordinator,
        )
        for i in range(aantal)
    )
    vandaag = timezone.localdate()
    items = []
    for i, (m, raad) in enumerate(zip(gemaakt, raden, strict=True)):
        soort = [TijdlijnItem.Soort.MAATREGEL, TijdlijnItem.Soort.BESLISSING][i % 2]
        url = (
            reverse("leerlingen:maatregel_detail", args=[leerling.pk, m.pk])
            if soort == TijdlijnItem.Soort.MAATREGEL
            else reverse("klassenraad:overleg_detail", args=[raad.pk])
        )
        items.append(
            TijdlijnItem(
                leerling=leerling,
                datum=vandaag - datetime.timedelta(days=i % 50),
                soort=soort,
                domeinen=domeinen.LEREN,
                zichtbaarheid=Zichtbaarheid.KLASTEAM,
                titel=f"Item {i:04d}",
                url=url,
                bron_type="maatregel",
                bron_id=m.pk,
            )
        )
    TijdlijnItem.objects.bulk_create(items)
    client = client_voor(w.users[rol])
    with hoogstens(14):
        antwoord = client.get(reverse("leerlingen:tijdlijn", args=[leerling.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    pagina = antwoord.context["pagina"]
    assert pagina.paginator.count >= aantal
    assert len(pagina.object_list) == min(pagina.paginator.count, 25)
    assert all(item.toon_link for item in pagina.object_list if item.url)


# --- the student list and the search ----------------------------------------------------


@pytest.mark.parametrize("rol", ["zorgcoordinator", "leerkracht", "secretariaat"])
@pytest.mark.parametrize("zoeken", ["lijst", "naam", "nummer", "typen"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_student_list_and_search_cost_the_same_with_5_or_200_students(
    wereld, client_voor, hoogstens, template_queries, rol, zoeken, aantal
):
    # Guards against a query per listed student for their current class
    # (annotated) or their school.
    w = wereld
    leerlingen = leerlingen_in(w.klas_a, aantal, achternaam=ZOEKNAAM)
    query = {
        "lijst": {},
        "naam": {"q": ZOEKNAAM.lower()},
        "nummer": {"q": leerlingen[-1].leerlingnummer},
        "typen": {"q": ZOEKNAAM[:4]},
    }[zoeken]
    # The search box asks for its results only (htmx), as one types.
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "zoekresultaten"}
    client = client_voor(w.users[rol])
    with hoogstens(10):
        antwoord = client.get(
            reverse("leerlingen:leerling_lijst"), query, **(htmx if zoeken == "typen" else {})
        )
    assert antwoord.status_code == 200
    assert template_queries == []
    pagina = antwoord.context["pagina"]
    verwacht = {"lijst": aantal + 1, "naam": aantal, "nummer": 1, "typen": aantal}[zoeken]
    if zoeken == "lijst" and rol != "leerkracht":
        verwacht += 1  # Noah Janssens in 3B
    assert pagina.paginator.count == verwacht
    assert len(pagina.object_list) == min(verwacht, 50)
    assert all(leerling.huidige_klas_naam for leerling in pagina.object_list)
    # The results alone for the search box, the whole page otherwise.
    assert ("<html" in antwoord.content.decode()) is (zoeken != "typen")


# --- the portrait class council -------------------------------------------------------


@pytest.mark.parametrize("rol", ["zorgcoordinator", "titularis", "leerkracht"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_portrait_council_costs_the_same_with_5_or_200_agenda_items(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against a query per agenda item for its student, decisions,
    # action items and profile (phase, measures with their subjects, flags).
    w = wereld
    vak = f.VakFactory(school=w.school, naam="Wiskunde")
    leerlingen = leerlingen_in(w.klas_a, aantal)
    maatregelen(leerlingen, w.zorgcoordinator, vak=vak)
    vlaggen(w.klas_a, leerlingen, w.leerkracht)
    portret = cel(w, soort=OverlegSoort.PORTRET, klas=w.klas_a)
    punten = Agendapunt.objects.bulk_create(
        Agendapunt(
            overleg=portret, leerling=leerling, volgorde=i, toegevoegd_door=w.zorgcoordinator
        )
        for i, leerling in enumerate(leerlingen)
    )
    # A decision and an amendment on every item, by different people.
    door = [w.zorgcoordinator, w.users["titularis"], w.directie]
    Beslissing.objects.bulk_create(
        Beslissing(
            agendapunt=punt,
            overleg=portret,
            soort=BeslissingSoort.AFSPRAAK,
            tekst=f"Afspraak {i:04d}",
            door=door[i % 3],
        )
        for i, punt in enumerate(punten)
    )
    Aanvulling.objects.bulk_create(
        Aanvulling(overleg=portret, agendapunt=punt, tekst=f"Aanvulling {i:04d}", door=door[i % 3])
        for i, punt in enumerate(punten)
    )
    actiepunten(portret, leerlingen, w.users["titularis"])
    client = client_voor(w.users[rol])
    with hoogstens(24):
        antwoord = client.get(reverse("klassenraad:overleg_detail", args=[portret.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    assert len(antwoord.context["punten"]) == aantal
    html = antwoord.content.decode()
    assert leerlingen[-1].achternaam in html
    assert f"Afspraak {aantal - 1:04d}" in html


# --- the CLB's trajectory -------------------------------------------------------------


def traject_met_inhoud(w, leerling, aantal: int) -> HGDTraject:
    """A running trajectory of the world's CLB with `aantal` goals, needs,
    notes and people involved, in both layers, written by three workers."""
    vandaag = timezone.localdate()
    aanmelding = Aanmelding.objects.create(
        leerling=leerling,
        datum=vandaag,
        hulpvraag="Hoe helpen we deze leerling zich te concentreren?",
        bron=Aanmelding.Bron.CEL,
        status=Aanmelding.Status.AANVAARD,
        aangemaakt_door=w.zorgcoordinator,
    )
    traject = HGDTraject.objects.create(
        aanmelding=aanmelding,
        leerling=leerling,
        clb=w.clb,
        begeleider=w.users["clb"],
        hulpvraag=aanmelding.hulpvraag,
        geopend_op=vandaag,
    )
    door = [w.users["clb"], *(f.CLBMedewerkerFactory(clb=w.clb).user for _ in range(2))]
    lagen = [Laag.GEDEELD, Laag.CLB]
    Doel.objects.bulk_create(
        Doel(
            traject=traject,
            termijn=list(Doeltermijn)[i % len(Doeltermijn)],
            omschrijving=f"Doel {i:04d}: plant het huiswerk zelf in een agenda.",
            evaluatiedatum=vandaag + datetime.timedelta(days=i % 40),
            laag=lagen[i % 2],
            door=door[i % 3],
        )
        for i in range(aantal)
    )
    Behoefte.objects.bulk_create(
        Behoefte(
            traject=traject,
            soort=list(Behoefte.Soort)[i % len(Behoefte.Soort)],
            van=list(Behoefte.Van)[i % len(Behoefte.Van)],
            omschrijving=f"Behoefte {i:04d}: korte, duidelijke opdrachten.",
            laag=lagen[i % 2],
            door=door[i % 3],
        )
        for i in range(aantal)
    )
    Trajectnotitie.objects.bulk_create(
        Trajectnotitie(
            traject=traject,
            soort=list(Trajectnotitie.Soort)[i % len(Trajectnotitie.Soort)],
            datum=vandaag - datetime.timedelta(days=i % 60),
            tekst=f"Notitie {i:04d}: gesprek met de ouders.",
            laag=lagen[i % 2],
            door=door[i % 3],
        )
        for i in range(aantal)
    )
    Betrokkene.objects.bulk_create(
        Betrokkene(
            traject=traject,
            soort=list(Betrokkene.Soort)[i % len(Betrokkene.Soort)],
            naam=f"Betrokkene {i:04d}",
        )
        for i in range(aantal)
    )
    return traject


@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_clb_trajectory_costs_the_same_with_5_or_200_entries(
    wereld, client_voor, hoogstens, template_queries, aantal
):
    # Guards against a query per goal, need or note for its author, and per
    # entry for its layer's readers.
    w = wereld
    traject = traject_met_inhoud(w, w.leerling_a, aantal)
    client = client_voor(w.users["clb"])
    with hoogstens(15):
        antwoord = client.get(reverse("clb:traject_detail", args=[traject.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    html = antwoord.content.decode()
    laatste = f"{aantal - 1:04d}"
    for soort in ("Doel", "Behoefte", "Notitie", "Betrokkene"):
        assert f"{soort} {laatste}" in html


@pytest.mark.parametrize("rol", ["zorgcoordinator", "titularis"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_schools_view_of_the_trajectory_costs_the_same_with_5_or_200_entries(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against a query per shared entry; the CLB's own layer stays out.
    w = wereld
    traject_met_inhoud(w, w.leerling_a, aantal)
    client = client_voor(w.users[rol])
    with hoogstens(14):
        antwoord = client.get(reverse("clb:traject_school", args=[w.leerling_a.pk]))
    assert antwoord.status_code == 200
    assert template_queries == []
    html = antwoord.content.decode()
    # Even entries are shared with the school, odd ones the CLB's own.
    gedeeld = max(i for i in range(aantal) if i % 2 == 0)
    eigen = max(i for i in range(aantal) if i % 2)
    assert f"Doel {gedeeld:04d}" in html
    assert f"Doel {eigen:04d}" not in html


# --- the annual care-policy report ----------------------------------------------------


def schooljaar_met_cijfers(w, aantal: int) -> list:
    """`aantal` students with what the report counts (a phase change, a
    measure, a flag, a referral, an action item) and `aantal` actions from
    the reflections of this school year and the last, owned by three people."""
    leerlingen = leerlingen_in(w.klas_a, aantal)
    maatregelen(leerlingen, w.zorgcoordinator)
    vlaggen(w.klas_a, leerlingen, w.leerkracht)
    fasen = {z.nummer: z for z in Zorgfase.objects.filter(schooltype=w.school.schooltype)}
    ZorgfaseWijziging.objects.bulk_create(
        ZorgfaseWijziging(
            leerling=leerling,
            van=fasen[0],
            naar=fasen[1],
            datum=timezone.localdate() - datetime.timedelta(days=10),
            reden="Extra tijd nodig bij toetsen.",
            beslist_waar="begeleidende klassenraad",
            beslist_door=w.zorgcoordinator,
        )
        for leerling in leerlingen
    )
    vorige_cel = cel(w, moment=timezone.now() - datetime.timedelta(days=7))
    actiepunten(vorige_cel, leerlingen, w.leerkracht)
    eigenaars = [w.leerkracht, w.zorgcoordinator, w.directie]
    for jaar in (w.schooljaar, w.vorig_schooljaar):
        reflecties = [
            Reflectie.objects.create(
                school=w.school,
                schooljaar=jaar,
                verwachting=verwachting,
                keuze=Keuze.VERSTERKEN,
                redenering="Meer doen dan nu.",
                aangemaakt_door=w.directie,
                gewijzigd_door=w.directie,
            )
            for verwachting in Verwachting
        ]
        Reflectieactie.objects.bulk_create(
            Reflectieactie(
                reflectie=reflecties[i % len(reflecties)],
                omschrijving=f"Beleidsactie {jaar.begin.year} {i:04d}",
                vervaldatum=jaar.begin + datetime.timedelta(days=60 + i % 100),
                eigenaar=eigenaars[i % len(eigenaars)],
                aangemaakt_door=w.directie,
            )
            for i in range(aantal)
        )
    return leerlingen


@pytest.mark.parametrize("rol", ["directie", "zorgcoordinator", "groepsdirectie"])
@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_annual_report_costs_the_same_with_5_or_200_students_and_actions(
    wereld, client_voor, hoogstens, template_queries, rol, aantal
):
    # Guards against a query per student in the figures (they are
    # aggregated) and per reflection action for its owner.
    w = wereld
    schooljaar_met_cijfers(w, aantal)
    client = client_voor(w.users[rol])
    url = reverse("zorgbeleid:rapport", args=[w.school.pk, w.schooljaar.pk])
    with hoogstens(67):
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    assert template_queries == []
    html = antwoord.content.decode()
    assert f"Beleidsactie {w.schooljaar.begin.year} {aantal - 1:04d}" in html
    assert f"Beleidsactie {w.vorig_schooljaar.begin.year} {aantal - 1:04d}" in html


# --- the daily reminder run -----------------------------------------------------------


def eerste_schooldag(school) -> datetime.datetime:
    """07:00 on the first school day of `school` from today on."""
    kalender = schoolkalender(school.pk)
    dag = timezone.localdate()
    while not kalender.is_schooldag(dag):
        dag += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time(7)))


@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_reminder_run_costs_the_same_with_5_or_200_due_items(db, wereld, hoogstens, aantal):
    # Guards against a query per due item (measure, action item, red flag,
    # goal, reflection action) for its student, owner or right to read it,
    # and against one INSERT per reminder or notification.
    w = wereld
    nu = eerste_schooldag(w.school)
    vandaag = nu.date()
    leerlingen = leerlingen_in(w.klas_a, aantal)
    Maatregel.objects.filter(
        pk__in=[m.pk for m in maatregelen(leerlingen, w.zorgcoordinator)]
    ).update(evaluatiedatum=vandaag, begin=vandaag - datetime.timedelta(days=30))
    Actiepunt.objects.filter(
        pk__in=[
            a.pk
            for a in actiepunten(
                cel(w, moment=nu - datetime.timedelta(days=14)), leerlingen, w.users["titularis"]
            )
        ]
    ).update(vervaldatum=vandaag - datetime.timedelta(days=1))
    Vlag.objects.filter(
        pk__in=[v.pk for v in vlaggen(w.klas_a, leerlingen, w.leerkracht, kleur=VlagKleur.ROOD)]
    ).update(aangemaakt=nu - datetime.timedelta(days=1))
    traject = traject_met_inhoud(w, w.leerling_a, aantal)
    Doel.objects.filter(traject=traject).update(evaluatiedatum=vandaag)
    reflectie = Reflectie.objects.create(
        school=w.school,
        schooljaar=w.schooljaar,
        verwachting=Verwachting.VISIE,
        keuze=Keuze.VERSTERKEN,
        redenering="Meer doen dan nu.",
        aangemaakt_door=w.directie,
        gewijzigd_door=w.directie,
    )
    Reflectieactie.objects.bulk_create(
        Reflectieactie(
            reflectie=reflectie,
            omschrijving=f"Beleidsactie {i:04d}",
            vervaldatum=vandaag - datetime.timedelta(days=1),
            eigenaar=w.zorgcoordinator,
            aangemaakt_door=w.directie,
        )
        for i in range(aantal)
    )
    with (
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        hoogstens(62),
    ):
        aantal_herinneringen = herinneringen_plannen(school_id=w.school.pk, nu=nu)
    per_soort = Counter(Herinnering.objects.values_list("soort", flat=True))
    # Every kind reminded someone of every due item.
    assert aantal_herinneringen == sum(per_soort.values())
    assert per_soort[MAATREGEL_EVALUATIE.code] >= aantal
    assert per_soort[DOEL_EVALUATIE.code] >= aantal // 2
    assert per_soort[ACTIEPUNT_ACHTERSTALLIG.code] == aantal
    assert per_soort[RODE_VLAG_ESCALATIE.code] >= aantal
    assert per_soort[BELEIDSACTIE_ACHTERSTALLIG.code] == aantal


@pytest.mark.parametrize("aantal", AANTALLEN)
def test_the_group_report_costs_the_same_with_5_or_200_students(
    wereld, client_voor, hoogstens, template_queries, aantal
):
    # Guards against a query per student or per school year in the group's
    # figures (aggregated per school in one go).
    w = wereld
    schooljaar_met_cijfers(w, aantal)
    client = client_voor(w.groepsdirectie)
    url = reverse(
        "zorgbeleid:groep_rapport", args=[w.school.scholengemeenschap_id, w.schooljaar.naam]
    )
    with hoogstens(64):
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    assert template_queries == []
    # Every student of the group moved up a phase, and the report says so.
    assert f"opschoven naar een hogere fase: {aantal} " in antwoord.content.decode()
