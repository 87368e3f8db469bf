"""Forms for action items: the part of the decision form that assigns one,
and completing or cancelling one. They check the shape of the input; the
rules (an owner who may read the student's care content, a due date not
in the past) are
the service's, which the view maps back onto these fields.

The possible owners come in as an evaluated list, so rendering the select
runs no query."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.formulieren import datumveld

from ..models import Actiepunt
from ..services.actiepunten import OMSCHRIJVING_MAX, RESULTAAT_MAX, ActiepuntGegevens


def eigenaar_label(user) -> str:
    naam = user.get_full_name()
    return f"{naam} ({user.email})" if naam else user.email


class ActiepuntForm(forms.Form):
    """Used with prefix "actiepunt" beside the decision's own fields. Left
    empty, a decision carries no action item (unless its kind is one)."""

    omschrijving = forms.CharField(
        label=_("Wat moet er gebeuren?"),
        required=False,
        max_length=OMSCHRIJVING_MAX,
        help_text=_("Concreet en opvolgbaar, bv. ‘Ouders uitnodigen voor een gesprek’."),
    )
    eigenaar = forms.TypedChoiceField(
        label=_("Wie neemt het op?"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_(
            "Iemand die het zorgdossier van de leerling mag inzien: het zorgteam, een leerkracht "
            "van de leerling of het CLB. Die krijgt een melding."
        ),
        error_messages={
            "invalid_choice": _(
                "Kies iemand die het zorgdossier van deze leerling mag inzien: het zorgteam, "
                "een leerkracht van de leerling of een CLB-medewerker die de leerling begeleidt."
            )
        },
    )
    vervaldatum = datumveld(_("Tegen wanneer?"), required=False)

    def __init__(self, *args, eigenaars, verplicht: bool = False, **kwargs):
        """`eigenaars`: the users who may own an item about this student;
        `verplicht`: the decision is an action item, so this part must be
        filled."""
        super().__init__(*args, **kwargs)
        self.verplicht = verplicht
        self._eigenaars = {user.pk: user for user in eigenaars}
        self.fields["eigenaar"].choices = [
            ("", "---------"),
            *((user.pk, eigenaar_label(user)) for user in eigenaars),
        ]

    def in_gebruik(self) -> bool:
        """Whether the user filled in (or must fill in) an action item."""
        if self.verplicht:
            return True
        d = self.cleaned_data
        return bool(d.get("omschrijving", "").strip() or d.get("eigenaar") or d.get("vervaldatum"))

    def gegevens(self) -> ActiepuntGegevens | None:
        if not self.in_gebruik():
            return None
        d = self.cleaned_data
        return ActiepuntGegevens(
            omschrijving=d.get("omschrijving", ""),
            eigenaar=self._eigenaars.get(d.get("eigenaar")),
            vervaldatum=d.get("vervaldatum"),
        )


class AfhandelenForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Hoe is het actiepunt afgehandeld?"),
        choices=[
            (Actiepunt.Status.AFGEROND, _("Afgerond")),
            (Actiepunt.Status.GEANNULEERD, _("Geannuleerd: het hoeft niet meer")),
        ],
        widget=forms.RadioSelect,
        initial=Actiepunt.Status.AFGEROND,
        error_messages={"required": _("Kies of het actiepunt afgerond of geannuleerd is.")},
    )
    resultaat = forms.CharField(
        label=_("Resultaat"),
        required=False,
        max_length=RESULTAAT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat is er gebeurd? Bij annuleren: waarom het niet meer hoeft."),
    )
    versie = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _("Open het actiepunt opnieuw om het af te handelen."),
            "invalid": _("Open het actiepunt opnieuw om het af te handelen."),
            "min_value": _("Open het actiepunt opnieuw om het af te handelen."),
        },
    )

    def clean(self):
        data = super().clean()
        # A hidden field's error would go unseen beside it.
        if "versie" in self._errors:
            self.add_error(None, list(self._errors.pop("versie")))
        return data
