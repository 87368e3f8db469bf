from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from .models import Opschorting


class OpschortingForm(EenmaligForm):
    reden = forms.CharField(
        label=_("Reden"),
        max_length=Opschorting._meta.get_field("reden").max_length,
        error_messages={
            "required": _("Geef de reden van de opschorting: welke beslissing wordt betwist?"),
            "max_length": _("Houd de reden kort (hoogstens %(limit_value)d tekens)."),
        },
        help_text=_("Welke beslissing wordt betwist, en waar (beroep, klacht, rechtbank)."),
    )
    tot = datumveld(
        _("Opgeschort tot en met"),
        verplicht_bericht=_("Vul de einddatum van de opschorting in."),
        help_text=_("De dag na deze datum kan het dossier vernietigd worden."),
    )


class BeeindigenForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput)
