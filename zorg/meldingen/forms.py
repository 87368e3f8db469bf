from django import forms
from django.utils.translation import gettext_lazy as _

from .soorten import Modus, Soort


class VoorkeurenForm(forms.Form):
    """One choice per kind of notification: at once, in the daily summary,
    or only in Zorg. A fixed kind is shown, not offered."""

    def __init__(self, *args, soorten: list[Soort], huidig: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.soorten = soorten
        for soort in soorten:
            veld = forms.ChoiceField(
                label=soort.label,
                choices=Modus.choices,
                widget=forms.RadioSelect,
                initial=huidig.get(soort.code, soort.standaard),
            )
            if soort.vast:
                veld.disabled = True
                veld.initial = soort.standaard
                veld.help_text = _("Dit kan je niet uitzetten: een rode vlag mag niemand missen.")
            self.fields[soort.code] = veld

    def keuzes(self) -> dict[str, str]:
        return {
            soort.code: self.cleaned_data[soort.code] for soort in self.soorten if not soort.vast
        }
