from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Intake
from ..services.intake import GEEN_VERSIE, INTAKE_VELDEN

TEKSTVELDEN = ("vorige_school", "onderwijsbehoeften", "attesten", "opmerkingen")


class IntakeForm(forms.ModelForm):
    """The intake's fields plus the version the editor started from. The
    service writes; this form only checks the shape."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=GEEN_VERSIE)

    class Meta:
        model = Intake
        fields = INTAKE_VELDEN
        widgets = {
            "datum": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "onderwijsbehoeften": forms.Textarea(attrs={"rows": 5}),
            "attesten": forms.Textarea(attrs={"rows": 3}),
            "opmerkingen": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "datum": {
                "required": _("Vul de datum van de intake in."),
                "invalid": _("Vul een geldige datum in."),
            },
        }

    ONVOLLEDIG = _("Het formulier is onvolledig verstuurd. Laad de pagina opnieuw.")

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(
                _("De datum van de intake ligt in de toekomst. Noteer de intake na het gesprek.")
            )
        return datum

    def clean(self):
        data = super().clean()
        if "versie" in self.errors:
            # A hidden field's error would not show beside it: say it on top.
            self.add_error(None, self.ONVOLLEDIG)
        if any(veld in self.errors for veld in TEKSTVELDEN):
            return data  # the field's own message says enough
        if not any(data.get(veld) for veld in TEKSTVELDEN):
            raise forms.ValidationError(
                _(
                    "Een lege intake zegt niets. Vul minstens de vorige school, de "
                    "onderwijsbehoeften, de attesten of een opmerking in (bv. "
                    "“geen bijzonderheden gemeld”)."
                )
            )
        return data
