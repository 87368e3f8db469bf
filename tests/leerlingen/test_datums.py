"""Behaviour flags on awkward days, under a frozen clock with PostgreSQL:
pattern signals (N yellow/orange flags in D calendar days, Brussels), the
trend charts' week and month buckets (New Year, ISO week 53, DST, the leap
day; the database and Python agree), red-flag escalation (elapsed time, not
wall-clock time), and "this school year" in summer."""

import datetime
import itertools
import uuid

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from leerlingen import tasks
from leerlingen.forms.vlagtrends import MAAND, WEEK
from leerlingen.models import (
    Inschrijving,
    Leerling,
    Signaal,
    Vlag,
    VlagBetrokkene,
    VlagKleur,
    VlagtellingKlas,
    VlagtellingSchool,
)
from leerlingen.services import vlagalarm
from leerlingen.services.vlaggen import vlag_registreren
from leerlingen.views.vlaggen import _schooljaar_begin
from leerlingen.views.vlagtrends import (
    _begin_van_periode,
    _standaard_periode,
    aantallen,
    perioden,
    trends_berekenen,
    vlag_aantallen,
)
from tests import factories as f
from tests.datums import BRUSSEL, UTC, lokaal
from tests.leerlingen.factories_vlaggen import vlag_met
from zorg.accounts.models import Schooljaar

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


# "Now" on each awkward day. 02:30 on the last Sunday of March does not exist
# in Brussels (02:00 jumps to 03:00): the instant after the jump is 03:30.
# 02:30 on the last Sunday of October happens twice (summer, then winter time).
NU = {
    "1 september": lokaal(2026, 9, 1),
    "4 december": lokaal(2026, 12, 4),
    "31 december laat": lokaal(2026, 12, 31, 23, 30),
    "1 januari vroeg": lokaal(2027, 1, 1, 0, 30),
    "29 februari": lokaal(2028, 2, 29),
    "laatste zondag maart": datetime.datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
    "laatste zondag oktober, eerste 02:30": lokaal(2026, 10, 25, 2, 30, fold=0),
    "laatste zondag oktober, tweede 02:30": lokaal(2026, 10, 25, 2, 30, fold=1),
    "30 juni": lokaal(2027, 6, 30),
    "15 juli": lokaal(2027, 7, 15),
    "20 augustus": lokaal(2027, 8, 20),
}


def _geel(w, moment, kleur=VlagKleur.GEEL):
    return vlag_met(w.leerling_a, klas=w.klas_a, kleur=kleur, moment=moment)


def _registreer(w, moment):
    return vlag_registreren(
        klas=w.klas_a,
        door=w.leerkracht,
        kleur=VlagKleur.GEEL,
        moment=moment,
        leerlingen_met_rol=[(w.leerling_a, VlagBetrokkene.Rol.BETROKKEN)],
        omschrijving="Zit op de gsm tijdens de les.",
        sleutel=uuid.uuid4(),
    )


# --- pattern signals ------------------------------------------------------------------


@pytest.mark.parametrize("nu", NU.values(), ids=NU)
def test_a_pattern_counts_the_flags_of_the_last_14_calendar_days_in_brussels(wereld, nu):
    """Today and the 13 days before, whole days on the Brussels clock: from
    midnight at the start of the first day, whatever DST did in between."""
    w = wereld
    vandaag = nu.astimezone(BRUSSEL).date()
    eerste_dag = vandaag - datetime.timedelta(days=13)
    middernacht = datetime.datetime.combine(eerste_dag, datetime.time.min, tzinfo=BRUSSEL)
    with time_machine.travel(nu, tick=False):
        _geel(w, middernacht)  # the first minute of the window
        _geel(w, middernacht - datetime.timedelta(minutes=1), kleur=VlagKleur.ORANJE)  # just out
        _registreer(w, nu - datetime.timedelta(minutes=5))
        _registreer(w, nu - datetime.timedelta(minutes=1))

    signaal = Signaal.objects.get()
    assert (signaal.aantal, signaal.van, signaal.tot) == (3, eerste_dag, vandaag)


@pytest.mark.parametrize("nu", NU.values(), ids=NU)
def test_flags_that_fall_just_before_the_window_make_no_pattern(wereld, nu):
    w = wereld
    vandaag = nu.astimezone(BRUSSEL).date()
    buiten = datetime.datetime.combine(
        vandaag - datetime.timedelta(days=14), datetime.time(23, 59), tzinfo=BRUSSEL
    )
    with time_machine.travel(nu, tick=False):
        _geel(w, buiten)
        _geel(w, buiten - datetime.timedelta(hours=3))
        _registreer(w, nu - datetime.timedelta(minutes=1))

    assert not Signaal.objects.exists()


