"""The care cell's reason "problematic absences": a student who reached
the threshold since the last cell, or earlier without being discussed at a
cell since; its weight in the ranking; one query whatever the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from klassenraad.agenda import GEWICHTEN, voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from leerlingen.models import Afwezigheidsdrempel
from tests import factories as f
from tests.klassenraad import factories as k
from zorg.accounts.models import schooljaar_begin

pytestmark = pytest.mark.usefixtures("schooljaar_onderweg")

CEL = OverlegSoort.CEL
R = Agendareden


def _drempel(leerling, *, dagen_geleden: float, aantal=6):
    nu = timezone.now()
    return Afwezigheidsdrempel.objects.create(
        leerling=leerling,
        schooljaar=schooljaar_begin(timezone.localdate()),
        bereikt_op=nu - datetime.timedelta(days=dagen_geleden),
        aantal=aantal,
        drempel=5,
    )


def _redenen(lijst) -> dict[int, list[str]]:
    return {v.leerling.pk: [soort for soort, _tekst in v.redenen] for v in lijst}


def test_a_student_who_reached_the_threshold_since_the_last_cell_is_proposed(wereld):
    w = wereld
    k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=1)
    _drempel(w.leerling_a, dagen_geleden=2, aantal=6)
    (voorstel,) = voorstellen(cel)
    assert voorstel.leerling == w.leerling_a
    assert voorstel.redenen[0][0] == R.AFWEZIGHEID
    assert "6 problematisch afwezige halve dagen" in voorstel.redenen[0][1]
    assert voorstel.gewicht == GEWICHTEN[R.AFWEZIGHEID]


def test_reached_before_the_last_cell_and_discussed_there_it_is_not_proposed_again(wereld):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=1)
    _drempel(w.leerling_a, dagen_geleden=10)
    k.agendapunt(vorige, w.leerling_a, besproken=True)
    assert voorstellen(cel) == []


def test_reached_before_the_last_cell_but_not_discussed_it_is_proposed_still(wereld):
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=1)
    _drempel(w.leerling_a, dagen_geleden=20)
    # On the last cell's agenda, but the cell did not get to her.
    k.agendapunt(vorige, w.leerling_a, besproken=False)
    assert _redenen(voorstellen(cel)) == {w.leerling_a.pk: [R.AFWEZIGHEID]}


def test_a_threshold_of_last_school_year_is_not_proposed(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=1)
    drempel = _drempel(w.leerling_a, dagen_geleden=2)
    vorig = schooljaar_begin(timezone.localdate())
    Afwezigheidsdrempel.objects.filter(pk=drempel.pk).update(
        schooljaar=vorig.replace(year=vorig.year - 1)
    )
    assert voorstellen(cel) == []


def test_absences_rank_above_a_colleague_s_request_and_below_a_red_flag(wereld):
    w = wereld
    cel = k.overleg(w, CEL, dagen=1)
    afwezig = f.leerling_in(w.klas_a)
    _drempel(afwezig, dagen_geleden=1)
    k.bespreekvraag(w.leerling_b, w.leerkracht_b)
    from leerlingen.models import VlagKleur
    from tests.leerlingen.factories_vlaggen import vlag_met

    vlag_met(
        w.leerling_a,
        klas=w.klas_a,
        kleur=VlagKleur.ROOD,
        moment=timezone.now() - datetime.timedelta(hours=5),
        omschrijving="Slaat een medeleerling.",
    )
    volgorde = [v.leerling.pk for v in voorstellen(cel)]
    assert volgorde == [w.leerling_a.pk, afwezig.pk, w.leerling_b.pk]


def _tel(functie):
    with CaptureQueriesContext(connection) as ctx:
        resultaat = functie()
    return len(ctx.captured_queries), resultaat


def test_the_absence_reason_costs_one_query_whatever_the_number_of_students(wereld):
    # Guards against reading each student's threshold or agenda items apart.
    w = wereld
    vorige = k.overleg(w, CEL, dagen=-7)
    cel = k.overleg(w, CEL, dagen=1)
    for _ in range(3):
        leerling = f.leerling_in(w.klas_a)
        _drempel(leerling, dagen_geleden=20)
        k.agendapunt(vorige, leerling)
    weinig, lijst = _tel(lambda: voorstellen(cel))
    assert len(lijst) == 3
    for _ in range(30):
        leerling = f.leerling_in(w.klas_b)
        _drempel(leerling, dagen_geleden=2)
    veel, lijst = _tel(lambda: voorstellen(cel))
    assert len(lijst) == 33
    assert veel == weinig, f"{weinig} queries for 3 students, {veel} for 33"
