"""The absence forms: choosing a class and a day, the class's day (two
selects per student), and correcting one absence. They check the shape; the
service applies the rules (school days, versions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..models import AfwezigheidCode, Dagdeel
from ..services.afwezigheden import KLASDAG_FORMULIER, NOTITIE_MAX

AANWEZIG = ""
CODES = [(AANWEZIG, _("aanwezig")), *AfwezigheidCode.choices]
DATUM_FOUTEN = {
    "required": _("Kies een datum."),
    "invalid": _("Geef een geldige datum (dd/mm/jjjj)."),
}


class KlasdagKiezenForm(forms.Form):
    """Which class, which day (a GET form). `klassen` is a list: the
    template draws the choices without a query."""

    KLAS_FOUT = _("Kies een klas uit de lijst.")

    klas = forms.TypedChoiceField(
        label=_("Klas"),
        coerce=int,
        error_messages={"required": _("Kies een klas."), "invalid_choice": KLAS_FOUT},
    )
    datum = forms.DateField(
        label=_("Datum"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATUM_FOUTEN,
    )

    def __init__(self, *args, klassen, **kwargs):
        kwargs.setdefault("auto_id", "kies_%s")
        super().__init__(*args, **kwargs)
        self.klassen = {klas.pk: klas for klas in klassen}
        self.fields["klas"].choices = [("", _("Kies een klas"))] + [
            (klas.pk, klas.naam) for klas in klassen
        ]

    def clean_klas(self):
        return self.klassen[self.cleaned_data["klas"]]


def celnaam(leerling_id: int, dagdeel: str) -> str:
    return f"c_{leerling_id}_{dagdeel}"


def versienaam(leerling_id: int, dagdeel: str) -> str:
    return f"v_{leerling_id}_{dagdeel}"


class KlasdagForm(EenmaligForm):
    """Per student of the class, a select per half day (present or a code),
    and per absence shown the version it had (hidden): the service refuses a
    half day someone else saved in between."""

    eenmalig_formulier = KLASDAG_FORMULIER

    def __init__(self, *args, leerlingen, bestaand, **kwargs):
        kwargs.setdefault("auto_id", "afw_%s")
        super().__init__(*args, **kwargs)
        self.leerlingen = list(leerlingen)
        self.rijen = []
        for leerling in self.leerlingen:
            cellen = []
            for dagdeel, label in Dagdeel.choices:
                naam = celnaam(leerling.pk, dagdeel)
                huidig = bestaand.get((leerling.pk, dagdeel))
                self.fields[naam] = forms.ChoiceField(
                    label=f"{leerling.volledige_naam}, {label}",
                    choices=CODES,
                    required=False,
                    initial=huidig.code if huidig else AANWEZIG,
                    error_messages={"invalid_choice": _("Kies een geldige code.")},
                )
                self.fields[versienaam(leerling.pk, dagdeel)] = forms.IntegerField(
                    required=False,
                    widget=forms.HiddenInput,
                    initial=huidig.versie if huidig else None,
                )
                cellen.append(naam)
            self.rijen.append((leerling, cellen))

    def rij_velden(self):
        """(student, [bound field per half day]) for the template."""
        return [(leerling, [self[naam] for naam in cellen]) for leerling, cellen in self.rijen]

    def keuzes(self) -> dict[tuple[int, str], str]:
        return {
            (leerling.pk, dagdeel): self.cleaned_data[celnaam(leerling.pk, dagdeel)]
            for leerling in self.leerlingen
            for dagdeel in Dagdeel.values
        }

    def gezien(self) -> dict[tuple[int, str], int]:
        return {
            (leerling.pk, dagdeel): versie
            for leerling in self.leerlingen
            for dagdeel in Dagdeel.values
            if (versie := self.cleaned_data.get(versienaam(leerling.pk, dagdeel))) is not None
        }


class AfwezigheidForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Code"),
        choices=AfwezigheidCode.choices,
        error_messages={
            "required": _("Kies een code."),
            "invalid_choice": _("Kies een geldige code."),
        },
    )
    notitie = forms.CharField(
        label=_("Notitie"),
        required=False,
        max_length=NOTITIE_MAX,
        help_text=_("Administratief: welk attest, wie belde. Geen zorginformatie."),
        error_messages={
            "max_length": _(
                "De notitie is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d."
            )
        },
    )
    versie = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
            "invalid": _("Het formulier is onvolledig. Laad de pagina opnieuw."),
        },
    )
