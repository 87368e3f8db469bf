"""Forms of the team's reflection. They check the input's shape; the rules
are the services'. Possible owners come in as an evaluated list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from klassenraad.services.actiepunten import RESULTAAT_MAX
from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from .models import Keuze, Reflectieactie
from .services import OMSCHRIJVING_MAX, REDENERING_MAX


class ReflectieForm(EenmaligForm):
    """Creates the reflection the first time (`versie` empty): a double
    submit then saves it once; later it edits the draft."""

    keuze = forms.ChoiceField(
        label=_("Wat doet het team?"),
        choices=Keuze.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat het team wil doen.")},
    )
    redenering = forms.CharField(
        label=_("Waarom?"),
        max_length=REDENERING_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Welke cijfers en ervaringen dragen deze keuze? Noem geen leerlingen: "
            "het rapport gaat over het beleid."
        ),
        error_messages={"required": _("Zeg waarom het team dit kiest.")},
    )
    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersieForm(forms.Form):
    versie = forms.IntegerField(widget=forms.HiddenInput)


def eigenaar_label(user) -> str:
    naam = user.get_full_name()
    return f"{naam} ({user.email})" if naam else user.email


class ActieForm(EenmaligForm):
    omschrijving = forms.CharField(label=_("Wat moet er gebeuren?"), max_length=OMSCHRIJVING_MAX)
    eigenaar = forms.TypedChoiceField(
        label=_("Wie neemt het op?"),
        coerce=int,
        empty_value=None,
        help_text=_("Iemand van het personeel van de school. Die krijgt een melding."),
    )
    vervaldatum = datumveld(_("Tegen wanneer?"))

    def __init__(self, *args, eigenaars, **kwargs):
        super().__init__(*args, **kwargs)
        self._eigenaars = {user.pk: user for user in eigenaars}
        self.fields["eigenaar"].choices = [
            ("", "---------"),
            *((user.pk, eigenaar_label(user)) for user in eigenaars),
        ]

    def gekozen_eigenaar(self):
        return self._eigenaars.get(self.cleaned_data.get("eigenaar"))


class AfhandelenForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Afhandeling"),
        choices=[
            (Reflectieactie.Status.AFGEROND, _("afgerond")),
            (Reflectieactie.Status.GEANNULEERD, _("geannuleerd")),
        ],
        widget=forms.RadioSelect,
    )
    resultaat = forms.CharField(
        label=_("Resultaat"),
        required=False,
        max_length=RESULTAAT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat leverde de actie op? Bij annuleren: waarom."),
    )
    versie = forms.IntegerField(widget=forms.HiddenInput)
