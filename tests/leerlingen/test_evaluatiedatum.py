"""The evaluation date a new measure's form proposes: the school's
evaluation period after the start, on a weekday, never in the summer
holiday. Tested on the awkward days under a frozen clock. Other holidays
(Christmas, Easter) are not known until the school calendar is: the
proposal may fall in them, and the user moves it."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from leerlingen.services.maatregelen import voorgestelde_evaluatiedatum
from zorg.accounts.models import School

BRUSSEL = zoneinfo.ZoneInfo("Europe/Brussels")
D = datetime.date

GEVALLEN = {
    # begin: proposal (8 weeks)
    "over Nieuwjaar": (D(2026, 12, 4), D(2027, 1, 29)),
    "op een zaterdag: de maandag erna": (D(2026, 12, 5), D(2027, 2, 1)),
    "op schrikkeldag": (D(2028, 1, 4), D(2028, 2, 29)),
    "in juli, lang genoeg gelopen: laatste weekdag van juni": (D(2027, 6, 1), D(2027, 6, 30)),
    "30 juni op zaterdag: vrijdag 29 juni": (D(2029, 5, 7), D(2029, 6, 29)),
    "zaterdag 29 juni schuift naar juli: vrijdag 28 juni": (D(2030, 5, 4), D(2030, 6, 28)),
    "in augustus, kort voor de zomer gestart: 1 september": (D(2027, 6, 14), D(2027, 9, 1)),
    "1 september op zaterdag: maandag 3 september": (D(2029, 6, 25), D(2029, 9, 3)),
    "gestart in de zomer: eerste weekdag van september": (D(2027, 7, 5), D(2027, 9, 1)),
}


@pytest.mark.parametrize(("begin", "voorstel"), GEVALLEN.values(), ids=GEVALLEN)
def test_the_proposal_is_the_period_after_the_start_on_a_weekday_outside_the_summer(
    begin, voorstel
):
    assert voorgestelde_evaluatiedatum(begin=begin, weken=8) == voorstel
    assert voorstel.weekday() < 5
    assert voorstel.month not in (7, 8)


def test_the_proposal_follows_the_schools_period():
    assert voorgestelde_evaluatiedatum(begin=D(2026, 10, 5), weken=6) == D(2026, 11, 16)


def _nu(jaar, maand, dag):
    return datetime.datetime(jaar, maand, dag, 10, tzinfo=BRUSSEL)


@pytest.mark.parametrize(
    ("nu", "weken", "verwacht"),
    [
        # A school that set nothing: 8 weeks.
        (_nu(2026, 12, 4), None, D(2027, 1, 29)),
        (_nu(2026, 12, 4), 6, D(2027, 1, 15)),
        # 8 weeks after 1 June falls in July: the last school day of June.
        (_nu(2027, 6, 1), 8, D(2027, 6, 30)),
        # 8 weeks after 14 June falls in August: the first of September.
        (_nu(2027, 6, 14), 8, D(2027, 9, 1)),
    ],
)
def test_the_new_measure_form_proposes_the_evaluation_date(
    wereld, client_voor, nu, weken, verwacht
):
    if weken is not None:
        School.objects.filter(pk=wereld.school.pk).update(evaluatieperiode_weken=weken)
    with time_machine.travel(nu, tick=False):
        response = client_voor(wereld.zorgcoordinator).get(
            reverse("leerlingen:maatregel_nieuw", args=[wereld.leerling_a.pk])
        )
    form = response.context["form"]
    assert form["begin"].value() == nu.date()
    assert form["evaluatiedatum"].value() == verwacht
