"""The form helpers every app shares (zorg.formulieren): a date field in the
browser's own date input, and a service's rule errors put on the form."""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from zorg.formulieren import datumveld, fouten_op_form


class _Form(forms.Form):
    datum = datumveld("Datum")
    tekst = forms.CharField(required=False)


class _Vrij(forms.Form):
    wanneer = datumveld("Wanneer", required=False)


def _gevalideerd(data, form_class=_Form):
    form = form_class(data)
    form.is_valid()
    return form


def test_a_dict_error_lands_beside_its_field_and_the_unknown_on_top():
    form = _gevalideerd({"datum": "2026-11-18"})
    fouten_op_form(form, ValidationError({"tekst": "Te lang.", "versie": "Verouderd."}))
    assert form.errors["tekst"] == ["Te lang."]
    assert form.non_field_errors() == ["Verouderd."]


def test_veld_van_maps_a_model_field_onto_the_form_field_that_shows_it():
    form = _gevalideerd({"datum": "2026-11-18"})
    fout = ValidationError({"omschrijving": "Vul dit in."})
    fouten_op_form(form, fout, {"omschrijving": "tekst"})
    assert form.errors["tekst"] == ["Vul dit in."]
    assert not form.non_field_errors()


def test_an_error_without_fields_lands_on_top():
    form = _gevalideerd({"datum": "2026-11-18"})
    fouten_op_form(form, ValidationError("Dit kan niet meer."))
    assert form.non_field_errors() == ["Dit kan niet meer."]


def test_the_date_field_reads_and_shows_iso_dates():
    form = _gevalideerd({"datum": "2024-02-29"})
    assert form.cleaned_data["datum"] == datetime.date(2024, 2, 29)
    html = str(_Form(initial={"datum": datetime.date(2024, 2, 29)})["datum"])
    assert 'type="date"' in html
    assert 'value="2024-02-29"' in html


def test_the_date_field_speaks_dutch_and_takes_its_own_required_message():
    with translation.override("nl"):
        assert _gevalideerd({})["datum"].errors == ["Vul een datum in."]
        assert _gevalideerd({"datum": "2026-02-30"})["datum"].errors == [
            "Vul een geldige datum in."
        ]
        eigen = datumveld("Tegen", verplicht_bericht="Wanneer moet het klaar zijn?")
        with pytest.raises(ValidationError) as fout:
            eigen.clean("")
        assert fout.value.messages == ["Wanneer moet het klaar zijn?"]


def test_an_optional_date_may_stay_empty():
    assert _gevalideerd({}, _Vrij).cleaned_data["wanneer"] is None
