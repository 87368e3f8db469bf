"""Forms of the measures part. They check the shape of the input; the rules
(dates, scope, parents' agreement) are the service's, which the view maps
back onto these fields.

Choices of subjects and catalogue items come in as evaluated lists, so
rendering a form never queries (a ModelChoiceField would, in the template).
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..domeinen import DomeinenField
from ..models import Bereik, Maatregel, MaatregelEvaluatie, MaatregelSoort
from ..services.maatregelen import MaatregelGegevens


class MaatregelForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort (STICORDI)"),
        choices=[("", "---------"), *MaatregelSoort.choices],
        error_messages={"required": _("Kies een soort maatregel.")},
    )
    titel = forms.CharField(
        label=_("Maatregel"),
        max_length=150,
        help_text=_("Kort en concreet, bv. ‘Extra tijd bij toetsen’."),
        error_messages={"required": _("Geef de maatregel een titel.")},
    )
    omschrijving = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat doet de leerkracht concreet in de klas?"),
    )
    domeinen = DomeinenField()
    bereik = forms.ChoiceField(
        label=_("Geldt voor"),
        choices=Bereik.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies voor welke vakken de maatregel geldt.")},
    )
    vakken = forms.TypedMultipleChoiceField(
        label=_("Vakken"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Enkel bij ‘gekozen vakken’."),
        error_messages={"invalid_choice": _("Kies enkel vakken van de school van de leerling.")},
    )
    begin = datumveld(_("Start"))
    einde = datumveld(
        _("Einde"), required=False, help_text=_("Leeg laten als er geen einde gepland is.")
    )
    evaluatiedatum = datumveld(_("Evaluatiedatum"))
    beslist_waar = forms.CharField(
        label=_("Beslist op"),
        max_length=200,
        help_text=_("bv. begeleidende klassenraad van 14 november, oudergesprek"),
        error_messages={"required": _("Vul in waar de maatregel beslist werd.")},
    )
    ouderomschrijving = forms.CharField(
        label=_("Zo zeggen we het aan de ouders"),
        required=False,
        max_length=300,
        help_text=_(
            "In eenvoudige woorden, voor de ouderbrief en het ouderportaal. "
            "Leeg laten: de titel van de maatregel."
        ),
    )
    akkoord_nodig = forms.BooleanField(
        label=_("Het akkoord van de ouders is nodig"),
        required=False,
        help_text=_("bv. bij een dispensatie; de ouderbrief vraagt het akkoord."),
    )
    ouders_akkoord = forms.BooleanField(label=_("De ouders gingen akkoord"), required=False)
    ouders_akkoord_op = datumveld(_("Akkoord van de ouders op"), required=False)
    stem_leerling = forms.CharField(
        label=_("Stem van de leerling"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wat zegt de leerling zelf over deze maatregel?"),
    )

    def __init__(self, *args, vakken, status_keuzes=None, versie=None, catalogus=None, **kwargs):
        """`vakken`: the subjects of the student's school; `status_keuzes`:
        the statuses the user may pick (none: the status stays); `versie`:
        the version an edit starts from; `catalogus`: the catalogue items a
        new measure may come from."""
        super().__init__(*args, **kwargs)
        self._vakken = {vak.pk: vak for vak in vakken}
        self.fields["vakken"].choices = [(vak.pk, vak.naam) for vak in vakken]
        if not vakken:
            self.fields["vakken"].help_text = _("Er zijn nog geen vakken voor deze school.")
        if status_keuzes:
            self.fields["status"] = forms.ChoiceField(
                label=_("Status"),
                choices=[(s, Maatregel.Status(s).label) for s in status_keuzes],
                widget=forms.RadioSelect,
                initial=Maatregel.Status.ACTIEF,
            )
        if versie is not None:
            self.fields["versie"] = forms.IntegerField(
                widget=forms.HiddenInput,
                initial=versie,
                min_value=1,
                error_messages={
                    "required": _("Open de maatregel opnieuw om ze te bewerken."),
                    "invalid": _("Open de maatregel opnieuw om ze te bewerken."),
                    "min_value": _("Open de maatregel opnieuw om ze te bewerken."),
                },
            )
        if catalogus is not None:
            self._catalogus = {item.pk: item for item in catalogus}
            self.fields["catalogus_item"] = forms.TypedChoiceField(
                choices=[("", ""), *((item.pk, item.titel) for item in catalogus)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.HiddenInput,
                error_messages={
                    "invalid_choice": _("Deze maatregel staat niet in de catalogus van de school.")
                },
            )

    def clean(self):
        data = super().clean()
        # A hidden field's error would go unseen beside it.
        for veld in ("catalogus_item", "versie"):
            if veld in self._errors:
                self.add_error(None, list(self._errors.pop(veld)))
        return data

    def gegevens(self, status: str) -> MaatregelGegevens:
        d = self.cleaned_data
        return MaatregelGegevens(
            soort=d["soort"],
            titel=d["titel"],
            omschrijving=d["omschrijving"],
            domeinen=d["domeinen"],
            bereik=d["bereik"],
            vakken=tuple(self._vakken[pk] for pk in d["vakken"]),
            begin=d["begin"],
            einde=d["einde"],
            evaluatiedatum=d["evaluatiedatum"],
            beslist_waar=d["beslist_waar"],
            ouderomschrijving=d["ouderomschrijving"],
            akkoord_nodig=d["akkoord_nodig"],
            ouders_akkoord=d["ouders_akkoord"],
            ouders_akkoord_op=d["ouders_akkoord_op"],
            stem_leerling=d["stem_leerling"],
            status=d.get("status") or status,
        )

    def catalogus_item(self):
        pk = self.cleaned_data.get("catalogus_item")
        return self._catalogus.get(pk) if pk else None


def initial_uit_catalogus(item) -> dict:
    """A new measure's fields filled from a catalogue item."""
    return {
        "soort": item.soort,
        "titel": item.titel,
        "omschrijving": item.omschrijving,
        "bereik": item.bereik,
        "domeinen": item.domeinen,
        "catalogus_item": item.pk,
    }


