"""Forms of a flag's follow-up and of taking a red flag up. They check the
shape; the services apply the rules."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import VlagOpvolging

_TUCHT_NIET = _(
    "Een tuchtprocedure is een apart spoor dat enkel het zorgteam of de directie "
    "noteert. Overleg met de zorgcoördinator."
)


def _te_lang():
    return _("Deze tekst is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d.")


class OpvolgingForm(EenmaligForm):
    soort = forms.ChoiceField(
        label=_("Wat gebeurde er als opvolging?"),
        choices=[("", _("— kies —")), *VlagOpvolging.Soort.choices],
        error_messages={
            "required": _("Kies wat er als opvolging gebeurde."),
            "invalid_choice": _("Kies wat er als opvolging gebeurde."),
        },
    )
    datum = datumveld(
        _("Datum"),
        initial=timezone.localdate,
        verplicht_bericht=_("Geef de datum van de opvolging."),
    )
    notities = forms.CharField(
        label=_("Notities"),
        required=False,
        max_length=VlagOpvolging._meta.get_field("notities").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Wat werd er besproken of afgesproken? Enkel het zorgteam leest dit."),
        error_messages={"max_length": _te_lang()},
    )

    def __init__(self, *args, mag_tucht: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.mag_tucht = mag_tucht
        veld = self.fields["soort"]
        if mag_tucht:
            veld.help_text = _(
                "Herstel gaat voor. Een tuchtprocedure is een apart, zwaarder spoor volgens "
                "het schoolreglement: kies het enkel als die procedure echt loopt."
            )
        else:
            veld.choices = [
                (waarde, label)
                for waarde, label in veld.choices
                if waarde != VlagOpvolging.Soort.TUCHT
            ]
            veld.help_text = _(
                "Een tuchtprocedure is een apart, zeldzamer spoor dat het zorgteam of de "
                "directie noteert."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("soort", css_class="col-sm-8"), Column("datum", css_class="col-sm-4")),
            "notities",
            "sleutel",
        )

    def clean_soort(self):
        soort = self.cleaned_data["soort"]
        if soort == VlagOpvolging.Soort.TUCHT and not self.mag_tucht:
            raise forms.ValidationError(_TUCHT_NIET)
        return soort

    def full_clean(self):
        # A teacher posting "tucht" must read why, not "kies een geldige optie":
        # the choice is offered to nobody but the care team.
        veld = self.fields["soort"]
        aangeboden = veld.choices
        veld.choices = [("", "—"), *VlagOpvolging.Soort.choices]
        try:
            super().full_clean()
        finally:
            veld.choices = aangeboden

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(
                _("De datum ligt in de toekomst: noteer een opvolging nadat ze plaatsvond.")
            )
        return datum


class _Naam(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class OpnemenForm(forms.Form):
    opnemer = _Naam(
        label=_("Wie van het zorgteam neemt deze rode vlag op?"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Kies iemand van het zorgteam van deze school."),
            "invalid_choice": _("Kies iemand van het zorgteam van deze school."),
        },
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, leden, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opnemer"].queryset = leden
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class VersieForm(forms.Form):
    """The version of the flag the user looked at, for buttons that change it."""

    versie = forms.IntegerField(required=False, min_value=0)