def test_a_pattern_across_new_year_spans_both_years(wereld):
    w = wereld
    with time_machine.travel(lokaal(2027, 1, 4, 9), tick=False):
        _geel(w, lokaal(2026, 12, 22, 14))
        _geel(w, lokaal(2026, 12, 31, 23, 45))
        _registreer(w, lokaal(2027, 1, 4, 8, 50))

    signaal = Signaal.objects.get()
    assert (signaal.van, signaal.tot) == (datetime.date(2026, 12, 22), datetime.date(2027, 1, 4))


# --- trend buckets ----------------------------------------------------------------------

# (a flag's moment, the Monday of its Brussels week, the first of its month)
RANDEN = {
    "zondagavond week 53": (lokaal(2027, 1, 3, 23, 30), "2026-12-28", "2027-01-01"),
    "maandag week 1, in UTC nog zondag": (lokaal(2027, 1, 4, 0, 30), "2027-01-04", "2027-01-01"),
    "oudejaarsavond": (lokaal(2026, 12, 31, 23, 30), "2026-12-28", "2026-12-01"),
    "nieuwjaarsnacht, in UTC nog december": (
        lokaal(2027, 1, 1, 0, 30),
        "2026-12-28",
        "2027-01-01",
    ),
    "schrikkeldag": (lokaal(2028, 2, 29, 23, 30), "2028-02-28", "2028-02-01"),
    "1 maart 2028, in UTC nog 29 februari": (
        lokaal(2028, 3, 1, 0, 30),
        "2028-02-28",
        "2028-03-01",
    ),
    "na de sprong van maart": (
        datetime.datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
        "2027-03-22",
        "2027-03-01",
    ),
    "zondagavond na de sprong": (lokaal(2027, 3, 28, 23, 30), "2027-03-22", "2027-03-01"),
    "eerste 02:30 in oktober": (lokaal(2026, 10, 25, 2, 30, fold=0), "2026-10-19", "2026-10-01"),
    "tweede 02:30 in oktober": (lokaal(2026, 10, 25, 2, 30, fold=1), "2026-10-19", "2026-10-01"),
    "zondagavond wintertijd": (lokaal(2026, 10, 25, 23, 30), "2026-10-19", "2026-10-01"),
    "31 oktober laat, in UTC 31 oktober": (
        lokaal(2026, 10, 31, 23, 30),
        "2026-10-26",
        "2026-10-01",
    ),
    "1 november vroeg, in UTC nog oktober": (
        lokaal(2026, 11, 1, 0, 30),
        "2026-10-26",
        "2026-11-01",
    ),
}


@pytest.mark.parametrize("groepering", [WEEK, MAAND])
@pytest.mark.parametrize("moment, maandag, eerste", RANDEN.values(), ids=RANDEN)
def test_the_database_puts_a_flag_in_the_brussels_week_and_month_python_expects(
    wereld, moment, maandag, eerste, groepering
):
    w = wereld
    _geel(w, moment)
    verwacht = datetime.date.fromisoformat(maandag if groepering == WEEK else eerste)
    lokaal = moment.astimezone(BRUSSEL).date()

    (rij,) = vlag_aantallen(
        Vlag.objects.filter(school=w.school), van=lokaal, tot=lokaal, groepering=groepering
    )
    periode = rij["periode"]
    if isinstance(periode, datetime.datetime):
        periode = periode.astimezone(BRUSSEL)
        assert periode.time() == datetime.time.min
        periode = periode.date()
    assert periode == verwacht
    assert _begin_van_periode(lokaal, groepering) == verwacht
    # The day counts behind the trends put it in the same period.
    (telling,) = aantallen(
        VlagtellingSchool.objects.filter(school=w.school),
        van=lokaal,
        tot=lokaal,
        groepering=groepering,
    )
    assert (telling["periode"], telling["aantal"]) == (verwacht, 1)


# The trends read the day counts (leerlingen.vlagtellingen); the subject
# filter reads the flags. Both must put a flag in the same Brussels period.
BRONNEN = {
    "dagtellingen": lambda w: VlagtellingSchool.objects.filter(school=w.school),
    "klastellingen": lambda w: VlagtellingKlas.objects.filter(klas=w.klas_a),
    "vlaggen": lambda w: Vlag.objects.filter(school=w.school),
}


