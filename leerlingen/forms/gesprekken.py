"""The talk form. It checks the shape; the service applies the rules."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..domeinen import DomeinenField
from ..models import Gesprek, Zichtbaarheid

ZICHTBAARHEDEN = [
    (Zichtbaarheid.ZORGTEAM, _("Enkel zorgteam (zorgcoördinatoren, directie en CLB)")),
    (Zichtbaarheid.KLASTEAM, _("Klasteam (de leerkrachten van de leerling en het zorgteam)")),
]


def _max(veld: str) -> int:
    return Gesprek._meta.get_field(veld).max_length


def _te_lang():
    return _("Deze tekst is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d.")


class GesprekForm(EenmaligForm):
    soort = forms.ChoiceField(
        label=_("Soort gesprek"),
        choices=[("", _("— kies —")), *Gesprek.Soort.choices],
        error_messages={
            "required": _("Kies met wie het gesprek was."),
            "invalid_choice": _("Kies met wie het gesprek was."),
        },
    )
    datum = datumveld(
        _("Datum"),
        initial=timezone.localdate,
        verplicht_bericht=_("Geef de datum van het gesprek."),
    )
    deelnemers = forms.CharField(
        label=_("Deelnemers"),
        max_length=_max("deelnemers"),
        help_text=_("Bv. mama, de klastitularis en de zorgcoördinator."),
        error_messages={
            "required": _("Noteer wie aan het gesprek deelnam."),
            "max_length": _te_lang(),
        },
    )
    samenvatting = forms.CharField(
        label=_("Samenvatting"),
        max_length=_max("samenvatting"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Vat het gesprek kort samen."),
            "max_length": _te_lang(),
        },
    )
    afspraken = forms.CharField(
        label=_("Afspraken"),
        required=False,
        max_length=_max("afspraken"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Wat spraken jullie af, wie doet wat en tegen wanneer? De afspraken uit "
            "oudergesprekken staan bovenaan bij de gesprekken van de leerling."
        ),
        error_messages={"max_length": _te_lang()},
    )
    domeinen = DomeinenField()
    zichtbaarheid = forms.ChoiceField(
        label=_("Zichtbaar voor"),
        choices=ZICHTBAARHEDEN,
        initial=Zichtbaarheid.ZORGTEAM,
        widget=forms.RadioSelect,
        help_text=_(
            "Moeten de leerkrachten de afspraken kennen, kies dan het klasteam. "
            "Wat enkel voor het zorgteam is, kan een leerkracht niet lezen, "
            "ook wie het gesprek noteerde niet."
        ),
        error_messages={
            "required": _("Kies wie dit gesprek mag lezen."),
            "invalid_choice": _("Kies wie dit gesprek mag lezen."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("soort", css_class="col-sm-8"), Column("datum", css_class="col-sm-4")),
            "deelnemers",
            "samenvatting",
            "afspraken",
            "domeinen",
            "zichtbaarheid",
            "sleutel",
        )

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(
                _("De datum ligt in de toekomst: noteer een gesprek nadat het plaatsvond.")
            )
        return datum
