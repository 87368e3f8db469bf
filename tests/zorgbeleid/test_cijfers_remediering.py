"""The annual report's remediation figures: forms per approach, per grade
and per level, how many achieved their aim; small numbers hidden in what
leaves the school."""

import datetime

import pytest
from django.utils import translation

from leerlingen.models import Remediering
from tests import factories as f
from tests.leerlingen.factories_remediering import RemedieringFactory
from zorgbeleid.cijfers import jaarvergelijking, schoolcijfers
from zorgbeleid.kleine_aantallen import KLEIN, beschermen
from zorgbeleid.rapport import fasenamen, rapport_opbouwen

pytestmark = pytest.mark.django_db

VANDAAG = datetime.date.today()


def _afgerond(klas, resultaat, **velden):
    return RemedieringFactory(
        klas=klas,
        status=Remediering.Status.AFGEROND,
        resultaat=resultaat,
        resultaat_datum=VANDAAG,
        **velden,
    )


@pytest.fixture
def remedieringen(wereld):
    klas_5 = f.KlasFactory(schooljaar=wereld.schooljaar, naam="5B", leerjaar=5)
    for _ in range(6):
        _afgerond(wereld.klas_a, Remediering.Resultaat.BEREIKT)
    _afgerond(wereld.klas_a, Remediering.Resultaat.NIET)
    for _ in range(5):
        RemedieringFactory(klas=klas_5, aanpak=Remediering.Aanpak.DIFFERENTIATIE)
    RemedieringFactory(
        klas=wereld.klas_a, niveau="leerling", leerling=wereld.leerling_a, aanpak="extra_oefening"
    )
    # Another school's and last year's are not counted.
    RemedieringFactory(klas=wereld.klas_x)
    RemedieringFactory(klas=f.KlasFactory(schooljaar=wereld.vorig_schooljaar, naam="2Z"))
    return wereld


def test_the_figures_count_forms_per_approach_grade_and_level(remedieringen):
    w = remedieringen
    r = schoolcijfers(w.school, w.schooljaar).remedieringen
    assert r.totaal == 13
    assert r.per_aanpak["remediering"] == {"bereikt": 6, "anders": 1}
    assert r.per_aanpak["differentiatie"] == {"bereikt": 0, "anders": 5}
    assert r.per_leerjaar == {"3": {"bereikt": 6, "anders": 2}, "5": {"bereikt": 0, "anders": 5}}
    assert r.per_niveau == {"klas": 12, "leerling": 1}
    assert r.resultaat == {"bereikt": 6, "niet": 1}


def test_what_leaves_the_school_hides_a_small_count_and_its_neighbour(remedieringen):
    w = remedieringen
    beschermd = beschermen(schoolcijfers(w.school, w.schooljaar))["remedieringen"]
    # One not achieved beside six achieved: both hidden, or the one gives itself away.
    assert beschermd["per_aanpak"]["remediering"]["anders"] == KLEIN
    assert beschermd["per_aanpak"]["remediering"]["bereikt"] == KLEIN
    assert beschermd["per_niveau"]["leerling"] == KLEIN


def test_the_report_has_a_remediation_section_with_aims_achieved(remedieringen):
    w = remedieringen
    with translation.override("nl"):
        rapport = rapport_opbouwen(
            jaarvergelijking(w.school, w.schooljaar),
            beschermd=False,
            fasen=fasenamen(w.school.schooltype),
        )
    sectie = rapport.sectie("remediering")
    per_aanpak = next(t for t in sectie.tabellen if t.sleutel == "remediering_per_aanpak")
    rij = next(r for r in per_aanpak.rijen if r.label == "remediëring")
    assert rij.cellen == [7, 6]
    per_leerjaar = next(t for t in sectie.tabellen if t.sleutel == "remediering_per_leerjaar")
    assert [r.label for r in per_leerjaar.rijen] == ["leerjaar 3", "leerjaar 5"]
