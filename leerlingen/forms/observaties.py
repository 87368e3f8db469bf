"""The observation forms: short enough for a teacher to fill in on a tablet
in a few seconds. They check the shape; the service applies the rules."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..domeinen import DomeinenField
from ..models import ObservatieSoort, Zichtbaarheid
from ..services.observaties import TEKST_MAX

SOORTEN = [
    (ObservatieSoort.STERKTE, _("Sterkte: wat goed gaat")),
    (ObservatieSoort.ZORG, _("Zorg: wat moeilijk loopt")),
]
ZICHTBAARHEDEN = [
    (Zichtbaarheid.KLASTEAM, _("Klasteam (de leerkrachten van de leerling en het zorgteam)")),
    (Zichtbaarheid.ZORGTEAM, _("Enkel zorgteam (zorgcoördinatoren, directie en CLB)")),
]


class ObservatieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Observatie"),
        max_length=TEKST_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Schrijf wat je observeerde."),
            "max_length": _(
                "De observatie is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d."
            ),
        },
    )
    soort = forms.ChoiceField(
        label=_("Sterkte of zorg?"),
        choices=SOORTEN,
        widget=forms.RadioSelect,
        help_text=_("Sterktes tellen ook: noteer wat goed loopt, niet alleen wat moeilijk gaat."),
        error_messages={
            "required": _("Kies of het om een sterkte of een zorg gaat."),
            "invalid_choice": _("Kies of het om een sterkte of een zorg gaat."),
        },
    )
    domeinen = DomeinenField()
    datum = datumveld(
        _("Datum"),
        initial=timezone.localdate,
        verplicht_bericht=_("Geef de datum van de observatie."),
    )
    zichtbaarheid = forms.ChoiceField(
        label=_("Zichtbaar voor"),
        choices=ZICHTBAARHEDEN,
        initial=Zichtbaarheid.KLASTEAM,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies wie deze observatie mag lezen."),
            "invalid_choice": _("Kies wie deze observatie mag lezen."),
        },
    )

    def __init__(self, *args, **kwargs):
        # Other parts of the student page have forms too: unique ids.
        kwargs.setdefault("auto_id", "observatie_%s")
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    def _layout(self):
        return Layout(
            "tekst",
            InlineRadios("soort"),
            "domeinen",
            Row(
                Column("datum", css_class="col-sm-4"), Column("zichtbaarheid", css_class="col-sm-8")
            ),
        )

    def clean_datum(self):
        datum = self.cleaned_data["datum"]
        if datum > timezone.localdate():
            raise forms.ValidationError(
                _("De datum ligt in de toekomst: noteer wat je al observeerde.")
            )
        return datum


class NieuweObservatieForm(EenmaligForm, ObservatieForm):
    """A new observation or a correction: saved once, however often sent."""


class KlasObservatieForm(EenmaligForm, ObservatieForm):
    """The quick form on the class page: the student is picked from the
    class's current students; any other id is refused, whatever was sent."""

    leerling = forms.TypedChoiceField(label=_("Leerling"), coerce=int, empty_value=None)

    field_order = ["leerling"]

    def __init__(self, *args, leerlingen, klas, **kwargs):
        super().__init__(*args, **kwargs)
        veld = self.fields["leerling"]
        veld.choices = [("", _("— kies een leerling —"))] + [
            (leerling.pk, f"{leerling.achternaam}, {leerling.voornaam}") for leerling in leerlingen
        ]
        fout = _("Kies een leerling uit klas %(klas)s.") % {"klas": klas.naam}
        veld.error_messages = {**veld.error_messages, "required": fout, "invalid_choice": fout}

    def _layout(self):
        return Layout("leerling", *super()._layout())
