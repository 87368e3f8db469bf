"""Forms of the agenda pages. They check the shape; the services apply the
rules (and compute the reasons themselves)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..services.agenda import REDEN_MAX

ZOEK_MAX = 100


class AgendaKeuzeForm(forms.Form):
    """The proposals ticked to go on the agenda (checkboxes named
    `leerling`, drawn by the template beside each proposal's reasons)."""

    leerling = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": _("Kies minstens één leerling om op de agenda te zetten."),
            "invalid_choice": _(
                "Een of meer gekozen leerlingen staan niet (meer) tussen de voorstellen. "
                "Bekijk de voorstellen opnieuw en kies dan."
            ),
        },
    )

    def __init__(self, *args, voorstellen=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerling"].choices = [
            (str(v.leerling.pk), v.leerling.volledige_naam) for v in voorstellen
        ]


class ZoekForm(forms.Form):
    q = forms.CharField(label=_("Zoek een leerling"), required=False, max_length=ZOEK_MAX)


class ToevoegenForm(EenmaligForm):
    """A student picked from the search results, with why."""

    leerling = forms.IntegerField(
        label=_("Leerling"),
        min_value=1,
        error_messages={
            "required": _("Kies een leerling uit de zoekresultaten."),
            "invalid": _("Kies een leerling uit de zoekresultaten."),
            "min_value": _("Kies een leerling uit de zoekresultaten."),
        },
    )
    reden = forms.CharField(
        label=_("Waarom wil je deze leerling bespreken?"),
        max_length=REDEN_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Noteer kort waarom je deze leerling wil bespreken."),
            "max_length": _(
                "De reden is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d."
            ),
        },
    )
