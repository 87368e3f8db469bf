"""The forms of the new school year's wizard (zorg.beheer.overgang)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from .overgang import HOOGSTE_LEERJAAR, NAAM_MAX, Doel, Plan

# The choices of where a single student goes, beside the next year's classes.
VERTREKT = "-"
ZOALS_KLAS = ""


class KlassenForm(forms.Form):
    """Where every class of the current year goes: a row per class with the
    next year's class name and grade, or "no follow-up class"."""

    leerkrachten_kopieren = forms.BooleanField(
        label=_("Klastitularissen en lesopdrachten overnemen naar de nieuwe klassen"),
        required=False,
        help_text=_(
            "Standaard niet: wie volgend jaar welke klas heeft, beslist de school opnieuw."
        ),
    )

    def __init__(self, *args, klassen, plan: Plan, alleen_lezen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.klassen = klassen
        self.rijen = []
        for klas in klassen:
            doel = plan.klassen.get(klas.pk)
            naam = forms.CharField(
                label=_("Naam volgend schooljaar van %(klas)s") % {"klas": klas.naam},
                max_length=NAAM_MAX,
                required=False,
                initial=doel.naam if doel else "",
            )
            leerjaar = forms.IntegerField(
                label=_("Leerjaar volgend schooljaar van %(klas)s") % {"klas": klas.naam},
                min_value=1,
                max_value=HOOGSTE_LEERJAAR,
                required=False,
                initial=doel.leerjaar if doel else None,
            )
            geen = forms.BooleanField(
                label=_("%(klas)s heeft geen vervolgklas") % {"klas": klas.naam},
                required=False,
                initial=doel is None,
            )
            self.fields[f"naam_{klas.pk}"] = naam
            self.fields[f"leerjaar_{klas.pk}"] = leerjaar
            self.fields[f"geen_{klas.pk}"] = geen
        self.initial.setdefault("leerkrachten_kopieren", plan.leerkrachten_kopieren)
        if alleen_lezen:
            for veld in self.fields.values():
                veld.disabled = True
        for klas in klassen:
            self.rijen.append(
                {
                    "klas": klas,
                    "naam": self[f"naam_{klas.pk}"],
                    "leerjaar": self[f"leerjaar_{klas.pk}"],
                    "geen": self[f"geen_{klas.pk}"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        for klas in self.klassen:
            if cleaned.get(f"geen_{klas.pk}"):
                continue
            naam = (cleaned.get(f"naam_{klas.pk}") or "").strip()
            cleaned[f"naam_{klas.pk}"] = naam
            if not naam:
                self.add_error(
                    f"naam_{klas.pk}",
                    _("Geef de naam van de nieuwe klas, of vink 'geen vervolgklas' aan."),
                )
            if cleaned.get(f"leerjaar_{klas.pk}") is None and f"leerjaar_{klas.pk}" not in (
                self.errors
            ):
                self.add_error(f"leerjaar_{klas.pk}", _("Geef het leerjaar van de nieuwe klas."))
        return cleaned

    def plan(self, vorig: Plan) -> Plan:
        """The plan these rows make; the single students' moves stay."""
        d = self.cleaned_data
        return Plan(
            klassen={
                k.pk: None if d[f"geen_{k.pk}"] else Doel(d[f"naam_{k.pk}"], d[f"leerjaar_{k.pk}"])
                for k in self.klassen
            },
            leerlingen=dict(vorig.leerlingen),
            leerkrachten_kopieren=d["leerkrachten_kopieren"],
        )


class LeerlingVerplaatsenForm(forms.Form):
    """One student to another class of the next year than their class's,
    or out of the school; or back to their class's way."""

    leerling = forms.TypedChoiceField(label=_("Leerling"), coerce=int)
    naar = forms.ChoiceField(label=_("Naar"), required=False)

    def __init__(self, *args, bewegingen, klasnamen, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerling"].choices = [
            (b.leerling.pk, f"{b.leerling.achternaam} {b.leerling.voornaam} ({b.van})")
            for b in bewegingen
        ]
        self.fields["leerling"].error_messages["invalid_choice"] = _(
            "Kies een leerling van dit schooljaar."
        )
        self.fields["naar"].choices = [
            (ZOALS_KLAS, _("zoals de klas")),
            *((naam, naam) for naam in klasnamen),
            (VERTREKT, _("verlaat de school")),
        ]
        self.fields["naar"].error_messages["invalid_choice"] = _(
            "Kies een klas van het nieuwe schooljaar."
        )


class BevestigenForm(EenmaligForm):
    """The confirmation of the run: from which current year (the preview's),
    and whether the new year becomes current now or stays prepared."""

    NU = "nu"
    LATER = "later"

    van = forms.IntegerField(widget=forms.HiddenInput)
    moment = forms.ChoiceField(
        label=_("Wanneer wordt het nieuwe schooljaar het huidige?"),
        choices=[
            (LATER, _("Later: het blijft voorbereid tot ik het huidig maak")),
            (NU, _("Nu: vanaf nu zijn de nieuwe klassen de huidige")),
        ],
        initial=LATER,
        widget=forms.RadioSelect,
    )
