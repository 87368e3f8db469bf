"""Forms of the access request: recording it (once, however often sent) and
marking it handed over (versioned)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from .models import Inzageverzoek


class InzageverzoekForm(EenmaligForm):
    aanvrager = forms.ChoiceField(
        label=_("Wie vraagt inzage?"),
        choices=Inzageverzoek.Aanvrager.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie het verzoek deed."),
            "invalid_choice": _("Kies wie het verzoek deed."),
        },
    )
    aanvrager_naam = forms.CharField(
        label=_("Naam van de aanvrager"),
        max_length=200,
        error_messages={
            "required": _("Vul de naam van de aanvrager in."),
            "max_length": _("Een naam telt hoogstens %(limit_value)d tekens."),
        },
    )
    ontvangen_op = datumveld(
        _("Verzoek ontvangen op"),
        initial=timezone.localdate,
        help_text=_("De wettelijke termijn van één maand begint op deze dag."),
    )


class OverhandigdForm(forms.Form):
    overhandigd_op = datumveld(_("Overhandigd op"), initial=timezone.localdate)
    versie = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("Open het verzoek opnieuw."),
            "invalid": _("Open het verzoek opnieuw."),
            "min_value": _("Open het verzoek opnieuw."),
        },
    )

    def clean(self):
        data = super().clean()
        if "versie" in self._errors:
            self.add_error(None, list(self._errors.pop("versie")))
        return data
