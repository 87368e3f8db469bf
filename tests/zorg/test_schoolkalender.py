"""The Flemish statutory school calendar, checked against calendars schools
published (2024-2025, 2025-2026) and against each rule's exceptions in the
years they occur."""

import datetime

import pytest

from zorg.schoolkalender import Kalender, VrijePeriode, startjaar_van, wettelijke_vrije_dagen

D = datetime.date


def _perioden(startjaar):
    return {str(p.naam): (p.begin, p.einde) for p in wettelijke_vrije_dagen(startjaar)}


# As published by Flemish schools for their families.
GEPUBLICEERD = {
    2024: {
        "Herfstvakantie": (D(2024, 10, 28), D(2024, 11, 3)),
        "Wapenstilstand": (D(2024, 11, 11), D(2024, 11, 11)),
        "Kerstvakantie": (D(2024, 12, 23), D(2025, 1, 5)),
        "Krokusvakantie": (D(2025, 3, 3), D(2025, 3, 9)),
        "Paasvakantie": (D(2025, 4, 7), D(2025, 4, 20)),
        "Dag van de Arbeid": (D(2025, 5, 1), D(2025, 5, 1)),
        "Hemelvaartsdag": (D(2025, 5, 29), D(2025, 5, 29)),
        "Pinkstermaandag": (D(2025, 6, 9), D(2025, 6, 9)),
        "Zomervakantie": (D(2025, 7, 1), D(2025, 8, 31)),
    },
    2025: {
        "Herfstvakantie": (D(2025, 10, 27), D(2025, 11, 2)),
        "Wapenstilstand": (D(2025, 11, 11), D(2025, 11, 11)),
        "Kerstvakantie": (D(2025, 12, 22), D(2026, 1, 4)),
        "Krokusvakantie": (D(2026, 2, 16), D(2026, 2, 22)),
        "Paasvakantie": (D(2026, 4, 6), D(2026, 4, 19)),
        "Dag van de Arbeid": (D(2026, 5, 1), D(2026, 5, 1)),
        "Hemelvaartsdag": (D(2026, 5, 14), D(2026, 5, 14)),
        "Pinkstermaandag": (D(2026, 5, 25), D(2026, 5, 25)),
        "Zomervakantie": (D(2026, 7, 1), D(2026, 8, 31)),
    },
}


@pytest.mark.parametrize("startjaar", GEPUBLICEERD)
def test_the_statutory_holidays_match_the_published_calendars(startjaar):
    assert _perioden(startjaar) == GEPUBLICEERD[startjaar]


def test_they_come_in_date_order_within_the_school_year():
    for startjaar in range(2020, 2060):
        perioden = wettelijke_vrije_dagen(startjaar)
        assert [p.begin for p in perioden] == sorted(p.begin for p in perioden)
        assert D(startjaar, 9, 1) < perioden[0].begin
        assert perioden[-1].einde == D(startjaar + 1, 8, 31)


def test_all_saints_on_a_sunday_starts_the_autumn_holiday_on_monday_2_november():
    assert D(2026, 11, 1).weekday() == 6
    assert _perioden(2026)["Herfstvakantie"] == (D(2026, 11, 2), D(2026, 11, 8))


def test_christmas_on_a_weekend_starts_the_holiday_on_the_monday_after():
    assert D(2027, 12, 25).weekday() == 5
    assert _perioden(2027)["Kerstvakantie"] == (D(2027, 12, 27), D(2028, 1, 9))
    assert D(2022, 12, 25).weekday() == 6
    assert _perioden(2022)["Kerstvakantie"] == (D(2022, 12, 26), D(2023, 1, 8))


def test_easter_in_march_starts_the_easter_holiday_the_monday_after_easter():
    # Easter 2027 is 28 March.
    perioden = _perioden(2026)
    assert perioden["Paasvakantie"] == (D(2027, 3, 29), D(2027, 4, 11))
    assert perioden["Krokusvakantie"] == (D(2027, 2, 8), D(2027, 2, 14))


def test_late_easter_starts_the_easter_holiday_two_mondays_before_easter():
    # Easter 2030 is 21 April: after the 15th.
    assert _perioden(2029)["Paasvakantie"] == (D(2030, 4, 8), D(2030, 4, 21))


def test_a_school_day_is_a_weekday_outside_every_free_period():
    kalender = Kalender.wettelijk()
    assert kalender.is_schooldag(D(2026, 12, 4))  # a Friday
    assert not kalender.is_schooldag(D(2026, 12, 5))  # Saturday
    assert not kalender.is_schooldag(D(2026, 11, 11))  # Armistice, a Wednesday
    assert not kalender.is_schooldag(D(2027, 1, 1))
    assert not kalender.is_schooldag(D(2027, 7, 15))
    assert kalender.is_schooldag(D(2027, 9, 1))


