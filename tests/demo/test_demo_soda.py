"""The demo's SODA reports: periods of the current school year, scores of
the periods begun by today, two students low in every period."""

import pytest

from klassenraad.agenda import voorstellen
from klassenraad.models import Agendareden, OverlegSoort
from leerlingen.models import SodaPeriode, SodaScore, TijdlijnItem
from tests import factories as f
from tests.klassenraad.factories import overleg
from tests.leerlingen.factories_soda import in_het_voorjaar
from zorg.demo.sodademo import soda_vullen

__all__ = ["in_het_voorjaar"]

pytestmark = pytest.mark.usefixtures("in_het_voorjaar")


def test_the_demo_scores_the_begun_periods_and_the_cell_proposes_the_low_students(wereld):
    tweede = f.leerling_in(wereld.klas_a, voornaam="Jonas", achternaam="Maes")
    derde = f.leerling_in(wereld.klas_a, voornaam="Lars", achternaam="Wouters")
    f.LesopdrachtFactory(klas=wereld.klas_a, vak=f.VakFactory(school=wereld.school, naam="Frans"))
    aantal = soda_vullen(seed=7, leerkracht_email="leerkracht@test.example")
    perioden = list(SodaPeriode.objects.filter(schooljaar=wereld.schooljaar).order_by("volgorde"))
    assert [p.naam for p in perioden] == ["Kerstrapport", "Paasrapport", "Eindrapport"]
    # Late March: two periods begun, three students, two subjects.
    assert aantal == SodaScore.objects.count() == 2 * 3 * 2
    assert TijdlijnItem.objects.filter(soort=TijdlijnItem.Soort.SODA).count() == 2 * 3
    # By name the first two are the students the demo gives low scores.
    laag = sorted([wereld.leerling_a, tweede, derde], key=lambda ll: (ll.achternaam, ll.voornaam))
    cel = overleg(wereld, OverlegSoort.CEL, dagen=1)
    met_soda = {
        v.leerling.pk
        for v in voorstellen(cel)
        if any(soort == Agendareden.SODA for soort, _tekst in v.redenen)
    }
    # (An ordinary student may be low by chance too: a demo is not a lab.)
    assert {laag[0].pk, laag[1].pk} <= met_soda


def test_running_the_demo_soda_twice_writes_nothing_more(wereld):
    soda_vullen(seed=7, leerkracht_email="leerkracht@test.example")
    assert soda_vullen(seed=7, leerkracht_email="leerkracht@test.example") == 0
    assert SodaPeriode.objects.count() == 3
