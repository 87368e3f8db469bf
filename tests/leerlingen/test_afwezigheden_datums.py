"""Absences on awkward days, under a frozen clock: the school year's
boundary (31 August / 1 September: the threshold counts per school year),
New Year (one school year across it), the leap day 29 February 2028 (in the
carnival holiday) and DST Sunday."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError

from leerlingen.models import Afwezigheid, AfwezigheidCode, Afwezigheidsdrempel, Dagdeel
from leerlingen.services.afwezigheden import (
    afwezigheden_klasdag_registreren,
    datum_controleren,
    problematische_halve_dagen,
)
from tests.datums import lokaal
from zorg.schoolkalender import Kalender

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

ONGEWETTIGD = AfwezigheidCode.ONGEWETTIGD
VM, NM = Dagdeel.VOORMIDDAG, Dagdeel.NAMIDDAG


def _opslaan(w, datum, code=ONGEWETTIGD):
    """Both half days of `datum` for leerling_a (none recorded before)."""
    return afwezigheden_klasdag_registreren(
        klas=w.klas_a,
        datum=datum,
        door=w.secretariaat,
        keuzes={(w.leerling_a.pk, VM): code, (w.leerling_a.pk, NM): code},
        gezien={},
        sleutel=uuid.uuid4(),
    )


def _oud(w, datum, code=ONGEWETTIGD):
    for dagdeel in (VM, NM):
        Afwezigheid.objects.create(
            leerling=w.leerling_a,
            datum=datum,
            dagdeel=dagdeel,
            code=code,
            geregistreerd_door=w.secretariaat,
        )


def test_on_1_september_last_june_s_absences_no_longer_count(wereld):
    w = wereld
    w.school.afwezigheid_drempel = 4
    w.school.save()
    _oud(w, datetime.date(2027, 6, 29))
    with time_machine.travel(lokaal(2027, 9, 1, 9), tick=False):
        _opslaan(w, datetime.date(2027, 9, 1))
    assert not Afwezigheidsdrempel.objects.exists()
    assert problematische_halve_dagen([w.leerling_a.pk], datetime.date(2027, 9, 1)) == {
        w.leerling_a.pk: 2
    }


def test_on_31_august_a_late_june_absence_still_counts_for_the_ending_year(wereld):
    w = wereld
    w.school.afwezigheid_drempel = 4
    w.school.save()
    _oud(w, datetime.date(2027, 6, 29))
    with time_machine.travel(lokaal(2027, 8, 31, 9), tick=False):
        # The summer holiday itself is no school day ...
        with pytest.raises(ValidationError, match="zomervakantie"):
            _opslaan(w, datetime.date(2027, 8, 31))
        # ... but the last day of June is, in the year that ends today.
        _opslaan(w, datetime.date(2027, 6, 30))
    drempel = Afwezigheidsdrempel.objects.get()
    assert (drempel.schooljaar, drempel.aantal) == (datetime.date(2026, 9, 1), 4)


def test_across_new_year_the_half_days_add_up_in_one_school_year(wereld):
    w = wereld
    w.school.afwezigheid_drempel = 4
    w.school.save()
    _oud(w, datetime.date(2026, 12, 18))
    with time_machine.travel(lokaal(2027, 1, 4, 9), tick=False):
        with pytest.raises(ValidationError, match="kerstvakantie"):
            _opslaan(w, datetime.date(2027, 1, 1))
        _opslaan(w, datetime.date(2027, 1, 4))
    assert Afwezigheidsdrempel.objects.get().aantal == 4


def test_late_on_new_year_s_eve_the_first_of_january_is_still_the_future():
    with time_machine.travel(lokaal(2026, 12, 31, 23, 30), tick=False):
        fout = datum_controleren(datetime.date(2027, 1, 1), kalender=Kalender.wettelijk())
    assert "toekomst" in fout


def test_the_leap_day_2028_falls_in_the_carnival_holiday():
    with time_machine.travel(lokaal(2028, 2, 29, 9), tick=False):
        fout = datum_controleren(datetime.date(2028, 2, 29), kalender=Kalender.wettelijk())
        assert "krokusvakantie" in fout
        # The Friday before it was a school day.
        assert datum_controleren(datetime.date(2028, 2, 25), kalender=Kalender.wettelijk()) is None


def test_a_dst_sunday_is_a_weekend_day_and_the_monday_after_a_school_day():
    # The last Sunday of October 2026; at 00:30 on Monday the UTC date is
    # still Sunday's: the local day counts.
    with time_machine.travel(lokaal(2026, 10, 26, 0, 30), tick=False):
        kalender = Kalender.wettelijk()
        assert "weekend" in datum_controleren(datetime.date(2026, 10, 25), kalender=kalender)
        assert datum_controleren(datetime.date(2026, 10, 26), kalender=kalender) is None