def test_a_reminder_due_in_a_holiday_moves_to_the_first_school_day_after_it():
    kalender = Kalender.wettelijk()
    assert kalender.eerste_schooldag_vanaf(D(2026, 12, 4)) == D(2026, 12, 4)
    assert _perioden(2026)["Kerstvakantie"] == (D(2026, 12, 21), D(2027, 1, 3))
    assert kalender.eerste_schooldag_vanaf(D(2026, 12, 24)) == D(2027, 1, 4)
    assert kalender.eerste_schooldag_vanaf(D(2026, 11, 7)) == D(2026, 11, 9)
    # Leap day 2028 falls in the carnival holiday (Easter 2028 is 16 April).
    assert _perioden(2027)["Krokusvakantie"] == (D(2028, 2, 28), D(2028, 3, 5))
    assert kalender.eerste_schooldag_vanaf(D(2028, 2, 29)) == D(2028, 3, 6)
    # Over the summer into the next school year (1 September 2029 is a Saturday).
    assert kalender.eerste_schooldag_vanaf(D(2029, 7, 2)) == D(2029, 9, 3)


def test_school_days_later_and_earlier_skip_weekends_and_holidays():
    kalender = Kalender.wettelijk()
    assert kalender.schooldagen_later(D(2026, 12, 4), 1) == D(2026, 12, 7)
    assert kalender.schooldagen_later(D(2026, 12, 18), 1) == D(2027, 1, 4)
    assert kalender.schooldagen_later(D(2026, 11, 10), 1) == D(2026, 11, 12)
    assert kalender.schooldagen_later(D(2026, 12, 4), 0) == D(2026, 12, 4)
    assert kalender.schooldagen_later(D(2027, 6, 30), 1) == D(2027, 9, 1)
    assert kalender.schooldagen_eerder(D(2027, 1, 4), 1) == D(2026, 12, 18)
    assert kalender.schooldagen_eerder(D(2026, 11, 12), 2) == D(2026, 11, 9)


def test_a_school_adds_its_own_free_days():
    studiedag = VrijePeriode("Pedagogische studiedag", D(2026, 12, 9), D(2026, 12, 9))
    gevraagd = []

    def perioden(startjaar):
        gevraagd.append(startjaar)
        extra = [studiedag] if startjaar == 2026 else []
        return [*wettelijke_vrije_dagen(startjaar), *extra]

    kalender = Kalender(perioden)
    assert not kalender.is_schooldag(D(2026, 12, 9))
    assert kalender.schooldagen_later(D(2026, 12, 8), 1) == D(2026, 12, 10)
    assert kalender.is_schooldag(D(2027, 12, 8))
    assert gevraagd == [2026, 2027]  # each school year looked up once


@pytest.mark.parametrize(
    ("dag", "startjaar"),
    [(D(2026, 9, 1), 2026), (D(2026, 8, 31), 2025), (D(2027, 1, 1), 2026), (D(2027, 7, 15), 2026)],
)
def test_july_and_august_belong_to_the_school_year_that_ends(dag, startjaar):
    assert startjaar_van(dag) == startjaar


@pytest.mark.django_db
def test_a_school_keeps_the_statutory_calendar_until_it_sets_its_own(django_assert_num_queries):
    from tests.factories import SchooljaarFactory
    from zorg.accounts.kalender import schoolkalender
    from zorg.accounts.models import VrijePeriode as VrijePeriodeRij

    jaar = SchooljaarFactory(begin=D(2026, 9, 1), einde=D(2027, 8, 31))
    VrijePeriodeRij.objects.create(
        schooljaar=jaar, naam="Pedagogische studiedag", begin=D(2026, 12, 9), einde=D(2026, 12, 9)
    )
    kalender = schoolkalender(jaar.school_id)
    assert kalender.is_schooldag(D(2026, 12, 9))  # not set yet: the statutory calendar
    assert not kalender.is_schooldag(D(2026, 12, 21))

    jaar.kalender_vastgelegd = True
    jaar.save()
    kalender = schoolkalender(jaar.school_id)
    with django_assert_num_queries(2):
        assert not kalender.is_schooldag(D(2026, 12, 9))
        # Its own calendar has no Christmas holiday: its rows are the whole truth.
        assert kalender.is_schooldag(D(2026, 12, 21))
        assert kalender.schooldagen_later(D(2026, 12, 8), 1) == D(2026, 12, 10)
    # A school year it has no row for yet: the statutory calendar.
    assert not kalender.is_schooldag(D(2027, 12, 28))
    # Another school is not touched by this school's calendar.
    assert schoolkalender(SchooljaarFactory(begin=D(2026, 9, 1)).school_id).is_schooldag(
        D(2026, 12, 9)
    )
