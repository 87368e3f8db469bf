"""The SODA forms: the care team's periods and scale, the teacher's grid and
one cell of it. They check the shape; the services apply the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import SodaCriterium, SodaWaarde
from ..services.soda import MAX_WAARDEN, NAAM_MAX, Schaalwaarde

KIES_WAARDE = _("Kies een waarde van de schaal.")


class PeriodeForm(forms.Form):
    naam = forms.CharField(
        label=_("Naam"),
        max_length=NAAM_MAX,
        help_text=_("Bv. Kerstrapport, Paasrapport, Eindrapport."),
        error_messages={
            "required": _("Geef de periode een naam, bv. Kerstrapport."),
            "max_length": _("De naam is te lang: hoogstens %(limit_value)d tekens."),
        },
    )
    begin = datumveld(_("Begin"))
    einde = datumveld(_("Einde"))


class PeriodeToevoegenForm(EenmaligForm, PeriodeForm):
    pass


class PeriodeWijzigenForm(PeriodeForm):
    versie = forms.IntegerField(widget=forms.HiddenInput)


class SchaalForm(forms.Form):
    """The scale as rows, lowest value first; empty rows are left out, so a
    school adds a value in a free row and removes one by emptying it."""

    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(MAX_WAARDEN):
            self.fields[f"code_{i}"] = forms.CharField(
                label=_("Code"), max_length=5, required=False
            )
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("Label"), max_length=50, required=False
            )
            self.fields[f"omschrijving_{i}"] = forms.CharField(
                label=_("Omschrijving"), max_length=200, required=False
            )
            self.fields[f"laag_{i}"] = forms.BooleanField(label=_("Laag"), required=False)

    @staticmethod
    def initial_van(waarden, versie: int | None) -> dict:
        initial = {"versie": versie}
        for i, waarde in enumerate(waarden):
            initial.update(
                {
                    f"code_{i}": waarde.code,
                    f"label_{i}": waarde.label,
                    f"omschrijving_{i}": waarde.omschrijving,
                    f"laag_{i}": waarde.is_laag,
                }
            )
        return initial

    def rijen(self) -> list[dict]:
        """The bound fields per row, for the template's table."""
        return [
            {
                "nummer": i + 1,
                "code": self[f"code_{i}"],
                "label": self[f"label_{i}"],
                "omschrijving": self[f"omschrijving_{i}"],
                "laag": self[f"laag_{i}"],
            }
            for i in range(MAX_WAARDEN)
        ]

    def waarden(self) -> list[Schaalwaarde]:
        d = self.cleaned_data
        return [
            Schaalwaarde(
                code=d[f"code_{i}"],
                label=d[f"label_{i}"],
                omschrijving=d[f"omschrijving_{i}"],
                is_laag=d[f"laag_{i}"],
            )
            for i in range(MAX_WAARDEN)
        ]


def celnaam(leerling_id: int, criterium: str) -> str:
    return f"c-{leerling_id}-{criterium}"


def origineelnaam(leerling_id: int, criterium: str) -> str:
    """The value the page showed, so the grid's button writes only what the
    teacher changed (not over a cell saved in another tab meanwhile)."""
    return f"o-{leerling_id}-{criterium}"


def _keuzes(waarden: list[SodaWaarde]) -> list[tuple[str, str]]:
    return [("", "–")] + [(str(w.pk), f"{w.code} {w.label}") for w in waarden]


class RoosterForm(forms.Form):
    """The whole grid: a choice per student and criterion."""

    def __init__(self, *args, leerlingen, waarden, **kwargs):
        super().__init__(*args, **kwargs)
        self.leerlingen = leerlingen
        self.per_pk = {str(w.pk): w for w in waarden}
        keuzes = _keuzes(waarden)
        for leerling in leerlingen:
            for criterium in SodaCriterium.values:
                namen = (celnaam(leerling.pk, criterium), origineelnaam(leerling.pk, criterium))
                for naam in namen:
                    self.fields[naam] = forms.ChoiceField(
                        choices=keuzes,
                        required=False,
                        error_messages={"invalid_choice": KIES_WAARDE},
                    )

    def wijzigingen(self) -> dict:
        """Per student the cells that differ from what the page showed."""
        result = {}
        for leerling in self.leerlingen:
            cellen = {}
            for criterium in SodaCriterium.values:
                nieuw = self.cleaned_data.get(celnaam(leerling.pk, criterium)) or ""
                oud = self.cleaned_data.get(origineelnaam(leerling.pk, criterium)) or ""
                if nieuw != oud:
                    cellen[criterium] = self.per_pk.get(nieuw)
            if cellen:
                result[leerling] = cellen
        return result


class CelForm(forms.Form):
    """One cell, as the grid posts it with htmx on change."""

    leerling = forms.IntegerField()
    criterium = forms.ChoiceField(choices=SodaCriterium.choices)

    def __init__(self, *args, waarden, **kwargs):
        super().__init__(*args, **kwargs)
        self.per_pk = {str(w.pk): w for w in waarden}
        self.keuzes = _keuzes(waarden)

    def clean(self):
        d = super().clean()
        if "leerling" in d and "criterium" in d:
            ruw = self.data.get(celnaam(d["leerling"], d["criterium"]), "")
            if ruw and ruw not in self.per_pk:
                raise forms.ValidationError(KIES_WAARDE)
            d["waarde"] = self.per_pk.get(ruw)
        return d
