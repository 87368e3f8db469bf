"""Forms of the parent letter: informing the parents (once, however often
sent) and recording their response (versioned)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import Ouderbrief


class OuderbriefForm(EenmaligForm):
    geinformeerd_op = datumveld(
        _("Ouders geïnformeerd op"),
        initial=timezone.localdate,
        help_text=_("De dag waarop de brief meegegeven, verstuurd of besproken werd."),
    )


class ReactieForm(forms.Form):
    reactie = forms.ChoiceField(
        label=_("Reactie van de ouders"),
        choices=Ouderbrief.Reactie.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies de reactie van de ouders."),
            "invalid_choice": _("Kies de reactie van de ouders."),
        },
    )
    reactie_op = datumveld(_("Reactie ontvangen op"), required=False, initial=timezone.localdate)
    opmerking = forms.CharField(
        label=_("Opmerking van de ouders"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    versie = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("Open de brief opnieuw om de reactie vast te leggen."),
            "invalid": _("Open de brief opnieuw om de reactie vast te leggen."),
            "min_value": _("Open de brief opnieuw om de reactie vast te leggen."),
        },
    )

    def clean(self):
        data = super().clean()
        if "versie" in self._errors:
            self.add_error(None, list(self._errors.pop("versie")))
        return data
