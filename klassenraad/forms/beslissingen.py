"""Forms for recording a decision at a meeting.

Two steps on one page, so it works without JavaScript: a GET form picks the
student (among those on the agenda), the kind of decision and, to adjust or
stop one, the measure; the POST form then carries that choice in hidden
fields and asks what the kind needs. The kind's own fields come from the
care record's forms (a measure, a phase change), each with its prefix.

Every choice comes in as an evaluated list, so rendering runs no query.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from leerlingen.forms.maatregelen import MaatregelForm
from leerlingen.forms.zorgfase import HULPVRAAG_MAX, ZorgfaseWijzigenForm
from zorg.eenmalig.forms import EenmaligForm

from ..models import HANDMATIGE_SOORTEN, BeslissingSoort
from ..services.beslissingen import NIET_OP_AGENDA, TEKST_MAX

# The kinds that act on one of the student's open measures.
OP_MAATREGEL = frozenset({BeslissingSoort.MAATREGEL_AANPASSEN, BeslissingSoort.MAATREGEL_STOPPEN})


def leerling_label(leerling) -> str:
    klas = getattr(leerling, "huidige_klas_naam", None)
    return f"{leerling.volledige_naam} ({klas})" if klas else leerling.volledige_naam


def maatregel_label(maatregel) -> str:
    return f"{maatregel.titel} ({maatregel.get_status_display()})"


def _leerling_veld(**kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Leerling"),
        coerce=int,
        empty_value=None,
        error_messages={
            "required": _("Kies de leerling over wie de beslissing gaat."),
            "invalid_choice": NIET_OP_AGENDA,
        },
        **kwargs,
    )


class KeuzeForm(forms.Form):
    """Step one (GET): whom and what."""

    leerling = _leerling_veld()
    soort = forms.ChoiceField(
        label=_("Soort beslissing"),
        choices=HANDMATIGE_SOORTEN,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Kies een soort beslissing uit de lijst.")},
    )

    def __init__(self, *args, leerlingen, maatregelen=None, catalogus=None, **kwargs):
        """`leerlingen`: the students on the agenda; `maatregelen`: the
        chosen student's open measures (to adjust or stop one);
        `catalogus`: the school's catalogue (to start a measure from it)."""
        # Its own ids: the POST form on the same page has fields of these names.
        kwargs.setdefault("auto_id", "keuze_%s")
        super().__init__(*args, **kwargs)
        self.fields["leerling"].choices = [
            ("", "---------"),
            *((leerling.pk, leerling_label(leerling)) for leerling in leerlingen),
        ]
        if maatregelen is not None:
            self.fields["maatregel"] = forms.TypedChoiceField(
                label=_("Welke maatregel?"),
                coerce=int,
                empty_value=None,
                required=False,
                choices=[("", "---------"), *((m.pk, maatregel_label(m)) for m in maatregelen)],
                error_messages={
                    "invalid_choice": _("Kies een lopende maatregel van deze leerling.")
                },
            )
        if catalogus:
            self.fields["catalogus"] = forms.TypedChoiceField(
                label=_("Uit de catalogus van de school"),
                coerce=int,
                empty_value=None,
                required=False,
                choices=[
                    ("", _("– vrije maatregel –")),
                    *(
                        (item.pk, f"{item.titel} ({item.get_soort_display()})")
                        for item in catalogus
                    ),
                ],
            )


class BeslissingForm(EenmaligForm):
    """Step two (POST): the choice of step one in hidden fields, and the
    decision's text."""

    leerling = _leerling_veld(widget=forms.HiddenInput)
    soort = forms.ChoiceField(
        choices=HANDMATIGE_SOORTEN,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Kies een soort beslissing."),
            "invalid_choice": _("Kies een soort beslissing uit de lijst."),
        },
    )
    tekst = forms.CharField(
        label=_("Beslissing"),
        max_length=TEKST_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat werd er beslist, en waarom? Dit komt op de tijdlijn van de leerling."),
        error_messages={"required": _("Beschrijf de beslissing.")},
    )

    def __init__(self, *args, leerlingen, maatregelen=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerling"].choices = [(leerling.pk, "") for leerling in leerlingen]
        if maatregelen is not None:
            self.fields["maatregel"] = forms.TypedChoiceField(
                coerce=int,
                widget=forms.HiddenInput,
                choices=[(m.pk, "") for m in maatregelen],
                error_messages={
                    "required": _("Kies eerst de maatregel."),
                    "invalid_choice": _(
                        "Deze maatregel is niet (meer) lopend bij deze leerling. Kies opnieuw."
                    ),
                },
            )
            self.fields["maatregel_versie"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=1,
                error_messages={
                    "required": _("Open de maatregel opnieuw."),
                    "invalid": _("Open de maatregel opnieuw."),
                    "min_value": _("Open de maatregel opnieuw."),
                },
            )

    def clean(self):
        data = super().clean()
        # The hidden fields' errors would go unseen beside them.
        for veld in ("leerling", "soort", "maatregel", "maatregel_versie"):
            if veld in self._errors:
                self.add_error(None, list(self._errors.pop(veld)))
        return data


class BeslissingMaatregelForm(MaatregelForm):
    """The measure's fields (prefix "maatregel"). Where it was decided is
    the meeting itself, so that field goes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["beslist_waar"]

    def gegevens(self, status: str, beslist_waar: str = ""):
        self.cleaned_data["beslist_waar"] = beslist_waar
        return super().gegevens(status)


class FaseForm(ZorgfaseWijzigenForm):
    """The phase change's fields (prefix "fase"): the reason is the
    decision's text, the date and the place are the meeting's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for veld in ("datum", "reden", "beslist_waar"):
            del self.fields[veld]


class HulpvraagForm(forms.Form):
    """A referral to the CLB (prefix "aanmelding")."""

    hulpvraag = forms.CharField(
        label=_("Hulpvraag aan het CLB"),
        max_length=HULPVRAAG_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Wat wil de school samen met het CLB uitzoeken of bereiken? Beschrijf ook wat al "
            "geprobeerd werd."
        ),
        error_messages={
            "required": _(
                "Formuleer de hulpvraag: met welke vraag meldt de school de leerling aan?"
            )
        },
    )
