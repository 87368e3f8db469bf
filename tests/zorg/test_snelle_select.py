"""SnelleSelect writes the same select as Django's own Select, faster."""

from html.parser import HTMLParser

import pytest
from django import forms

from zorg.formulieren import SnelleSelect


class _Boom(HTMLParser):
    """The elements and their attributes in order, and the text."""

    def __init__(self):
        super().__init__()
        self.stukken = []

    def handle_starttag(self, tag, attrs):
        self.stukken.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.stukken.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.stukken.append(("text", data.strip()))


def _boom(html: str) -> list:
    parser = _Boom()
    parser.feed(str(html))
    return parser.stukken


KEUZES = [
    ("", "Alle klassen"),
    (1, "1A"),
    (2, 'Klas "B" & <C>'),
    ("Vorig schooljaar", [(3, "1A (2025-2026)"), (4, "2B (2025-2026)")]),
]


@pytest.mark.parametrize("waarde", [None, "", 2, "4", [1, 3]])
@pytest.mark.parametrize("meervoudig", [False, True])
def test_the_markup_equals_djangos_select(waarde, meervoudig):
    gewoon = (forms.SelectMultiple if meervoudig else forms.Select)(choices=KEUZES)
    snel_klasse = type("Snel", (SnelleSelect,), {"allow_multiple_selected": meervoudig})
    snel = snel_klasse(choices=KEUZES)
    if meervoudig:
        gewoon.attrs["multiple"] = True
        snel.attrs["multiple"] = True
    attrs = {"id": "id_klas", "class": "form-select", "required": True, "aria-invalid": "true"}
    verwacht = _boom(gewoon.render("klas", waarde, attrs=attrs))
    assert _boom(snel.render("klas", waarde, attrs=attrs)) == verwacht
    assert ("start", "optgroup", [("label", "Vorig schooljaar")]) in verwacht


def test_labels_and_values_are_escaped():
    html = SnelleSelect(choices=[('"><script>', "<b>x</b>")]).render("k", None)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_form_field_renders_through_it():
    class Filter(forms.Form):
        klas = forms.TypedChoiceField(choices=KEUZES, coerce=int, widget=SnelleSelect)

    html = str(Filter({"klas": "3"})["klas"])
    assert 'name="klas"' in html and 'id="id_klas"' in html
    assert '<option value="3" selected>1A (2025-2026)</option>' in html