class NieuweMaatregelForm(EenmaligForm, MaatregelForm):
    """A new measure: saved once, however often sent."""


class CatalogusKeuzeForm(forms.Form):
    """Pick a catalogue item to fill the new-measure form (a GET form)."""

    catalogus = forms.TypedChoiceField(
        label=_("Uit de catalogus van de school"),
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, catalogus, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["catalogus"].choices = [
            ("", _("– vrije maatregel –")),
            *((item.pk, f"{item.titel} ({item.get_soort_display()})") for item in catalogus),
        ]


class EvaluatieForm(EenmaligForm):
    datum = datumveld(_("Datum van de evaluatie"), initial=timezone.localdate)
    effect = forms.ChoiceField(
        label=_("Werkt de maatregel?"),
        choices=MaatregelEvaluatie.Effect.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of de maatregel werkt.")},
    )
    notities = forms.CharField(
        label=_("Notities"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Enkel zichtbaar voor het zorgteam."),
    )
    beslissing = forms.ChoiceField(
        label=_("Beslissing"),
        choices=MaatregelEvaluatie.Beslissing.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies wat er met de maatregel gebeurt.")},
    )
    volgende_evaluatie = datumveld(
        _("Volgende evaluatie"),
        required=False,
        help_text=_("Verplicht als de maatregel verdergezet of aangepast wordt."),
    )


class StopForm(forms.Form):
    datum = datumveld(_("Stopgezet op"), initial=timezone.localdate)
    reden = forms.CharField(
        label=_("Reden"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("bv. de leerling verliet de school, de ouders gingen niet akkoord"),
        error_messages={"required": _("Geef een reden op om de maatregel stop te zetten.")},
    )


class CatalogusItemForm(EenmaligForm):
    soort = forms.ChoiceField(
        label=_("Soort (STICORDI)"),
        choices=[("", "---------"), *MaatregelSoort.choices],
        error_messages={"required": _("Kies een soort maatregel.")},
    )
    titel = forms.CharField(
        label=_("Maatregel"),
        max_length=150,
        error_messages={"required": _("Geef de maatregel een titel.")},
    )
    omschrijving = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    bereik = forms.ChoiceField(
        label=_("Geldt meestal voor"), choices=Bereik.choices, widget=forms.RadioSelect
    )
    domeinen = DomeinenField()

    def __init__(self, *args, scholen, **kwargs):
        """`scholen`: the schools whose catalogue this user keeps; with more
        than one, the user picks."""
        super().__init__(*args, **kwargs)
        self._scholen = {school.pk: school for school in scholen}
        if len(scholen) > 1:
            self.fields["school"] = forms.TypedChoiceField(
                label=_("School"),
                choices=[(school.pk, school.naam) for school in scholen],
                coerce=int,
                error_messages={"invalid_choice": _("Kies een van je scholen.")},
            )
            self.order_fields(["school"])

    def school_id(self) -> int:
        if "school" in self.fields:
            return self.cleaned_data["school"]
        return next(iter(self._scholen))
