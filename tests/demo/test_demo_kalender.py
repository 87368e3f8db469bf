"""The demo keeps every promise of the README on any day of the year: run
under a frozen clock on the awkward days (the first school day, New Year,
a leap day, both DST changes at 02:30, the summer between two school years)."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from clb.models import HGDTraject, Trajectstap, Uitkomst
from klassenraad.models import Actiepunt, Bespreekvraag, Overleg, OverlegSoort
from leerlingen.models import (
    Aanmelding,
    Gesprek,
    Maatregel,
    Observatie,
    Signaal,
    Vlag,
    VlagKleur,
    ZorgfaseWijziging,
)
from zorg.accounts.models import School, Schooljaar, User
from zorg.demo import kalender

BRUSSEL = ZoneInfo("Europe/Brussels")
SEC = "123456"

# Relative to the school year 2026-2027 (plus the next leap day). Times vary:
# early in the night, late in the evening, and 02:30 on both DST Sundays (in
# March that wall-clock time does not exist in Brussels; zoneinfo reads it
# with the winter offset, so the clock stands at 03:30 summer time).
DAGEN = {
    "eerste-schooldag": datetime.datetime(2026, 9, 1, 8, 0),
    "winterklok-2u30": datetime.datetime(2026, 10, 25, 2, 30),  # last Sunday of October
    "4-december": datetime.datetime(2026, 12, 4, 10, 0),
    "oudejaarsavond": datetime.datetime(2026, 12, 31, 23, 30),
    "nieuwjaarsnacht": datetime.datetime(2027, 1, 1, 0, 30),
    "zomerklok-2u30": datetime.datetime(2027, 3, 28, 2, 30),  # last Sunday of March
    "laatste-schooldag": datetime.datetime(2027, 6, 30, 15, 0),
    "15-juli": datetime.datetime(2027, 7, 15, 9, 0),
    "20-augustus": datetime.datetime(2027, 8, 20, 9, 0),
    "schrikkeldag": datetime.datetime(2028, 2, 29, 12, 0),
}


def test_the_days_are_the_awkward_ones():
    assert DAGEN["winterklok-2u30"].date() == _laatste_zondag(2026, 10)
    assert DAGEN["zomerklok-2u30"].date() == _laatste_zondag(2027, 3)
    # 02:30 on the March Sunday does not exist: it lands an hour later.
    gat = DAGEN["zomerklok-2u30"].replace(tzinfo=BRUSSEL)
    assert gat.astimezone(datetime.UTC).astimezone(BRUSSEL).hour == 3


@pytest.mark.parametrize(
    ("vandaag", "startjaar", "geschiedenis"),
    [
        (datetime.date(2026, 9, 1), 2026, datetime.date(2025, 9, 1)),  # hardly any history yet
        (datetime.date(2026, 10, 9), 2026, datetime.date(2025, 9, 1)),
        (datetime.date(2026, 10, 16), 2026, datetime.date(2026, 9, 1)),  # six weeks of school
        (datetime.date(2027, 1, 1), 2026, datetime.date(2026, 9, 1)),
        (datetime.date(2027, 8, 31), 2026, datetime.date(2026, 9, 1)),  # the summer
        (datetime.date(2028, 2, 29), 2027, datetime.date(2027, 9, 1)),
    ],
)
def test_the_school_year_and_the_history_follow_the_date(vandaag, startjaar, geschiedenis):
    assert kalender.startjaar(vandaag) == startjaar
    assert kalender.geschiedenis_begin(vandaag) == geschiedenis


def test_school_days_skip_weekends_and_the_summer_and_christmas_holidays():
    assert kalender.is_schooldag(datetime.date(2026, 12, 4))  # a Friday
    assert not kalender.is_schooldag(datetime.date(2026, 12, 5))  # Saturday
    assert not kalender.is_schooldag(datetime.date(2026, 12, 28))  # Monday, Christmas holidays
    assert not kalender.is_schooldag(datetime.date(2027, 7, 15))  # Thursday, summer
    assert kalender.vorige_schooldag(datetime.date(2026, 9, 1)) == datetime.date(2026, 6, 30)
    assert kalender.volgende_schooldag(datetime.date(2027, 8, 20), 3) == datetime.date(2027, 9, 2)


def _laatste_zondag(jaar, maand) -> datetime.date:
    dag = datetime.date(jaar, maand + 1, 1) - datetime.timedelta(days=1)
    return dag - datetime.timedelta(days=(dag.weekday() - 6) % 7)


def _startjaar(dag: datetime.date) -> int:
    return dag.year if dag.month >= 9 else dag.year - 1


@pytest.mark.parametrize("moment", DAGEN.values(), ids=DAGEN.keys())
@pytest.mark.django_db
def test_the_demo_keeps_its_promises_on_any_day(moment, client):
    with time_machine.travel(moment.replace(tzinfo=BRUSSEL), tick=False):
        call_command("demo", students=200, stdout=io.StringIO())
        nu = timezone.now()
        vandaag = timezone.localdate()
        begin_vandaag = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        sec = School.objects.get(instellingsnummer=SEC)

        # The current school year is the one that holds today (1 September
        # to 31 August: in the summer, the year that is ending).
        jaar = _startjaar(vandaag)
        for huidig in Schooljaar.objects.filter(is_huidig=True):
            assert huidig.naam == f"{jaar}-{jaar + 1}"
            assert huidig.begin <= vandaag <= huidig.einde

        # HGD trajectories at every stage and with both outcomes.
        trajecten = list(HGDTraject.objects.filter(clb__naam="CLB Leiedal"))
        lopend = {t.stap for t in trajecten if t.status == HGDTraject.Status.LOPEND}
        assert {
            Trajectstap.INTAKE,
            Trajectstap.STRATEGIE,
            Trajectstap.ONDERZOEK,
            Trajectstap.ADVIES,
            Trajectstap.OPVOLGING,
        } <= lopend
        uitkomsten = {t.uitkomst for t in trajecten if t.status == HGDTraject.Status.AFGESLOTEN}
        assert {Uitkomst.ADVIES_OP_SCHOOL, Uitkomst.VERSLAG_IAC} <= uitkomsten
        # A referral waits in each school the CLB serves.
        for school in School.objects.filter(clbs__naam="CLB Leiedal"):
            assert Aanmelding.objects.filter(
                leerling__school=school, status=Aanmelding.Status.OPEN
            ).exists(), school

        # Two red flags of this morning wait to be acknowledged.
        rood = Vlag.objects.filter(school=sec, kleur=VlagKleur.ROOD, erkend_op__isnull=True)
        assert rood.count() == 2
        for vlag in rood:
            assert begin_vandaag <= vlag.moment <= nu

        # Closed care cells with decisions, the next one waiting for its agenda.
        cellen = Overleg.objects.cellen().filter(school=sec)
        gesloten = cellen.filter(status=Overleg.Status.AFGESLOTEN)
        assert gesloten.count() == 8
        assert gesloten.filter(agendapunten__beslissingen__isnull=False).exists()
        volgende = cellen.filter(moment__gte=begin_vandaag).exclude(
            status=Overleg.Status.AFGESLOTEN
        )
        assert volgende.count() == 1
        assert not volgende.get().agendapunten.exists()
        assert Overleg.objects.filter(school=sec, soort=OverlegSoort.PORTRET).exists()
        assert Overleg.objects.filter(school=sec, soort=OverlegSoort.BEGELEIDEND).exists()
        assert Bespreekvraag.objects.filter(leerling__school=sec).exists()

        # Overdue action items on zorg@ and titularis@, and some done.
        for email in ("zorg@sint-jozef.example", "titularis@sint-jozef.example"):
            assert Actiepunt.objects.achterstallig().filter(eigenaar__email=email).exists(), email
        assert Actiepunt.objects.filter(status=Actiepunt.Status.AFGEROND).exists()

        # Open pattern signals.
        assert Signaal.objects.filter(
            leerling__school=sec, soort=Signaal.Soort.PATROON, afgehandeld_op__isnull=True
        ).exists()

        # Nothing recorded in the future, school events on school days.
        assert not Vlag.objects.filter(moment__gt=nu).exists()
        for model in (ZorgfaseWijziging, Observatie, Gesprek):
            assert not model.objects.filter(datum__gt=vandaag).exists(), model
        assert not Maatregel.objects.filter(begin__gt=vandaag).exists()
        assert not Overleg.objects.filter(moment__gt=nu, status=Overleg.Status.AFGESLOTEN).exists()
        for overleg in Overleg.objects.all():
            assert timezone.localtime(overleg.moment).weekday() < 5, overleg
        weekend = Vlag.objects.filter(moment__week_day__in=[1, 7]).exclude(pk__in=rood)
        assert not weekend.exists()
        # A flag of last school year is in the class the student was in then.
        assert not Vlag.objects.filter(moment__date__lt=F("klas__schooljaar__begin")).exists()
        assert not Vlag.objects.filter(moment__date__gt=F("klas__schooljaar__einde")).exists()

        # And the care coordinator's start page shows it all.
        client.force_login(User.objects.get(email="zorg@sint-jozef.example"))
        pagina = client.get("/")
        assert pagina.status_code == 200
        assert pagina.context["rode_onerkend_aantal"] == 2
        assert pagina.context["volgende_cellen"]
        assert pagina.context["mijn_actiepunten_achterstallig"] > 0
        assert pagina.context["signalen"]
        # And the CLB's start page the referral waiting in each school.
        client.force_login(User.objects.get(email="clb@clb-leiedal.example"))
        wachtend = client.get("/").context["clb_wachtend"]
        assert {a.leerling.school.naam for a in wachtend} == {
            "Sint-Jozefscollege",
            "Basisschool De Regenboog",
        }
