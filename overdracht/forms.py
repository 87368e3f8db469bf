"""Forms of the transfer: starting one (once, however often sent), the
steps (each with the version it started from), and the import."""

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

OPNIEUW = _("Open de overdracht opnieuw en probeer nog eens.")


class OverdrachtForm(EenmaligForm):
    school_naam = forms.CharField(
        label=_("Naam van de nieuwe school"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de nieuwe school in.")},
    )
    school_instellingsnummer = forms.CharField(
        label=_("Instellingsnummer van de nieuwe school"),
        max_length=6,
        required=False,
        validators=[RegexValidator(r"^\d{5,6}$", _("Een instellingsnummer telt 5 of 6 cijfers."))],
        help_text=_(
            "Gebruikt de nieuwe school ook Zorg, dan kan enkel zij het bestand met dit nummer "
            "invoeren."
        ),
    )
    school_adres = forms.CharField(
        label=_("Adres van de nieuwe school"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VersieForm(forms.Form):
    """A step on a transfer, from the version the page showed."""

    versie = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": OPNIEUW, "invalid": OPNIEUW, "min_value": OPNIEUW},
    )

    def clean(self):
        data = super().clean()
        if "versie" in self._errors:
            self.add_error(None, list(self._errors.pop("versie")))
        return data


class InhoudForm(VersieForm):
    opnemen = forms.MultipleChoiceField(
        label=_("Opnemen in de overdracht"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, sleutels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opnemen"].choices = [(s, s) for s in sleutels]
        self.fields["opnemen"].error_messages["invalid_choice"] = _(
            "De samenvatting veranderde intussen. Kijk de keuze opnieuw na."
        )


class InformerenForm(VersieForm):
    geinformeerd_op = datumveld(
        _("Ouders geïnformeerd op"),
        initial=timezone.localdate,
        help_text=_("De dag waarop de ouders de samenvatting kregen of ze besproken werd."),
    )


class ReactieForm(VersieForm):
    antwoord = forms.ChoiceField(
        label=_("Antwoord van de ouders"),
        choices=[("geen_bezwaar", _("geen bezwaar")), ("bezwaar", _("bezwaar"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies het antwoord van de ouders."),
            "invalid_choice": _("Kies het antwoord van de ouders."),
        },
    )
    op = datumveld(_("Antwoord ontvangen op"), initial=timezone.localdate)
    opmerking = forms.CharField(
        label=_("Opmerking van de ouders"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht bij een bezwaar: wat de ouders bezwaren."),
    )


class ImportForm(forms.Form):
    bestand = forms.FileField(
        label=_("Overdrachtsbestand"),
        help_text=_("Het .json-bestand dat de vorige school vrijgaf."),
        error_messages={
            "required": _("Kies het overdrachtsbestand."),
            "empty": _("Dit bestand is leeg."),
            "invalid": _("Kies het overdrachtsbestand."),
        },
    )


class ImportBevestigenForm(EenmaligForm):
    document = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Kies het overdrachtsbestand opnieuw.")},
    )
    leerling = forms.ModelChoiceField(
        label=_("Leerling van jouw school"),
        queryset=None,
        error_messages={
            "required": _("Kies de leerling bij wie de overdracht hoort."),
            "invalid_choice": _("Kies de leerling bij wie de overdracht hoort."),
        },
    )

    def __init__(self, *args, leerlingen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerling"].queryset = leerlingen

    def clean(self):
        data = super().clean()
        if "document" in self._errors:
            self.add_error(None, list(self._errors.pop("document")))
        return data
