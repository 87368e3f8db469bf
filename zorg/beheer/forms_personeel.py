"""The staff pages' forms. Their rules (the last administrator, a unique
address) are the services' (zorg.beheer.personeel)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from .personeel import ROL_ACTIES, ROL_KEUZES, Filter

FILTERS = [
    (Filter.ALLE, _("Iedereen")),
    (Filter.ACTIEF, _("Actief")),
    (Filter.INACTIEF, _("Gedeactiveerd")),
    (Filter.NIET_UITGENODIGD, _("Nog niet uitgenodigd")),
]


class PersoneelZoekForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=100)
    filter = forms.ChoiceField(label=_("Tonen"), choices=FILTERS, required=False)


class UitnodigenForm(EenmaligForm):
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul een e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )
    first_name = forms.CharField(
        label=_("Voornaam"),
        max_length=150,
        required=False,
        help_text=_("Voor een nieuw account; een bestaand account houdt zijn naam."),
    )
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    rollen = forms.MultipleChoiceField(
        label=_("Rollen in deze school"),
        choices=ROL_KEUZES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één rol.")},
    )


class StandForm(forms.Form):
    """What a button on a person's page sends: the state the page showed."""

    stand = forms.CharField(
        widget=forms.HiddenInput,
        max_length=40,
        error_messages={"required": _("Het formulier is onvolledig. Laad de pagina opnieuw.")},
    )


class RolForm(StandForm):
    rol = forms.ChoiceField(choices=ROL_KEUZES)
    actie = forms.ChoiceField(choices=[(a, a) for a in ROL_ACTIES])


class ToegangForm(StandForm):
    actief = forms.TypedChoiceField(choices=[("0", "0"), ("1", "1")], coerce=lambda v: v == "1")


class AccountForm(StandForm):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        error_messages={
            "required": _("Vul een e-mailadres in."),
            "invalid": _("Vul een geldig e-mailadres in."),
        },
    )


class AlleUitnodigenForm(EenmaligForm):
    """The confirmation of "invite all": once, however often it is sent."""
