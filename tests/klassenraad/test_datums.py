"""The care cell's agenda on awkward days: the first cell of a school year,
summer, New Year, the leap day and the two DST Sundays, under a frozen
clock. "Since the last cell" is wall-clock time in Brussels and never
reaches back into an earlier school year; dates of another school year carry
their year."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from klassenraad.agenda import agendavoorstel
from klassenraad.models import (
    Actiepunt,
    Agendareden,
    Beslissing,
    BeslissingSoort,
    Overleg,
    OverlegSoort,
)
from klassenraad.profielen import profielen
from leerlingen.models import VlagKleur, Zorgfase, ZorgfaseWijziging
from tests import factories as f
from tests.datums import BRUSSEL, lokaal
from tests.klassenraad import factories as k
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_vlaggen import vlag_met

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


CEL = OverlegSoort.CEL
R = Agendareden


def _cel(w, moment):
    """Read back as a view reads it: the moment in UTC, not as written."""
    return Overleg.objects.get(pk=k.overleg(w, CEL, moment=moment).pk)


def _rood(w, moment, leerling=None):
    return vlag_met(leerling or w.leerling_a, klas=w.klas_a, kleur=VlagKleur.ROOD, moment=moment)


# (the cell, when "since" starts without an earlier cell): 14 days back at the
# same clock time in Brussels, but never before 1 September of the cell's year.
ZONDER_VORIGE = {
    "1 september": (lokaal(2026, 9, 1), lokaal(2026, 9, 1, 0)),
    "10 september": (lokaal(2026, 9, 10), lokaal(2026, 9, 1, 0)),
    "4 december": (lokaal(2026, 12, 4), lokaal(2026, 11, 20)),
    "31 december": (lokaal(2026, 12, 31), lokaal(2026, 12, 17)),
    "1 januari": (lokaal(2027, 1, 1), lokaal(2026, 12, 18)),
    "29 februari": (lokaal(2028, 2, 29), lokaal(2028, 2, 15)),
    "na zomeruur": (lokaal(2027, 4, 7), lokaal(2027, 3, 24)),
    "na winteruur": (lokaal(2026, 11, 4), lokaal(2026, 10, 21)),
    # 02:30 on the last Sunday of March does not exist: the clock jumps from
    # 02:00 to 03:00, so the instant after the jump is 03:30.
    "laatste zondag maart": (
        datetime.datetime(2027, 3, 28, 1, 30, tzinfo=datetime.UTC),
        lokaal(2027, 3, 14, 3, 30),
    ),
    # 02:30 happens twice on the last Sunday of October: first summer time...
    "laatste zondag oktober, eerste 02:30": (
        lokaal(2026, 10, 25, 2, 30, fold=0),
        lokaal(2026, 10, 11, 2, 30),
    ),
    # ... then, an hour later, winter time.
    "laatste zondag oktober, tweede 02:30": (
        lokaal(2026, 10, 25, 2, 30, fold=1),
        lokaal(2026, 10, 11, 2, 30),
    ),
    "30 juni": (lokaal(2027, 6, 30), lokaal(2027, 6, 16)),
    "15 juli": (lokaal(2027, 7, 15), lokaal(2027, 7, 1)),
    "20 augustus": (lokaal(2027, 8, 20), lokaal(2027, 8, 6)),
}


@pytest.mark.parametrize("cel_moment, sinds", ZONDER_VORIGE.values(), ids=ZONDER_VORIGE)
def test_without_an_earlier_cell_the_window_is_two_weeks_of_brussels_clock_time(
    wereld, cel_moment, sinds
):
    with time_machine.travel(cel_moment - datetime.timedelta(hours=2), tick=False):
        cel = _cel(wereld, cel_moment)
        voorstel = agendavoorstel(cel)

    assert voorstel.vorige is None
    assert voorstel.sinds == sinds
    assert voorstel.sinds.astimezone(BRUSSEL).replace(tzinfo=None) == sinds.replace(tzinfo=None)


@pytest.mark.parametrize("cel_moment, sinds", ZONDER_VORIGE.values(), ids=ZONDER_VORIGE)
def test_a_red_flag_just_inside_the_window_is_proposed_and_one_just_outside_is_not(
    wereld, cel_moment, sinds
):
    w = wereld
    binnen = f.leerling_in(w.klas_a, voornaam="Bart", achternaam="Binnen")
    buiten = f.leerling_in(w.klas_a, voornaam="Bo", achternaam="Buiten")
    with time_machine.travel(cel_moment - datetime.timedelta(hours=2), tick=False):
        _rood(w, sinds + datetime.timedelta(minutes=1), leerling=binnen)
        _rood(w, sinds - datetime.timedelta(minutes=1), leerling=buiten)
        cel = _cel(w, cel_moment)
        voorgesteld = {v.leerling.pk for v in agendavoorstel(cel).voorstellen}

    assert voorgesteld == {binnen.pk}


def test_the_first_cell_of_a_school_year_looks_back_to_1_september_not_to_june(wereld):
    w = wereld
    juni = _cel(w, lokaal(2026, 6, 23, 14))
    na_juni = f.leerling_in(w.klas_a, voornaam="Jan", achternaam="Juni")
    _rood(w, lokaal(2026, 6, 29, 11), leerling=na_juni)
    _rood(w, lokaal(2026, 9, 2, 11))
    with time_machine.travel(lokaal(2026, 9, 7, 8), tick=False):
        cel = _cel(w, lokaal(2026, 9, 8, 14))
        voorstel = agendavoorstel(cel)

    assert voorstel.vorige == juni
    assert voorstel.sinds == lokaal(2026, 9, 1, 0)
    assert [v.leerling for v in voorstel.voorstellen] == [w.leerling_a]


def test_the_previous_cell_across_new_year_is_the_start_of_the_window(wereld):
    w = wereld
    december = _cel(w, lokaal(2026, 12, 16, 14))
    f.leerling_in(w.klas_a, voornaam="Dirk", achternaam="December")
    oud = f.leerling_in(w.klas_a, voornaam="Oscar", achternaam="Oud")
    _rood(w, lokaal(2026, 12, 16, 13), leerling=oud)
    _rood(w, lokaal(2026, 12, 31, 11))
    with time_machine.travel(lokaal(2027, 1, 5, 8), tick=False):
        cel = _cel(w, lokaal(2027, 1, 6, 14))
        voorstel = agendavoorstel(cel)

    assert voorstel.vorige == december
    assert voorstel.sinds == december.moment
    (alleen,) = voorstel.voorstellen
    assert alleen.leerling == w.leerling_a
    assert alleen.redenen == [(R.RODE_VLAG, "Rode vlag op 31/12 (3A)")]


def test_follow_up_of_a_cell_of_last_school_year_names_its_year(wereld):
    w = wereld
    juni = _cel(w, lokaal(2026, 6, 23, 14))
    k.agendapunt(juni, w.leerling_b)
    k.actiepunt(juni, w.leerling_b, w.zorgcoordinator, dagen=90, omschrijving="Test afnemen.")
    with time_machine.travel(lokaal(2026, 9, 7, 8), tick=False):
        cel = _cel(w, lokaal(2026, 9, 8, 14))
        (voorstel,) = agendavoorstel(cel).voorstellen

    assert voorstel.redenen == [(R.OPVOLGING, "Opvolging van de cel van 23/06/2026")]


@pytest.mark.parametrize(
    "cel_dag, vervaldatum, tekst",
    [
        # Due on the day of the cell: on the agenda; it is not overdue yet.
        ("2028-02-29", "2028-02-29", "Actiepunt van {} verloopt op 29/02: Bellen."),
        ("2027-01-01", "2026-12-31", "Actiepunt van {} verliep op 31/12: Bellen."),
        ("2026-09-01", "2026-06-30", "Actiepunt van {} verliep op 30/06/2026: Bellen."),
        ("2027-08-20", "2027-07-15", "Actiepunt van {} verliep op 15/07: Bellen."),
    ],
)
def test_action_items_due_by_the_day_of_the_cell_are_on_it(wereld, cel_dag, vervaldatum, tekst):
    w = wereld
    dag = datetime.date.fromisoformat(cel_dag)
    vorige = _cel(w, lokaal(2026, 1, 7))
    with time_machine.travel(lokaal(dag.year, dag.month, dag.day, 8), tick=False):
        Actiepunt.objects.create(
            overleg=vorige,
            leerling=w.leerling_a,
            eigenaar=w.titularis,
            omschrijving="Bellen.",
            vervaldatum=datetime.date.fromisoformat(vervaldatum),
        )
        later = f.leerling_in(w.klas_b, voornaam="Lien", achternaam="Later")
        k.actiepunt(vorige, later, w.titularis, dagen=1)
        cel = _cel(w, lokaal(dag.year, dag.month, dag.day, 15))
        lijst = agendavoorstel(cel).voorstellen

    # Only the item due by the cell's day; the one due the day after is not.
    assert [(v.leerling, v.redenen) for v in lijst] == [
        (w.leerling_a, [(R.ACTIEPUNT, tekst.format(w.titularis))])
    ]


@pytest.mark.parametrize(
    "cel_dag, op_agenda, niet_op_agenda",
    [
        ("2028-02-29", "2028-02-29", "2028-03-01"),
        ("2026-12-31", "2026-12-31", "2027-01-01"),
        ("2027-03-28", "2027-03-28", "2027-03-29"),
        ("2026-10-25", "2026-10-25", "2026-10-26"),
    ],
)
def test_measures_due_for_evaluation_by_the_day_of_the_cell_are_on_it(
    wereld, cel_dag, op_agenda, niet_op_agenda
):
    w = wereld
    dag = datetime.date.fromisoformat(cel_dag)
    for leerling, datum in ((w.leerling_a, op_agenda), (w.leerling_b, niet_op_agenda)):
        MaatregelFactory(
            leerling=leerling,
            titel="Extra tijd",
            begin=datetime.date(2026, 9, 1),
            evaluatiedatum=datetime.date.fromisoformat(datum),
            beslist_door=w.zorgcoordinator,
        )
    # Late in the evening: in UTC it may already be the next day.
    with time_machine.travel(lokaal(dag.year, dag.month, dag.day, 8), tick=False):
        cel = _cel(w, lokaal(dag.year, dag.month, dag.day, 23, 30))
        lijst = agendavoorstel(cel).voorstellen

    assert [(v.leerling, v.redenen) for v in lijst] == [
        (w.leerling_a, [(R.EVALUATIE, f"Evaluatie van ‘Extra tijd’ gepland op {dag:%d/%m}")])
    ]


def test_the_agenda_page_says_the_window_starts_on_1_september(wereld, client_voor):
    w = wereld
    _cel(w, lokaal(2026, 6, 23, 14))
    with time_machine.travel(lokaal(2026, 9, 7, 8), tick=False):
        cel = _cel(w, lokaal(2026, 9, 8, 14))
        antwoord = client_voor(w.zorgcoordinator).get(
            reverse("klassenraad:agenda_voorstel", args=[cel.pk])
        )

    html = antwoord.content.decode()
    assert (
        "Het vorige overleg van deze soort (23/06/2026) was in een vorig schooljaar: rode "
        "vlaggen en signalen sinds het begin van dit schooljaar (01/09/2026)."
    ) in html
    assert "sinds het vorige overleg van deze soort" not in html


# --- the portrait class council: last school year ------------------------------------------


@pytest.mark.parametrize(
    "moment, telt",
    [
        (lokaal(2025, 8, 31, 23, 30), False),  # the school year before
        (lokaal(2025, 9, 1, 0, 15), True),
        (lokaal(2026, 6, 30, 16), True),
        # The deliberating class council and a cell in the first days of July,
        # and a decision in August, are last year's: it ran until 31 August.
        (lokaal(2026, 7, 1, 14), True),
        (lokaal(2026, 8, 31, 23, 30), True),
        (lokaal(2026, 9, 1, 0, 15), False),  # this year's
    ],
)
def test_the_portrait_shows_last_school_year_s_decisions_up_to_31_august(wereld, moment, telt):
    w = wereld
    oud = Overleg.objects.get(pk=k.overleg(w, OverlegSoort.CEL, moment=moment).pk)
    Beslissing.objects.create(
        agendapunt=k.agendapunt(oud, w.leerling_a),
        soort=BeslissingSoort.AFSPRAAK,
        tekst="Huiswerkbegeleiding",
        door=w.zorgcoordinator,
    )
    with time_machine.travel(lokaal(2026, 9, 3, 8), tick=False):
        portret = k.overleg(w, OverlegSoort.PORTRET, moment=lokaal(2026, 9, 3, 16))
        profiel = profielen(w.zorgcoordinator, portret, [w.leerling_a.pk])[w.leerling_a.pk]

    assert [rij["tekst"] for rij in profiel.vorig_jaar] == (["Huiswerkbegeleiding"] if telt else [])


@pytest.mark.parametrize(
    "datum, telt",
    [("2025-08-31", False), ("2026-06-30", True), ("2026-08-20", True), ("2026-09-01", False)],
)
def test_the_portrait_shows_last_school_year_s_phase_changes_up_to_31_august(wereld, datum, telt):
    w = wereld
    ZorgfaseWijziging.objects.create(
        leerling=w.leerling_a,
        van=Zorgfase.objects.get(schooltype="secundair", nummer=0),
        naar=Zorgfase.objects.get(schooltype="secundair", nummer=1),
        datum=datetime.date.fromisoformat(datum),
        reden="Zorgen thuis",
        beslist_waar="cel",
        beslist_door=w.zorgcoordinator,
    )
    with time_machine.travel(lokaal(2026, 9, 3, 8), tick=False):
        portret = k.overleg(w, OverlegSoort.PORTRET, moment=lokaal(2026, 9, 3, 16))
        profiel = profielen(w.zorgcoordinator, portret, [w.leerling_a.pk])[w.leerling_a.pk]

    assert [rij["tekst"] for rij in profiel.vorig_jaar] == (["Zorgen thuis"] if telt else [])


@pytest.mark.parametrize(
    "moment, sinds",
    [
        # Six weeks back would be 24 August: the school year starts on 1 September.
        (lokaal(2026, 10, 5, 16), lokaal(2026, 9, 1, 0)),
        # Six weeks across the October change, at the same clock time.
        (lokaal(2026, 12, 4, 16), lokaal(2026, 10, 23, 16)),
        (lokaal(2028, 3, 31, 16), lokaal(2028, 2, 18, 16)),
    ],
)
def test_a_first_guiding_class_council_looks_back_six_weeks_within_the_school_year(
    wereld, moment, sinds
):
    w = wereld
    with time_machine.travel(moment - datetime.timedelta(hours=4), tick=False):
        raad = Overleg.objects.get(pk=k.overleg(w, OverlegSoort.BEGELEIDEND, moment=moment).pk)
        voorstel = agendavoorstel(raad)

    assert voorstel.vorige is None
    assert voorstel.sinds == sinds


@pytest.mark.parametrize("fold", [0, 1])
def test_a_previous_cell_in_october_s_repeated_hour_is_this_school_year_s(wereld, fold):
    w = wereld
    vorige = _cel(w, lokaal(2026, 10, 25, 2, 30, fold=fold))
    with time_machine.travel(lokaal(2026, 10, 27, 8), tick=False):
        voorstel = agendavoorstel(_cel(w, lokaal(2026, 10, 28, 14)))

    assert voorstel.vorige == vorige
    assert voorstel.sinds.timestamp() == vorige.moment.timestamp()
    assert not voorstel.sinds_begin_schooljaar