@pytest.mark.parametrize("bron", BRONNEN.values(), ids=BRONNEN)
def test_weekly_trends_across_new_year_have_iso_week_53_once_with_its_flags(wereld, bron):
    w = wereld
    for moment in (
        lokaal(2026, 12, 27, 23, 30),  # Sunday: ISO week 52
        lokaal(2026, 12, 28, 0, 10),  # Monday: ISO week 53 of 2026
        lokaal(2026, 12, 31, 23, 59),
        lokaal(2027, 1, 1, 0, 1),
        lokaal(2027, 1, 3, 23, 59),  # Sunday: still week 53
        lokaal(2027, 1, 4, 0, 0),  # Monday: ISO week 1 of 2027
    ):
        _geel(w, moment)

    trends = trends_berekenen(
        bron(w),
        van=datetime.date(2026, 12, 21),
        tot=datetime.date(2027, 1, 10),
        groepering=WEEK,
        gestapeld=True,
        titel="Vlaggen",
    )

    assert trends.perioden == [
        datetime.date(2026, 12, 21),
        datetime.date(2026, 12, 28),
        datetime.date(2027, 1, 4),
    ]
    assert [d.isocalendar()[:2] for d in trends.perioden] == [(2026, 52), (2026, 53), (2027, 1)]
    assert [trends.aantal(VlagKleur.GEEL, d) for d in trends.perioden] == [1, 4, 1]
    assert list(trends.grafiek.categorieen) == ["21/12", "28/12", "4/1"]
    assert trends.grafiek.lang(1) == "week van 28 december 2026"


@pytest.mark.parametrize("bron", BRONNEN.values(), ids=BRONNEN)
def test_monthly_trends_over_a_leap_february_count_the_29th(wereld, bron):
    w = wereld
    _geel(w, lokaal(2028, 2, 29, 23, 59))
    _geel(w, lokaal(2028, 3, 1, 0, 0))

    trends = trends_berekenen(
        bron(w),
        van=datetime.date(2028, 2, 1),
        tot=datetime.date(2028, 3, 31),
        groepering=MAAND,
        gestapeld=True,
        titel="Vlaggen",
    )

    assert trends.perioden == [datetime.date(2028, 2, 1), datetime.date(2028, 3, 1)]
    assert [trends.aantal(VlagKleur.GEEL, d) for d in trends.perioden] == [1, 1]


@pytest.mark.parametrize("bron", BRONNEN.values(), ids=BRONNEN)
def test_the_period_bounds_are_brussels_midnights_also_on_dst_sundays(wereld, bron):
    w = wereld
    _geel(w, lokaal(2026, 10, 24, 23, 59))  # the day before: out
    _geel(w, lokaal(2026, 10, 25, 0, 0))
    _geel(w, lokaal(2026, 10, 25, 23, 59))
    _geel(w, lokaal(2026, 10, 26, 0, 0))  # the day after: out

    rijen = aantallen(
        bron(w),
        van=datetime.date(2026, 10, 25),
        tot=datetime.date(2026, 10, 25),
        groepering=WEEK,
    )

    assert sum(r["aantal"] for r in rijen) == 2


def test_weeks_run_monday_to_monday_over_53_week_years_and_leap_years():
    weken = perioden(datetime.date(2026, 12, 1), datetime.date(2028, 3, 5), WEEK)
    assert all(b - a == datetime.timedelta(days=7) for a, b in itertools.pairwise(weken))
    assert all(d.weekday() == 0 for d in weken)
    assert datetime.date(2026, 12, 28) in weken and datetime.date(2028, 2, 28) in weken
    maanden = perioden(datetime.date(2027, 12, 31), datetime.date(2028, 3, 1), MAAND)
    assert maanden == [
        datetime.date(2027, 12, 1),
        datetime.date(2028, 1, 1),
        datetime.date(2028, 2, 1),
        datetime.date(2028, 3, 1),
    ]


