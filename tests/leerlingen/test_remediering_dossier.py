"""The care file lists the student's remediation: their own (alone or in a
group) and the whole-class ones of their class; not another class's, and
not a closed one from before the period."""

import datetime

import pytest
from django.template.loader import render_to_string

from leerlingen.pdf import ZORGDOSSIER, zorgdossier_gegevens
from tests import factories as f
from tests.leerlingen.factories_remediering import RemedieringFactory

pytestmark = pytest.mark.django_db


def _html(user, leerling, periode="alles") -> str:
    opmaak = ZORGDOSSIER.opmaken(user, leerling, {"periode": periode})
    document = {"titel": opmaak.titel, "school": opmaak.school, "door": user}
    return render_to_string(opmaak.template, {**opmaak.context, "document": document})


def test_the_care_file_lists_own_group_and_class_remediation(wereld):
    RemedieringFactory(
        klas=wereld.klas_a,
        niveau="leerling",
        leerling=wereld.leerling_a,
        titel="Spelling inoefenen",
    )
    RemedieringFactory(
        klas=wereld.klas_a, niveau="groep", groep=[wereld.leerling_a], titel="Breuken in groep"
    )
    RemedieringFactory(klas=wereld.klas_a, titel="Woordenschat klassikaal")
    andere = f.leerling_in(wereld.klas_a, voornaam="Finn", achternaam="Claes")
    RemedieringFactory(
        klas=wereld.klas_a, niveau="leerling", leerling=andere, titel="Niet van haar"
    )
    RemedieringFactory(klas=wereld.klas_b, titel="Andere klas")
    html = _html(wereld.zorgcoordinator, wereld.leerling_a)
    deel = html.split('data-deel="remediering"', 1)[1].split("</section>", 1)[0]
    assert "Spelling inoefenen" in deel and "Breuken in groep" in deel
    assert "Woordenschat klassikaal" in deel.split("In de klas", 1)[1]
    assert "Niet van haar" not in deel and "Andere klas" not in deel


def test_this_school_years_file_leaves_out_one_closed_before_it(wereld):
    begin = wereld.schooljaar.begin
    RemedieringFactory(
        klas=wereld.klas_a,
        titel="Vorig jaar afgerond",
        begin=begin - datetime.timedelta(days=60),
        status="afgerond",
        resultaat="bereikt",
        resultaat_datum=begin - datetime.timedelta(days=20),
    )
    RemedieringFactory(klas=wereld.klas_a, titel="Dit jaar")
    context = zorgdossier_gegevens(wereld.zorgcoordinator, wereld.leerling_a, "schooljaar")
    titels = [r.titel for r in context["remedieringen"]["in_de_klas"]]
    assert titels == ["Dit jaar"]
    alles = zorgdossier_gegevens(wereld.zorgcoordinator, wereld.leerling_a, "alles")
    assert len(alles["remedieringen"]["in_de_klas"]) == 2
