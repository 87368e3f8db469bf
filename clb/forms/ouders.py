"""Forms of what the CLB shares with the parents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.formulieren import datumveld

JA_NEE = [("ja", _("ja")), ("nee", _("nee"))]


class OudersDelenForm(forms.Form):
    delen = forms.ChoiceField(
        choices=JA_NEE,
        error_messages={
            "required": _("Kies of je dit met de ouders deelt."),
            "invalid_choice": _("Kies of je dit met de ouders deelt."),
        },
    )


class OuderinzageForm(forms.Form):
    ouders_mogen_clb_zien = forms.ChoiceField(
        label=_("Mogen de ouders zien wat het CLB met hen deelt?"),
        choices=[
            ("ja", _("ja, de leerling gaat akkoord")),
            ("nee", _("nee, de leerling weigert")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wat de leerling besliste."),
            "invalid_choice": _("Kies wat de leerling besliste."),
        },
    )
    beslist_op = datumveld(_("De leerling besliste op"))
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
