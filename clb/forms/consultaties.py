"""The written consultation's form. It checks the shape of the input; the
rules (phase 1, an advice, a CLB serving the school) are the service's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..services.consultaties import ADVIES_MAX, VRAAG_MAX


class ConsultatieForm(EenmaligForm):
    vraag = forms.CharField(
        label=_("Vraag van de school"),
        required=False,
        max_length=VRAAG_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarover vroeg de school het CLB om advies?"),
    )
    advies = forms.CharField(
        label=_("Advies"),
        max_length=ADVIES_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Wat raadt het CLB de school aan? De leerkrachten en het zorgteam van de leerling "
            "lezen dit advies op de tijdlijn."
        ),
        error_messages={"required": _("Schrijf het advies: wat raadt het CLB de school aan?")},
    )
