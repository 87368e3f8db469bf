"""The invitation form. It checks the shape; the service applies the rules
(portal on, the student's age, the guardian's address)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

LEERLING = "leerling"


class UitnodigingForm(EenmaligForm):
    wie = forms.ChoiceField(
        label=_("Wie uitnodigen?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie je uitnodigt."),
            "invalid_choice": _("Kies wie je uitnodigt."),
        },
    )
    email = forms.EmailField(
        label=_("E-mailadres van de leerling"),
        required=False,
        max_length=254,
        help_text=_("Enkel nodig als je de leerling zelf uitnodigt."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in.")},
    )

    def __init__(self, *args, ouders=(), leerling_kan: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        keuzes = [
            (str(ouder.pk), f"{ouder.naam} ({ouder.get_relatie_display()})") for ouder in ouders
        ]
        if leerling_kan:
            keuzes.append((LEERLING, _("De leerling zelf")))
        else:
            del self.fields["email"]
        self.fields["wie"].choices = keuzes
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True

    def clean(self):
        data = super().clean()
        if data.get("wie") == LEERLING and not data.get("email"):
            self.add_error("email", _("Vul het e-mailadres van de leerling in."))
        return data


class OpnieuwForm(EenmaligForm):
    """Send an invitation again: one button per access (the hidden `wie`)."""

    wie = forms.CharField(widget=forms.HiddenInput)
    eenmalig_formulier = "portaal.uitnodiging"