@pytest.mark.parametrize(
    "vandaag, van, tot",
    [
        ("2026-09-01", "2026-09-01", "2027-06-30"),
        ("2026-12-31", "2026-09-01", "2027-06-30"),
        ("2027-01-01", "2026-09-01", "2027-06-30"),
        ("2027-06-30", "2026-09-01", "2027-06-30"),
        ("2027-07-15", "2026-09-01", "2027-06-30"),
        ("2027-08-20", "2026-09-01", "2027-06-30"),
        ("2027-08-31", "2026-09-01", "2027-06-30"),
        ("2028-02-29", "2027-09-01", "2028-06-30"),
    ],
)
def test_without_a_current_school_year_the_trends_show_the_calendar_s_school_year(
    vandaag, van, tot
):
    dag = datetime.date.fromisoformat(vandaag)
    with time_machine.travel(lokaal(dag.year, dag.month, dag.day), tick=False):
        assert _standaard_periode(None) == (
            datetime.date.fromisoformat(van),
            datetime.date.fromisoformat(tot),
        )


# --- red-flag escalation ----------------------------------------------------------------


@pytest.mark.parametrize(
    "aangemaakt, nog_niet, wel",
    [
        # Two hours of real time, though the clock says three (March) ...
        (
            lokaal(2027, 3, 28, 1, 30),
            lokaal(2027, 3, 28, 4, 29),
            lokaal(2027, 3, 28, 4, 30),
        ),
        # ... or one (October: 02:30 summer time, then 03:30 winter time).
        (
            lokaal(2026, 10, 25, 2, 30, fold=0),
            lokaal(2026, 10, 25, 3, 29),
            lokaal(2026, 10, 25, 3, 30),
        ),
        (lokaal(2026, 12, 31, 23, 0), lokaal(2027, 1, 1, 0, 59), lokaal(2027, 1, 1, 1, 0)),
        (lokaal(2028, 2, 28, 23, 0), lokaal(2028, 2, 29, 0, 59), lokaal(2028, 2, 29, 1, 0)),
    ],
)
def test_a_red_flag_escalates_after_two_hours_of_real_time(wereld, aangemaakt, nog_niet, wel):
    w = wereld
    assert w.school.escalatie_minuten == 120
    with time_machine.travel(aangemaakt, tick=False):
        vlag = vlag_met(w.leerling_a, klas=w.klas_a, kleur=VlagKleur.ROOD, moment=aangemaakt)
    # Compared as instants: Python never finds an ambiguous local time (the
    # first 02:30 of October) equal to a time in another zone (PEP 495).
    assert vlag.aangemaakt.timestamp() == aangemaakt.timestamp()

    with time_machine.travel(nog_niet, tick=False):
        assert vlagalarm.rode_vlaggen_escaleren() == 0
    with time_machine.travel(wel, tick=False):
        # As Celery beat runs it, then a second run finds nothing.
        assert tasks.rode_vlaggen_escaleren() == 1
        assert vlagalarm.rode_vlaggen_escaleren() == 0

    vlag.refresh_from_db()
    assert vlag.geescaleerd_op == wel


# --- this school year in summer ---------------------------------------------------------


@pytest.mark.parametrize("dag", ["2027-06-30", "2027-07-15", "2027-08-20", "2027-08-31"])
def test_in_summer_the_students_are_still_in_the_class_of_the_ending_school_year(wereld, dag):
    w = wereld
    datum = datetime.date.fromisoformat(dag)
    with time_machine.travel(lokaal(datum.year, datum.month, datum.day), tick=False):
        assert timezone.localdate() == datum
        assert list(
            Inschrijving.objects.actief().filter(klas=w.klas_a).values_list("leerling", flat=True)
        ) == [w.leerling_a.pk]
        assert w.klas_a.huidige_leerlingen() == [w.leerling_a]


@pytest.mark.parametrize(
    "dag, begin",
    [
        ("2027-06-30", "2026-09-01"),
        ("2027-07-15", "2026-09-01"),
        ("2027-08-20", "2026-09-01"),
        ("2027-09-01", "2027-09-01"),
        ("2028-02-29", "2027-09-01"),
    ],
)
def test_this_school_year_s_flag_counts_start_on_1_september_at_brussels_midnight(
    wereld, dag, begin
):
    w = wereld
    datum = datetime.date.fromisoformat(dag)
    verwacht = datetime.datetime.combine(
        datetime.date.fromisoformat(begin), datetime.time.min, tzinfo=BRUSSEL
    )
    with time_machine.travel(lokaal(datum.year, datum.month, datum.day), tick=False):
        # The school's current year, whatever the calendar says ...
        assert _schooljaar_begin(w.leerling_a) == lokaal(2026, 9, 1, 0)
        # ... and without one, the calendar's school year.
        w.schooljaar.is_huidig = False
        w.schooljaar.save()
        assert _schooljaar_begin(w.leerling_a) == verwacht


