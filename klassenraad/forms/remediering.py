"""The guiding class council's selection: per student of the class and per
subject taught in it, remediëring / differentiatie / geen; and per subject a
choice for the whole class, shown first (the class level comes first)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Remediering
from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..services.remediering import AANPAKKEN, Keuze

GEEN = ""
KEUZES = [(GEEN, _("geen")), *((a, Remediering.Aanpak(a).label) for a in AANPAKKEN)]


class SelectieForm(EenmaligForm):
    begin = datumveld(_("Start"))
    aantal_weken = forms.IntegerField(
        label=_("Aantal weken"),
        min_value=1,
        max_value=52,
        initial=6,
        error_messages={
            "required": _("Vul het aantal weken in."),
            "min_value": _("Vul een aantal van minstens 1 in."),
            "max_value": _("Een remediëring duurt hoogstens een schooljaar."),
            "invalid": _("Vul een geheel getal in."),
        },
    )

    def __init__(self, *args, leerlingen, vakken, **kwargs):
        super().__init__(*args, **kwargs)
        self._vakken = vakken
        self._leerlingen = leerlingen
        fout = {"invalid_choice": _("Kies remediëring, differentiatie of geen.")}
        for vak in vakken:
            self.fields[f"klas_{vak.pk}"] = forms.ChoiceField(
                label=vak.naam,
                choices=KEUZES,
                required=False,
                error_messages=fout,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        for leerling in leerlingen:
            for vak in vakken:
                self.fields[f"l_{leerling.pk}_{vak.pk}"] = forms.ChoiceField(
                    label=f"{leerling.volledige_naam} – {vak.naam}",
                    choices=KEUZES,
                    required=False,
                    error_messages=fout,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )

    def klasrij(self):
        return [(vak, self[f"klas_{vak.pk}"]) for vak in self._vakken]

    def rijen(self):
        """Per student the bound fields, one per subject (for the table)."""
        return [
            (leerling, [self[f"l_{leerling.pk}_{vak.pk}"] for vak in self._vakken])
            for leerling in self._leerlingen
        ]

    def keuzes(self) -> list[Keuze]:
        d = self.cleaned_data
        result = [
            Keuze(vak=vak, aanpak=d[f"klas_{vak.pk}"])
            for vak in self._vakken
            if d.get(f"klas_{vak.pk}")
        ]
        result += [
            Keuze(vak=vak, aanpak=d[f"l_{leerling.pk}_{vak.pk}"], leerling=leerling)
            for leerling in self._leerlingen
            for vak in self._vakken
            if d.get(f"l_{leerling.pk}_{vak.pk}")
        ]
        return result
