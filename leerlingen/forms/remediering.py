"""Forms of remediation and differentiation. They check the shape of the
input; the rules (who, subject, duration) are the service's. Choices of
subjects and students come in as evaluated lists, so rendering never
queries."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import Remediering
from ..services.remediering import RemedieringGegevens

OPNIEUW = _("Open de remediëring opnieuw om ze te bewerken.")


class RemedieringForm(forms.Form):
    # The class level first: not every need calls for a student-level approach.
    niveau = forms.ChoiceField(
        label=_("Voor wie?"),
        choices=Remediering.Niveau.choices,
        widget=forms.RadioSelect,
        initial=Remediering.Niveau.KLAS,
        help_text=_("Begin bij de klas: niet alles vraagt een aanpak per leerling."),
        error_messages={"required": _("Kies voor wie: de klas, een groep of één leerling.")},
    )
    groep = forms.TypedMultipleChoiceField(
        label=_("Leerlingen van de groep"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Enkel bij ‘een groep uit de klas’."),
        error_messages={"invalid_choice": _("Kies enkel leerlingen van deze klas.")},
    )
    leerling = forms.TypedChoiceField(
        label=_("Leerling"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Enkel bij ‘één leerling’."),
        error_messages={"invalid_choice": _("Kies een leerling van deze klas.")},
    )
    vak = forms.TypedChoiceField(
        label=_("Vak"),
        coerce=int,
        error_messages={
            "required": _("Kies het vak."),
            "invalid_choice": _("Kies een vak dat je in deze klas geeft."),
        },
    )
    titel = forms.CharField(
        label=_("Wat?"),
        max_length=150,
        help_text=_("Kort en concreet, bv. ‘Breuken herhalen in kleine groep’."),
        error_messages={"required": _("Vul in wat er gebeurt.")},
    )
    omschrijving = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    nood = forms.CharField(
        label=_("Waarom? (vastgestelde nood)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Vul in welke nood je vaststelde.")},
    )
    aanpak = forms.ChoiceField(
        label=_("Aanpak"),
        choices=Remediering.Aanpak.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een aanpak.")},
    )
    begin = datumveld(_("Start"))
    einde = datumveld(_("Einde"), required=False)
    aantal_weken = forms.IntegerField(
        label=_("of aantal weken"),
        required=False,
        min_value=1,
        max_value=52,
        error_messages={
            "min_value": _("Vul een aantal van minstens 1 in."),
            "max_value": _("Een remediëring duurt hoogstens een schooljaar."),
            "invalid": _("Vul een geheel getal in."),
        },
    )
    aantal_sessies = forms.IntegerField(
        label=_("of aantal sessies"),
        required=False,
        min_value=1,
        max_value=200,
        error_messages={
            "min_value": _("Vul een aantal van minstens 1 in."),
            "max_value": _("Vul een kleiner aantal in."),
            "invalid": _("Vul een geheel getal in."),
        },
    )
    moment = forms.CharField(
        label=_("Moment"),
        required=False,
        max_length=100,
        help_text=_("bv. ‘di 8e lesuur’"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Remediering.Status.GEPLAND, Remediering.Status.GEPLAND.label),
            (Remediering.Status.LOPEND, Remediering.Status.LOPEND.label),
        ],
        widget=forms.RadioSelect,
        initial=Remediering.Status.GEPLAND,
        error_messages={"invalid_choice": _("Kies gepland of lopend.")},
    )

    def __init__(self, *args, vakken, leerlingen, versie=None, **kwargs):
        """`vakken`: the subjects the user records in for this class;
        `leerlingen`: the class's students (and, for an edit, those it
        already names); `versie`: the version an edit starts from."""
        super().__init__(*args, **kwargs)
        self._vakken = {vak.pk: vak for vak in vakken}
        self._leerlingen = {ll.pk: ll for ll in leerlingen}
        self.fields["vak"].choices = [("", "---------"), *((v.pk, v.naam) for v in vakken)]
        keuzes = [(ll.pk, f"{ll.achternaam}, {ll.voornaam}") for ll in leerlingen]
        self.fields["groep"].choices = keuzes
        self.fields["leerling"].choices = [("", "---------"), *keuzes]
        if len(vakken) == 1 and not self.is_bound:
            self.initial.setdefault("vak", vakken[0].pk)
        if versie is not None:
            self.fields["versie"] = forms.IntegerField(
                widget=forms.HiddenInput,
                initial=versie,
                min_value=1,
                error_messages={"required": OPNIEUW, "invalid": OPNIEUW, "min_value": OPNIEUW},
            )

    def clean(self):
        data = super().clean()
        if "versie" in self._errors:
            self.add_error(None, list(self._errors.pop("versie")))
        return data

    def gegevens(self) -> RemedieringGegevens:
        d = self.cleaned_data
        return RemedieringGegevens(
            vak=self._vakken[d["vak"]],
            niveau=d["niveau"],
            leerling=self._leerlingen.get(d["leerling"]) if d["leerling"] else None,
            groep=tuple(self._leerlingen[pk] for pk in d["groep"]),
            titel=d["titel"],
            omschrijving=d["omschrijving"],
            nood=d["nood"],
            aanpak=d["aanpak"],
            begin=d["begin"],
            einde=d["einde"],
            aantal_weken=d["aantal_weken"],
            aantal_sessies=d["aantal_sessies"],
            moment=d["moment"],
            status=d["status"],
        )


class NieuweRemedieringForm(EenmaligForm, RemedieringForm):
    """A new remediation: saved once, however often sent."""


def initial_van(r: Remediering, groep_ids) -> dict:
    return {
        "niveau": r.niveau,
        "groep": list(groep_ids),
        "leerling": r.leerling_id,
        "vak": r.vak_id,
        "titel": r.titel,
        "omschrijving": r.omschrijving,
        "nood": r.nood,
        "aanpak": r.aanpak,
        "begin": r.begin,
        "einde": r.einde,
        "aantal_weken": r.aantal_weken,
        "aantal_sessies": r.aantal_sessies,
        "moment": r.moment,
        "status": r.status,
    }


class ResultaatForm(forms.Form):
    resultaat = forms.ChoiceField(
        label=_("Werd het doel bereikt?"),
        choices=Remediering.Resultaat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of het doel bereikt werd.")},
    )
    notitie = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    datum = datumveld(_("Datum"), initial=timezone.localdate)
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
