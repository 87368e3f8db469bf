"""The request to discuss a student. The form checks the shape; the service
applies the rules."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..models import Bespreekvraag

REDEN_MAX = Bespreekvraag._meta.get_field("reden").max_length

WAAR_KEUZES = [
    (
        Bespreekvraag.Waar.CEL,
        _("Op de cel leerlingbegeleiding (de zorgcoördinatoren en het CLB)"),
    ),
    (
        Bespreekvraag.Waar.KLASSENRAAD,
        _("Op de volgende begeleidende klassenraad van de klas"),
    ),
]


class BespreekvraagForm(EenmaligForm):
    waar = forms.ChoiceField(
        label=_("Waar wil je de leerling bespreken?"),
        choices=WAAR_KEUZES,
        initial=Bespreekvraag.Waar.CEL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies waar de leerling besproken moet worden."),
            "invalid_choice": _("Kies waar de leerling besproken moet worden."),
        },
    )
    reden = forms.CharField(
        label=_("Waarom?"),
        max_length=REDEN_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wat zie je, sinds wanneer, wat deed je al? Feiten helpen het team meer dan "
            "een oordeel."
        ),
        error_messages={
            "required": _("Schrijf waarom je deze leerling wil laten bespreken."),
            "max_length": _(
                "De reden is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
