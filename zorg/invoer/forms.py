from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from .lezen import MAX_BYTES
from .models import Soort
from .soorten import SOORTEN


class UploadForm(EenmaligForm):
    soort = forms.ChoiceField(
        label=_("Wat voer je in?"),
        choices=Soort.choices,
        error_messages={"invalid_choice": _("Dit soort gegevens mag je hier niet invoeren.")},
    )
    schooljaar = forms.TypedChoiceField(
        label=_("Schooljaar"),
        coerce=int,
        empty_value=None,
        # Not sent: the current year.
        required=False,
        help_text=_(
            "De klassen in het bestand zijn die van dit schooljaar. Kies het volgende "
            "schooljaar om de nieuwe klassen te vullen voor het begint."
        ),
    )
    bestand = forms.FileField(
        label=_("Bestand"),
        help_text=_("CSV (met ; of ,) of Excel-werkmap (.xlsx), hoogstens 20 MB."),
    )
    volledig = forms.BooleanField(
        label=_("Dit is de volledige leerlingenlijst van de school"),
        required=False,
        help_text=_(
            "Alleen voor leerlingen: wie wel in Zorg ingeschreven is maar niet in het bestand "
            "staat, wordt getoond als 'vertrokken?'. Hun inschrijving eindigt alleen als je dat "
            "bij het bevestigen aanvinkt."
        ),
    )

    def __init__(self, *args, jaren=(), soorten=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the kinds this user imports into the school (invoer.policies;
        # none unless told): a posted other kind is a form error and nothing
        # is saved.
        self.fields["soort"].choices = [(s.value, s.label) for s in Soort if s in soorten]
        if Soort.LEERLINGEN not in soorten:
            del self.fields["volledig"]
        self.jaren = {jaar.pk: jaar for jaar in jaren}
        self.fields["schooljaar"].choices = [(jaar.pk, jaar.naam) for jaar in jaren]
        huidig = next((jaar for jaar in jaren if jaar.is_huidig), None)
        if huidig is not None:
            self.fields["schooljaar"].initial = huidig.pk

    def clean_schooljaar(self):
        gekozen = self.cleaned_data["schooljaar"]
        return None if gekozen is None else self.jaren[gekozen]

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        if bestand.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan %(mb)d MB."), params={"mb": MAX_BYTES // (1024 * 1024)}
            )
        return bestand


class KoppelingForm(forms.Form):
    """Which column of the file holds which field: a select per field,
    preset with the guess."""

    def __init__(self, *args, opdracht, **kwargs):
        super().__init__(*args, **kwargs)
        self.soort = SOORTEN[opdracht.soort]
        keuzes = [("", _("— niet in het bestand —"))] + [
            (str(i), kop or _("(kolom %(n)d zonder kop)") % {"n": i + 1})
            for i, kop in enumerate(opdracht.kolommen)
        ]
        for veld in self.soort.velden:
            self.fields[veld.code] = forms.TypedChoiceField(
                label=veld.label,
                choices=keuzes,
                coerce=int,
                empty_value=None,
                required=veld.verplicht,
                help_text=veld.uitleg,
                initial=opdracht.koppeling.get(veld.code),
                error_messages={"required": _("Kies de kolom met dit gegeven.")},
            )

    def clean(self):
        gegevens = super().clean()
        gebruikt: dict[int, str] = {}
        for code, kolom in list(gegevens.items()):
            if kolom is None:
                continue
            if kolom in gebruikt:
                self.add_error(
                    code,
                    _("Deze kolom is al gekozen voor %(veld)s.")
                    % {"veld": self.soort.veld(gebruikt[kolom]).label},
                )
            gebruikt[kolom] = code
        return gegevens

    def koppeling(self) -> dict[str, int]:
        return {code: kolom for code, kolom in self.cleaned_data.items() if kolom is not None}


class BevestigenForm(forms.Form):
    vertrokken_beeindigen = forms.BooleanField(
        label=_("Beëindig de inschrijving van de leerlingen die niet meer in de lijst staan"),
        required=False,
    )