@pytest.fixture
def volgend_jaar(wereld):
    """School year 2027-2028, prepared in summer: class 4A with Lotte from
    1 September, and a student who joins on 1 October."""
    w = wereld
    jaar = f.SchooljaarFactory(
        school=w.school,
        naam="2027-2028",
        begin=datetime.date(2027, 9, 1),
        einde=datetime.date(2028, 6, 30),
        is_huidig=False,
    )
    klas = f.KlasFactory(schooljaar=jaar, naam="4A", leerjaar=4)
    f.InschrijvingFactory(leerling=w.leerling_a, klas=klas, begin=jaar.begin)
    later = f.LeerlingFactory(school=w.school, voornaam="Lars", achternaam="Later")
    f.InschrijvingFactory(leerling=later, klas=klas, begin=datetime.date(2027, 10, 1))
    return jaar, klas, later


def _maak_huidig(jaar):
    Schooljaar.objects.filter(school=jaar.school).update(is_huidig=False)
    Schooljaar.objects.filter(pk=jaar.pk).update(is_huidig=True)


@pytest.mark.parametrize(
    "dag, omgeschakeld, klas_van_lotte, in_4a",
    [
        # Before the administrator switches, summer is the ending year's.
        ("2027-07-15", False, "3A", []),
        # Switched in August: the new classes are filled before 1 September,
        # so the care team can prepare the portrait class councils.
        ("2027-08-20", True, "4A", ["Lotte"]),
        ("2027-08-31", True, "4A", ["Lotte"]),
        ("2027-09-01", True, "4A", ["Lotte"]),
        ("2027-10-01", True, "4A", ["Lars", "Lotte"]),
    ],
)
def test_the_new_school_year_s_classes_are_filled_as_soon_as_it_is_made_current(
    wereld, volgend_jaar, client_voor, dag, omgeschakeld, klas_van_lotte, in_4a
):
    w = wereld
    jaar, klas, _later = volgend_jaar
    if omgeschakeld:
        _maak_huidig(jaar)
    datum = datetime.date.fromisoformat(dag)
    with time_machine.travel(lokaal(datum.year, datum.month, datum.day), tick=False):
        lotte = Leerling.objects.met_huidige_klas().get(pk=w.leerling_a.pk)
        namen = [ll.voornaam for ll in klas.huidige_leerlingen()]
        per_rij = {
            i.klas.naam: i.is_actief()
            for i in Inschrijving.objects.filter(leerling=w.leerling_a).select_related(
                "klas__schooljaar"
            )
        }
        aantallen = {
            k.naam: k.aantal_leerlingen
            for k in client_voor(w.zorgcoordinator)
            .get(reverse("leerlingen:klas_lijst"))
            .context["pagina"]
        }

    assert lotte.huidige_klas_naam == klas_van_lotte
    assert namen == in_4a
    assert per_rij == {"3A": klas_van_lotte == "3A", "4A": klas_van_lotte == "4A"}
    if omgeschakeld:
        assert aantallen["4A"] == len(in_4a)


@pytest.mark.parametrize("dag", ["2026-09-01", "2027-01-01", "2027-07-15", "2027-08-20"])
def test_the_trend_page_shows_the_current_school_year_by_default_also_in_summer(
    wereld, client_voor, dag
):
    w = wereld
    _geel(w, lokaal(2026, 12, 31, 23, 30))
    datum = datetime.date.fromisoformat(dag)
    with time_machine.travel(lokaal(datum.year, datum.month, datum.day), tick=False):
        antwoord = client_voor(w.zorgcoordinator).get(reverse("leerlingen:vlag_trends"))

    trends = antwoord.context["trends"]
    # The school year 2026-2027, to its end on 31 August: the Mondays of the
    # weeks of 1 September 2026 and 31 August 2027.
    assert (w.schooljaar.begin, w.schooljaar.einde) == (
        datetime.date(2026, 9, 1),
        datetime.date(2027, 8, 31),
    )
    assert (trends.perioden[0], trends.perioden[-1]) == (
        datetime.date(2026, 8, 31),
        datetime.date(2027, 8, 30),
    )
    assert trends.aantal(VlagKleur.GEEL, datetime.date(2026, 12, 28)) == 1
    assert trends.totaal == 1
