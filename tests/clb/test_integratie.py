"""The CLB woven into the rest of Zorg: shared entries on the student's
timeline (per layer, and after a layer switch), the care cell's agenda
(shared goals due for review), and the CLB's part of an IAC decision."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clb.models import Behoefte, Doel, HGDTraject, Laag, Trajectnotitie, Trajectstap, Uitkomst
from clb.services.tijdlijn import gedeeld_op_tijdlijn, van_tijdlijn_halen
from klassenraad.agenda import voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from leerlingen.models import Gesprek, Leerling, TijdlijnItem, Zichtbaarheid, Zorgfase
from leerlingen.services.zorgfase import (
    IAC_ONTBREKEND_CLB,
    ZorgfaseRegelFout,
    iac_voorwaarden,
)
from tests import factories as f
from tests.clb import factories as c
from tests.klassenraad import factories as k
from tests.leerlingen.test_zorgfase import GesprekFactory, fase, naar_fase, wijzig

VANDAAG = timezone.localdate


def _traject(w, leerling=None, **velden) -> HGDTraject:
    return c.traject(w, leerling, begeleider=w.users["clb"], **velden)


def _items(bron) -> list[TijdlijnItem]:
    return list(TijdlijnItem.objects.filter(bron_type=bron._meta.label_lower, bron_id=bron.pk))


# --- the timeline ----------------------------------------------------------------------


def _notitie(t, w, soort, laag=Laag.GEDEELD, **velden):
    return c.notitie(t, w.users["clb"], soort=soort, laag=laag, **velden)


@pytest.mark.parametrize(
    ("maak", "zichtbaarheid", "titel"),
    [
        (
            lambda t, w: c.doel(t, w.users["clb"], omschrijving="Plant zelf."),
            Zichtbaarheid.KLASTEAM,
            "Doel (HGD-traject): Plant zelf.",
        ),
        (
            lambda t, w: c.behoefte(t, w.users["clb"]),
            Zichtbaarheid.ZORGTEAM,
            "Onderwijsbehoefte van de leerling (HGD-traject)",
        ),
        (
            lambda t, w: _notitie(t, w, Trajectnotitie.Soort.ADVIES),
            Zichtbaarheid.KLASTEAM,
            "CLB-advies",
        ),
        (
            lambda t, w: _notitie(t, w, Trajectnotitie.Soort.AFSPRAAK),
            Zichtbaarheid.ZORGTEAM,
            "Afspraak (HGD-traject)",
        ),
        (
            lambda t, w: _notitie(t, w, Trajectnotitie.Soort.OVERLEG, deelnemers="moeder"),
            Zichtbaarheid.ZORGTEAM,
            "Overleg (HGD-traject)",
        ),
    ],
)
def test_a_shared_entry_of_a_kind_the_school_needs_gets_one_timeline_entry(
    wereld, maak, zichtbaarheid, titel
):
    w = wereld
    t = _traject(w)
    bron = maak(t, w)

    item = gedeeld_op_tijdlijn(bron)

    assert _items(bron) == [item]
    assert item.leerling_id == w.leerling_a.pk
    assert item.soort == TijdlijnItem.Soort.CLB
    assert item.zichtbaarheid == zichtbaarheid
    assert item.titel == titel
    assert item.url.startswith(reverse("clb:traject_school", args=[w.leerling_a.pk]))
    tekst = getattr(bron, "tekst", None) or getattr(bron, "omschrijving", "")
    if isinstance(bron, Doel):
        assert bron.evaluatiedatum.strftime("%d/%m/%Y") in item.tekst
    else:
        assert tekst in item.tekst
    if isinstance(bron, Trajectnotitie) and bron.deelnemers:
        assert "Deelnemers: moeder" in item.tekst


@pytest.mark.parametrize("soort", list(Trajectnotitie.Soort))
def test_a_clb_only_note_never_reaches_the_timeline(wereld, soort):
    w = wereld
    t = _traject(w)
    notitie = _notitie(t, w, soort, laag=Laag.CLB, tekst="GEHEIM")
    assert gedeeld_op_tijdlijn(notitie) is None
    assert not TijdlijnItem.objects.exists()


@pytest.mark.parametrize(
    "soort",
    [Trajectnotitie.Soort.NOTITIE, Trajectnotitie.Soort.ONDERZOEK, Trajectnotitie.Soort.DERDEN],
)
def test_shared_notes_of_other_kinds_stay_on_the_trajectory_page(wereld, soort):
    w = wereld
    t = _traject(w)
    assert gedeeld_op_tijdlijn(_notitie(t, w, soort)) is None
    assert not TijdlijnItem.objects.exists()


def test_clb_only_goals_and_needs_never_reach_the_timeline(wereld):
    w = wereld
    t = _traject(w)
    assert gedeeld_op_tijdlijn(c.doel(t, w.users["clb"], laag=Laag.CLB)) is None
    assert gedeeld_op_tijdlijn(c.behoefte(t, w.users["clb"], laag=Laag.CLB)) is None
    assert not TijdlijnItem.objects.exists()


def test_a_layer_switch_removes_the_entry_and_switching_back_restores_it(wereld):
    w = wereld
    t = _traject(w)
    doel = c.doel(t, w.users["clb"], omschrijving="Eerst gedeeld.")
    gedeeld_op_tijdlijn(doel)
    assert len(_items(doel)) == 1

    Doel.objects.filter(pk=doel.pk).update(laag=Laag.CLB)
    doel.refresh_from_db()
    assert gedeeld_op_tijdlijn(doel) is None
    assert _items(doel) == []

    Doel.objects.filter(pk=doel.pk).update(laag=Laag.GEDEELD)
    doel.refresh_from_db()
    gedeeld_op_tijdlijn(doel)
    assert len(_items(doel)) == 1


def test_an_edit_refreshes_the_one_entry(wereld):
    w = wereld
    t = _traject(w)
    behoefte = c.behoefte(t, w.users["clb"], omschrijving="Eerst.")
    eerst = gedeeld_op_tijdlijn(behoefte)

    behoefte.omschrijving = "Daarna."
    behoefte.soort = Behoefte.Soort.ONDERSTEUNING
    behoefte.save()
    daarna = gedeeld_op_tijdlijn(behoefte)

    assert daarna.pk == eerst.pk
    assert _items(behoefte) == [daarna]
    assert daarna.tekst == "Daarna."
    assert daarna.titel.startswith("Ondersteuningsbehoefte")


def test_taking_an_entry_off_the_timeline(wereld):
    w = wereld
    t = _traject(w)
    advies = _notitie(t, w, Trajectnotitie.Soort.ADVIES)
    gedeeld_op_tijdlijn(advies)
    assert van_tijdlijn_halen(advies) == 1
    assert _items(advies) == []


def test_the_timeline_shows_each_level_only_what_it_reads(wereld, client_voor):
    w = wereld
    t = _traject(w)
    clb = w.users["clb"]
    for bron in (
        c.doel(t, clb, omschrijving="Gedeeld doel."),
        c.behoefte(t, clb, omschrijving="Gedeelde behoefte."),
        _notitie(t, w, Trajectnotitie.Soort.ADVIES, tekst="Gedeeld advies."),
        _notitie(t, w, Trajectnotitie.Soort.AFSPRAAK, tekst="Gedeelde afspraak."),
        _notitie(t, w, Trajectnotitie.Soort.OVERLEG, tekst="Gedeeld overleg."),
        _notitie(t, w, Trajectnotitie.Soort.NOTITIE, tekst="Gedeelde notitie."),
        c.doel(t, clb, laag=Laag.CLB, omschrijving="GEHEIM doel."),
        _notitie(t, w, Trajectnotitie.Soort.NOTITIE, laag=Laag.CLB, tekst="GEHEIM."),
    ):
        gedeeld_op_tijdlijn(bron)
    url = reverse("leerlingen:tijdlijn", args=[w.leerling_a.pk])

    zorg = client_voor(w.zorgcoordinator).get(url, {"soort": "clb"})
    assert zorg.context["pagina"].paginator.count == 5
    assert "5 items" in zorg.content.decode()

    klas = client_voor(w.leerkracht).get(url, {"soort": "clb"})
    assert klas.context["pagina"].paginator.count == 2
    html = klas.content.decode()
    assert "Gedeeld doel." in html and "Gedeeld advies." in html
    assert "Gedeelde behoefte." not in html and "Gedeelde afspraak." not in html
    assert "GEHEIM" not in html + zorg.content.decode()


# --- the care cell's agenda ---------------------------------------------------------


def _reden(voorstel_lijst, leerling) -> list[tuple[str, str]]:
    for voorstel in voorstel_lijst:
        if voorstel.leerling.pk == leerling.pk:
            return voorstel.redenen
    return []


def test_shared_goals_due_by_the_cell_are_a_reason_on_its_agenda(wereld):
    w = wereld
    cel = k.overleg(w, OverlegSoort.CEL, dagen=3)
    datum_cel = timezone.localtime(cel.moment).date()
    t = _traject(w)
    clb = w.users["clb"]
    due = c.doel(t, clb, omschrijving="Plant zelf.", dagen=2)
    c.doel(t, clb, omschrijving="GEHEIM doel.", laag=Laag.CLB, dagen=-1)
    c.doel(t, clb, omschrijving="Na de cel.", dagen=10)
    c.doel(t, clb, omschrijving="Al bereikt.", dagen=-1, status=Doel.Status.BEREIKT)
    afgesloten = f.leerling_in(w.klas_b, voornaam="Arne", achternaam="Afgesloten")
    c.doel(
        _traject(
            w,
            afgesloten,
            status=HGDTraject.Status.AFGESLOTEN,
            uitkomst=Uitkomst.ADVIES_OP_SCHOOL,
            afgesloten_op=VANDAAG(),
        ),
        clb,
        dagen=-1,
    )
    # A student of another school, with a trajectory of its own CLB.
    elders = HGDTraject.objects.create(
        aanmelding=c.aanmelding(w.leerling_x, w.buitenstaander),
        leerling=w.leerling_x,
        clb=w.clb_ander,
        begeleider=w.users["clb_ander"],
        hulpvraag="Elders",
        geopend_op=VANDAAG(),
    )
    c.doel(elders, w.users["clb_ander"], dagen=-1)

    lijst = voorstellen(cel)

    assert due.evaluatiedatum <= datum_cel
    assert _reden(lijst, w.leerling_a) == [
        (
            Agendareden.DOEL,
            f"Doel van het HGD-traject te evalueren op {due.evaluatiedatum:%d/%m}: Plant zelf.",
        )
    ]
    assert _reden(lijst, afgesloten) == []
    assert _reden(lijst, w.leerling_x) == []


def test_class_councils_do_not_get_the_goal_reason(wereld):
    w = wereld
    c.doel(_traject(w), w.users["clb"], dagen=-1)
    klassenraad = k.overleg(w, OverlegSoort.BEGELEIDEND, dagen=1)
    assert _reden(voorstellen(klassenraad), w.leerling_a) == []


def test_the_goal_reason_costs_one_query_whatever_the_number_of_goals(wereld):
    w = wereld
    vorige = k.overleg(w, OverlegSoort.CEL, dagen=-7)
    cel = k.overleg(w, OverlegSoort.CEL, dagen=2)
    k.agendapunt(vorige, w.leerling_a)

    def vul(aantal):
        for _ in range(aantal):
            leerling = f.leerling_in(w.klas_a)
            c.doel(_traject(w, leerling), w.users["clb"], dagen=-1)

    def tel():
        with CaptureQueriesContext(connection) as ctx:
            lijst = voorstellen(cel)
        return len(ctx.captured_queries), lijst

    vul(3)
    weinig, lijst = tel()
    # Each trajectory's referral is accepted: the goals are the only reason.
    assert len(lijst) == 3
    vul(30)
    veel, lijst = tel()
    assert len(lijst) == 33
    assert veel == weinig
    # One per kind of reason (issue 17 added low SODA reports and problematic
    # absences to the care cell's).
    assert veel <= 12


def test_the_agenda_page_names_the_reason(wereld, client_voor):
    w = wereld
    cel = k.overleg(w, OverlegSoort.CEL, dagen=2)
    c.doel(_traject(w), w.users["clb"], omschrijving="Plant zelf.", dagen=-1)
    response = client_voor(w.zorgcoordinator).get(
        reverse("klassenraad:agenda_voorstel", args=[cel.pk])
    )
    html = response.content.decode()
    assert 'data-testid="reden-doel"' in html
    assert "Doel van het HGD-traject te evalueren" in html
    assert "Plant zelf." in html


# --- IAC needs the CLB ----------------------------------------------------------------


@pytest.fixture
def in_fase_2(wereld):
    """leerling_a in extended care, with a parent talk: only the CLB's part
    of an IAC decision is open."""
    naar_fase(wereld.leerling_a, 2, wereld.zorgcoordinator)
    GesprekFactory(leerling=wereld.leerling_a, soort=Gesprek.Soort.OUDERS)
    return wereld.leerling_a


def _naar_iac(w, leerling):
    return wijzig(leerling, fase(3), w.zorgcoordinator, maatregelen_ontoereikend=True)


def _geweigerd(w, leerling) -> list[str]:
    with pytest.raises(ZorgfaseRegelFout) as fout:
        _naar_iac(w, leerling)
    return fout.value.ontbreekt


def test_without_anything_of_the_clb_iac_is_refused(wereld, in_fase_2):
    assert _geweigerd(wereld, in_fase_2) == [str(IAC_ONTBREKEND_CLB)]


def test_a_trajectory_closed_with_a_report_for_iac_meets_the_clbs_part(wereld, in_fase_2):
    w = wereld
    _traject(
        w,
        stap=Trajectstap.ADVIES,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=Uitkomst.VERSLAG_IAC,
        afgesloten_op=VANDAAG(),
    )
    _naar_iac(w, in_fase_2)
    assert Leerling.objects.get(pk=in_fase_2.pk).zorgfase.soort == Zorgfase.Soort.IAC


@pytest.mark.parametrize("uitkomst", [u for u in Uitkomst if u != Uitkomst.VERSLAG_IAC])
def test_a_trajectory_closed_with_another_outcome_does_not(wereld, in_fase_2, uitkomst):
    _traject(
        wereld,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=uitkomst,
        afgesloten_op=VANDAAG(),
    )
    assert _geweigerd(wereld, in_fase_2) == [str(IAC_ONTBREKEND_CLB)]


def test_a_running_trajectory_does_not_either(wereld, in_fase_2):
    _traject(wereld, stap=Trajectstap.OPVOLGING)
    assert _geweigerd(wereld, in_fase_2) == [str(IAC_ONTBREKEND_CLB)]


def test_a_talk_with_the_clb_still_meets_it(wereld, in_fase_2):
    GesprekFactory(leerling=in_fase_2, soort=Gesprek.Soort.CLB)
    _naar_iac(wereld, in_fase_2)
    assert Leerling.objects.get(pk=in_fase_2.pk).zorgfase.soort == Zorgfase.Soort.IAC


def test_a_written_consultation_of_the_last_12_months_meets_it(wereld, in_fase_2):
    w = wereld
    c.consultatie(in_fase_2, w.clb, w.users["clb"], datum=VANDAAG() - datetime.timedelta(days=300))
    _naar_iac(w, in_fase_2)
    assert Leerling.objects.get(pk=in_fase_2.pk).zorgfase.soort == Zorgfase.Soort.IAC


def test_an_older_consultation_does_not(wereld, in_fase_2):
    w = wereld
    c.consultatie(in_fase_2, w.clb, w.users["clb"], datum=VANDAAG() - datetime.timedelta(days=400))
    assert _geweigerd(w, in_fase_2) == [str(IAC_ONTBREKEND_CLB)]


def test_the_rule_counts_what_existed_on_the_day_asked(wereld):
    w = wereld
    leerling = w.leerling_a
    GesprekFactory(leerling=leerling, soort=Gesprek.Soort.OUDERS, datum=VANDAAG())
    _traject(
        w,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=Uitkomst.VERSLAG_IAC,
        afgesloten_op=VANDAAG(),
    )
    assert iac_voorwaarden(leerling) == []
    gisteren = VANDAAG() - datetime.timedelta(days=1)
    assert str(IAC_ONTBREKEND_CLB) in iac_voorwaarden(leerling, op=gisteren)
    # Another student's report does not count for her.
    assert str(IAC_ONTBREKEND_CLB) in iac_voorwaarden(w.leerling_b)


def test_the_phase_form_tells_in_advance_that_the_report_suffices(wereld, client_voor, in_fase_2):
    w = wereld
    _traject(
        w,
        status=HGDTraject.Status.AFGESLOTEN,
        uitkomst=Uitkomst.VERSLAG_IAC,
        afgesloten_op=VANDAAG(),
    )
    response = client_voor(w.zorgcoordinator).get(
        reverse("leerlingen:zorgfase_wijzigen", args=[in_fase_2.pk])
    )
    assert response.context["iac_ontbreekt"] == []
