"""The legal month of an access request, on the awkward days, and the dates
the service refuses, under a frozen clock."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from inzage.models import wettelijke_termijn
from tests.datums import lokaal
from tests.inzage.hulp import verzoek

D = datetime.date


@pytest.mark.parametrize(
    ("ontvangen", "termijn"),
    [
        (D(2027, 1, 31), D(2027, 2, 28)),  # February has no 31st: its last day
        (D(2028, 1, 31), D(2028, 2, 29)),  # ... in a leap year the 29th
        (D(2028, 1, 29), D(2028, 2, 29)),
        (D(2028, 2, 29), D(2028, 3, 29)),  # leap day: the same day a month on
        (D(2027, 3, 31), D(2027, 4, 30)),  # end of a 31-day month before a 30-day one
        (D(2027, 4, 30), D(2027, 5, 30)),  # not the end of May: the same day
        (D(2026, 12, 15), D(2027, 1, 15)),  # over New Year
        (D(2026, 12, 31), D(2027, 1, 31)),
        (D(2027, 7, 10), D(2027, 8, 10)),  # the summer holidays do not stop the clock
    ],
)
def test_the_deadline_is_the_same_day_a_month_later_or_that_months_last_day(ontvangen, termijn):
    assert wettelijke_termijn(ontvangen) == termijn


@pytest.mark.django_db
def test_a_request_received_on_leap_day_is_due_on_29_march(wereld_in_2026_2027, wereld):
    with time_machine.travel(lokaal(2028, 2, 29, 16), tick=False):
        v = verzoek(wereld)
    assert v.ontvangen_op == D(2028, 2, 29)
    assert v.termijn == D(2028, 3, 29)


@pytest.mark.django_db
def test_a_request_of_31_january_is_due_on_the_last_day_of_february(wereld_in_2026_2027, wereld):
    with time_machine.travel(lokaal(2027, 2, 3), tick=False):
        v = verzoek(wereld, ontvangen_op=D(2027, 1, 31))
    assert v.termijn == D(2027, 2, 28)


@pytest.mark.django_db
def test_a_request_received_tomorrow_is_refused_in_dutch(wereld_in_2026_2027, wereld):
    # Just before midnight in Brussels on New Year's Eve (already 1 January
    # in no time zone that matters): tomorrow is 2027.
    with time_machine.travel(lokaal(2026, 12, 31, 23, 30), tick=False):
        with pytest.raises(ValidationError) as fout:
            verzoek(wereld, ontvangen_op=D(2027, 1, 1))
        v = verzoek(wereld, ontvangen_op=D(2026, 12, 31))
    assert fout.value.message_dict["ontvangen_op"] == [
        "Een verzoek kan niet in de toekomst ontvangen zijn."
    ]
    assert v.termijn == D(2027, 1, 31)


@pytest.mark.django_db
def test_a_request_received_on_the_night_of_the_autumn_clock_change_keeps_its_day(
    wereld_in_2026_2027, wereld
):
    with time_machine.travel(lokaal(2027, 10, 31, 2, 30, fold=1), tick=False):
        v = verzoek(wereld)
    assert v.ontvangen_op == D(2027, 10, 31)
    assert v.termijn == D(2027, 11, 30)
