"""The meeting forms: planning, the general minutes, the notes per student
and amendments. They check the shape; klassenraad.services.overleggen
applies the rules (a class of the school, staff of the school, ...)."""

from __future__ import annotations

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import Aanvulling, Agendapunt, Overleg, OverlegSoort


def _max(model, veld: str) -> int:
    return model._meta.get_field(veld).max_length


def _te_lang():
    return _("Deze tekst is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d.")


def _versieveld():
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
            "invalid": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
            "min_value": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
        },
    )


class OverlegForm(forms.Form):
    """Plan or edit a meeting. The choices (schools, classes, staff) are
    evaluated lists handed in by the view; an unknown id is an invalid
    choice, the rules about them are the service's."""

    soort = forms.ChoiceField(
        label=_("Soort overleg"),
        choices=[("", _("— kies —")), *OverlegSoort.choices],
        error_messages={
            "required": _("Kies een soort overleg."),
            "invalid_choice": _("Kies een soort overleg."),
        },
    )
    school = forms.TypedChoiceField(
        label=_("School"),
        coerce=int,
        error_messages={
            "required": _("Kies de school."),
            "invalid_choice": _("Kies een school waar je het zorgteam leidt."),
        },
    )
    klas = forms.TypedChoiceField(
        label=_("Klas"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Enkel voor een portretklassenraad of een begeleidende klassenraad."),
        error_messages={"invalid_choice": _("Kies een klas van dit schooljaar.")},
    )
    datum = datumveld(_("Datum"), verplicht_bericht=_("Vul de datum van het overleg in."))
    tijd = forms.TimeField(
        label=_("Uur"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={
            "required": _("Vul het uur van het overleg in."),
            "invalid": _("Vul een geldig uur in, bv. 15:30."),
        },
    )
    voorzitter = forms.TypedChoiceField(
        label=_("Voorzitter"),
        coerce=int,
        error_messages={
            "required": _("Kies wie het overleg voorzit."),
            "invalid_choice": _(
                "Kies de voorzitter uit het zorgteam, de leerkrachten van de school of het CLB."
            ),
        },
    )
    deelnemers = forms.TypedMultipleChoiceField(
        label=_("Deelnemers"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De voorzitter neemt altijd deel."),
        error_messages={
            "invalid_choice": _(
                "Kies deelnemers uit het zorgteam, de leerkrachten van de school of het CLB: "
                "wie het zorgdossier van de leerlingen mag inzien."
            ),
        },
    )
    externen = forms.CharField(
        label=_("Externe deelnemers"),
        required=False,
        max_length=_max(Overleg, "externen"),
        help_text=_("Namen en rol, bv. ouders of een begeleider van het ondersteuningsnetwerk."),
        error_messages={"max_length": _te_lang()},
    )

    def __init__(self, *args, scholen, klassen, personeel, versie: int | None = None, **kwargs):
        """`scholen`: Schools; `klassen`: current-year classes of those
        schools (with schooljaar); `personeel`: (user, label) pairs."""
        super().__init__(*args, **kwargs)
        self.scholen = {s.pk: s for s in scholen}
        self.klassen = {k.pk: k for k in klassen}
        self.personen = {u.pk: u for u, _label in personeel}
        self.fields["school"].choices = [(s.pk, s.naam) for s in scholen]
        if len(scholen) == 1:
            self.fields["school"].widget = forms.HiddenInput()
            self.fields["school"].initial = scholen[0].pk
        if len(scholen) > 1:
            per_school: dict[int, list] = {}
            for k in klassen:
                per_school.setdefault(k.schooljaar.school_id, []).append((k.pk, k.naam))
            klaskeuzes = [(s.naam, per_school[s.pk]) for s in scholen if per_school.get(s.pk)]
        else:
            klaskeuzes = [(k.pk, k.naam) for k in klassen]
        self.fields["klas"].choices = [("", _("— geen klas —")), *klaskeuzes]
        keuzes = [(u.pk, label) for u, label in personeel]
        self.fields["voorzitter"].choices = [("", _("— kies —")), *keuzes]
        self.fields["deelnemers"].choices = keuzes
        if versie is not None:
            self.fields["versie"] = _versieveld()
            self.initial.setdefault("versie", versie)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        velden = [
            Row(Column("soort", css_class="col-sm-6"), Column("klas", css_class="col-sm-6")),
            "school",
            Row(Column("datum", css_class="col-sm-6"), Column("tijd", css_class="col-sm-6")),
            "voorzitter",
            "deelnemers",
            "externen",
        ]
        if versie is not None:
            velden.append("versie")
        self.helper.layout = Layout(*velden)

    def gegevens(self) -> dict:
        """The service's arguments, from valid data."""
        d = self.cleaned_data
        moment = timezone.make_aware(datetime.datetime.combine(d["datum"], d["tijd"]))
        return {
            "school": self.scholen[d["school"]],
            "soort": d["soort"],
            "klas": self.klassen.get(d["klas"]) if d["klas"] else None,
            "moment": moment,
            "voorzitter": self.personen[d["voorzitter"]],
            "deelnemers": [self.personen[pk] for pk in d["deelnemers"]],
            "externen": d["externen"],
        }


def initial_van(overleg: Overleg, deelnemer_ids) -> dict:
    moment = timezone.localtime(overleg.moment)
    return {
        "soort": overleg.soort,
        "school": overleg.school_id,
        "klas": overleg.klas_id,
        "datum": moment.date(),
        "tijd": moment.time().replace(second=0, microsecond=0),
        "voorzitter": overleg.voorzitter_id,
        "deelnemers": list(deelnemer_ids),
        "externen": overleg.externen,
        "versie": overleg.versie,
    }


class NieuwOverlegForm(EenmaligForm, OverlegForm):
    """Planning a meeting: saved once, however often sent."""


class NotulenForm(forms.Form):
    notulen = forms.CharField(
        label=_("Algemene notulen"),
        required=False,
        max_length=_max(Overleg, "notulen"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Wat over het overleg als geheel gezegd en afgesproken werd. Wat over één leerling "
            "gaat, noteer je bij die leerling."
        ),
        error_messages={"max_length": _te_lang()},
    )
    versie = _versieveld()


class NotitiesForm(forms.Form):
    notities = forms.CharField(
        label=_("Notities"),
        required=False,
        max_length=_max(Agendapunt, "notities"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _te_lang()},
    )
    besproken = forms.BooleanField(label=_("Besproken"), required=False)
    versie = _versieveld()

    def __init__(self, *args, punt: Agendapunt, **kwargs):
        # Ids unique per item: several forms may share one page.
        kwargs.setdefault("auto_id", f"punt{punt.pk}_%s")
        super().__init__(*args, **kwargs)


class AanvullingForm(EenmaligForm):
    tekst = forms.CharField(
        label=_("Aanvulling"),
        max_length=_max(Aanvulling, "tekst"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf de aanvulling."), "max_length": _te_lang()},
    )
    agendapunt = forms.TypedChoiceField(
        label=_("Over"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Kies een leerling van de agenda.")},
    )

    def __init__(self, *args, punten, **kwargs):
        super().__init__(*args, **kwargs)
        self.punten = {p.pk: p for p in punten}
        self.fields["agendapunt"].choices = [
            ("", _("het overleg als geheel")),
            *((p.pk, p.leerling.volledige_naam) for p in punten),
        ]

    def gekozen_punt(self) -> Agendapunt | None:
        pk = self.cleaned_data.get("agendapunt")
        return self.punten.get(pk) if pk else None


class PortrettenPlannenForm(EenmaligForm):
    """A date and an hour per class without a portrait class council; a
    class left empty is planned later."""

    eenmalig_formulier = "PortrettenPlannenForm"

    def __init__(self, *args, klassen, **kwargs):
        super().__init__(*args, **kwargs)
        self.klassen = klassen
        for klas in klassen:
            self.fields[f"datum_{klas.pk}"] = datumveld(
                _("Datum voor %(klas)s") % {"klas": klas.naam}, required=False
            )
            self.fields[f"tijd_{klas.pk}"] = forms.TimeField(
                label=_("Uur voor %(klas)s") % {"klas": klas.naam},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                input_formats=["%H:%M", "%H:%M:%S"],
                error_messages={"invalid": _("Vul een geldig uur in, bv. 15:30.")},
            )
        for naam, veld in self.fields.items():
            if naam != "sleutel":
                veld.widget.attrs["class"] = "form-control"

    def rijen(self):
        """(class, date field, hour field) per class, for the template."""
        return [(k, self[f"datum_{k.pk}"], self[f"tijd_{k.pk}"]) for k in self.klassen]

    def clean(self):
        data = super().clean()
        self.momenten = {}
        for klas in self.klassen:
            datum, tijd = data.get(f"datum_{klas.pk}"), data.get(f"tijd_{klas.pk}")
            if f"datum_{klas.pk}" in self.errors or f"tijd_{klas.pk}" in self.errors:
                continue
            if datum and not tijd:
                self.add_error(f"tijd_{klas.pk}", _("Vul ook het uur in."))
            elif tijd and not datum:
                self.add_error(f"datum_{klas.pk}", _("Vul ook de datum in."))
            elif datum and tijd:
                self.momenten[klas] = timezone.make_aware(datetime.datetime.combine(datum, tijd))
        for naam in self.errors:
            if naam in self.fields:
                self.fields[naam].widget.attrs["aria-invalid"] = "true"
        if not self.errors and not self.momenten:
            raise forms.ValidationError(_("Vul voor minstens één klas een datum en een uur in."))
        return data
