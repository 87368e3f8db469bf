"""The filter of the flag trend views: a GET form. It checks the shape of
the filter; the choices (classes, subjects, schools) are handed in by the
view as plain lists, already limited to what the user may see, so a
tampered id is simply not a valid choice."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.formulieren import SnelleSelect, datumveld

WEEK = "week"
MAAND = "maand"
GROEPERINGEN = [(WEEK, _("per week")), (MAAND, _("per maand"))]
GESTAPELD = "gestapeld"
NAAST_ELKAAR = "naast_elkaar"
WEERGAVEN = [(GESTAPELD, _("gestapeld")), (NAAST_ELKAAR, _("naast elkaar"))]

# Far enough for any school's archive, near enough that every date converts
# to a time zone without overflowing.
VROEGSTE = datetime.date(2000, 1, 1)
LAATSTE = datetime.date(2099, 12, 31)
LANGSTE_PERIODE = datetime.timedelta(days=3 * 366)


def _keuze(label, leeg, bericht, choices=()):
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", leeg), *choices],
        error_messages={"invalid_choice": bericht},
        # A school group's hundreds of classes: written directly (issue 19).
        widget=SnelleSelect,
    )


def leerjaar_label(jaar: int) -> str:
    if jaar in (1, 8):
        return _("%(jaar)sste leerjaar") % {"jaar": jaar}
    return _("%(jaar)sde leerjaar") % {"jaar": jaar}


class TrendFilterForm(forms.Form):
    school = _keuze(_("School"), _("Kies een school"), _("Kies een school uit de lijst."))
    klas = _keuze(_("Klas"), _("Alle klassen"), _("Kies een klas uit de lijst."))
    leerjaar = _keuze(_("Leerjaar"), _("Alle leerjaren"), _("Kies een leerjaar uit de lijst."))
    vak = _keuze(_("Vak"), _("Alle vakken"), _("Kies een vak uit de lijst."))
    van = datumveld(_("Van"), required=False)
    tot = datumveld(_("Tot en met"), required=False)
    groepering = forms.ChoiceField(
        label=_("Tellen"),
        choices=GROEPERINGEN,
        required=False,
        error_messages={"invalid_choice": _("Kies of je per week of per maand wilt tellen.")},
    )
    weergave = forms.ChoiceField(
        label=_("Staven"),
        choices=WEERGAVEN,
        required=False,
        error_messages={"invalid_choice": _("Kies gestapelde staven of staven naast elkaar.")},
    )

    def __init__(
        self,
        data,
        *,
        standaard_van: datetime.date,
        standaard_tot: datetime.date,
        vakken: list[tuple[int, str]],
        klassen: list[tuple[int, str]] | None = None,
        leerjaren: list[int] | None = None,
        scholen: list[tuple[int, str]] | None = None,
        school_id: int | None = None,
    ):
        """`klassen`/`leerjaren`: None leaves the field out (the class view).
        `scholen`: shown only when there is a choice to make. Empty values in
        `data` fall back to the defaults, so the form always shows the period
        it counts."""
        standaard = {
            "van": standaard_van.isoformat(),
            "tot": standaard_tot.isoformat(),
            "groepering": WEEK,
            "weergave": GESTAPELD,
            "school": school_id,
        }
        gegeven = {k: v for k, v in data.items() if v} if data else {}
        super().__init__(standaard | gegeven)
        self.fields["vak"].choices = [self.fields["vak"].choices[0], *vakken]
        if klassen is None:
            del self.fields["klas"]
        else:
            self.fields["klas"].choices = [self.fields["klas"].choices[0], *klassen]
        if leerjaren is None:
            del self.fields["leerjaar"]
        else:
            self.fields["leerjaar"].choices = [
                self.fields["leerjaar"].choices[0],
                *((j, leerjaar_label(j)) for j in leerjaren),
            ]
        if scholen and len(scholen) > 1:
            self.fields["school"].choices = scholen
        else:
            del self.fields["school"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(*(Column(naam, css_class="col-sm-6 col-lg-3") for naam in self.fields))
        )

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        for naam, datum in (("van", van), ("tot", tot)):
            if datum and not VROEGSTE <= datum <= LAATSTE:
                self.add_error(naam, _("Kies een datum tussen 2000 en 2099."))
                data.pop(naam, None)
        van, tot = data.get("van"), data.get("tot")
        if van and tot:
            if van > tot:
                self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
            elif tot - van > LANGSTE_PERIODE:
                self.add_error("tot", _("Kies een periode van hoogstens drie jaar."))
        data["groepering"] = data.get("groepering") or WEEK
        data["weergave"] = data.get("weergave") or GESTAPELD
        return data
