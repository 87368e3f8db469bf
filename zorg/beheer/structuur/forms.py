"""The forms of the structure pages. They check the input's shape; the
rules (names unique per school or year, a year's dates, who may be a class
teacher) are the services', which the views put on the form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from leerlingen.domeinen import DomeinenField
from leerlingen.models import Bereik, Klas, MaatregelCatalogusItem, MaatregelSoort, Vak
from zorg.accounts.models import Campus
from zorg.eenmalig.forms import ONVOLLEDIG, EenmaligForm
from zorg.formulieren import datumveld


def _naamveld(model, label, leeg, help_text="") -> forms.CharField:
    # The form allows a little more than the column so that a name with
    # extra spaces reaches the service, which strips them and then counts.
    lengte = model._meta.get_field("naam").max_length
    return forms.CharField(
        label=label,
        max_length=lengte * 2,
        help_text=help_text,
        error_messages={
            "required": leeg,
            "max_length": _("Deze naam is te lang (hoogstens %(limit_value)d tekens).")
            % {"limit_value": lengte},
        },
    )


class VersieForm(forms.Form):
    """The version an edit began at (zorg.versies), in a hidden field: a
    page that lost it says so on top of the form, where it shows."""

    versie = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": ONVOLLEDIG, "invalid": ONVOLLEDIG},
    )

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        fouten = self._errors.pop("versie", None)
        if fouten:
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
            self._errors[NON_FIELD_ERRORS].extend(fouten)


# --- campuses ---------------------------------------------------------------------


class CampusForm(forms.Form):
    naam = _naamveld(Campus, _("Naam"), _("Geef de campus een naam."))
    adres = forms.CharField(
        label=_("Adres"),
        required=False,
        max_length=Campus._meta.get_field("adres").max_length,
        error_messages={"max_length": _("Dit adres is te lang.")},
    )


class CampusToevoegenForm(EenmaligForm, CampusForm):
    pass


class CampusWijzigenForm(CampusForm, VersieForm):
    pass


# --- subjects -------------------------------------------------------------------


class VakForm(forms.Form):
    naam = _naamveld(Vak, _("Naam"), _("Geef het vak een naam."), _("bv. Wiskunde"))


class VakToevoegenForm(EenmaligForm, VakForm):
    pass


class VakWijzigenForm(VakForm, VersieForm):
    pass


# --- school years -----------------------------------------------------------------


class SchooljaarForm(VersieForm):
    begin = datumveld(_("Eerste dag"), verplicht_bericht=_("Vul de eerste dag in."))
    einde = datumveld(_("Laatste dag"), verplicht_bericht=_("Vul de laatste dag in."))


# --- classes ----------------------------------------------------------------------


class KlasForm(forms.Form):
    naam = _naamveld(Klas, _("Naam"), _("Geef de klas een naam."), _("bv. 3A"))
    leerjaar = forms.TypedChoiceField(
        label=_("Leerjaar"),
        choices=[("", "---------")] + [(n, str(n)) for n in range(1, 8)],
        coerce=int,
        error_messages={
            "required": _("Kies een leerjaar van 1 tot en met 7."),
            "invalid_choice": _("Kies een leerjaar van 1 tot en met 7."),
        },
    )
    campus = forms.ModelChoiceField(
        label=_("Campus"),
        queryset=Campus.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Kies een campus van deze school.")},
    )
    klastitularissen = forms.ModelMultipleChoiceField(
        label=_("Klastitularissen"),
        queryset=Campus.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Kies als klastitularis een actieve leerkracht van deze school."),
            "invalid_pk_value": _("Kies als klastitularis een actieve leerkracht van deze school."),
        },
    )

    def __init__(self, *args, campussen, leerkrachten, **kwargs):
        """`campussen` and `leerkrachten`: the school's campuses and the
        people the policy lets the class name as class teacher."""
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = campussen
        self.fields["klastitularissen"].queryset = leerkrachten
        self.fields["klastitularissen"].label_from_instance = lambda u: u.get_full_name() or u.email


class KlasToevoegenForm(EenmaligForm, KlasForm):
    pass


class KlasWijzigenForm(KlasForm, VersieForm):
    pass


# --- teaching assignments --------------------------------------------------------


class LesopdrachtForm(EenmaligForm):
    leerkracht = forms.ModelChoiceField(
        label=_("Leerkracht"),
        queryset=Vak.objects.none(),
        error_messages={
            "required": _("Kies een leerkracht."),
            "invalid_choice": _("Kies een actieve leerkracht van deze school."),
        },
    )
    vak = forms.ModelChoiceField(
        label=_("Vak"),
        queryset=Vak.objects.none(),
        error_messages={
            "required": _("Kies een vak."),
            "invalid_choice": _("Kies een vak van deze school."),
        },
    )

    def __init__(self, *args, leerkrachten, vakken, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leerkracht"].queryset = leerkrachten
        self.fields["leerkracht"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["vak"].queryset = vakken


# --- the measure catalogue -------------------------------------------------------


class CatalogusItemForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort (STICORDI)"),
        choices=[("", "---------"), *MaatregelSoort.choices],
        error_messages={
            "required": _("Kies een soort maatregel."),
            "invalid_choice": _("Kies een soort maatregel (STICORDI)."),
        },
    )
    titel = forms.CharField(
        label=_("Maatregel"),
        max_length=MaatregelCatalogusItem._meta.get_field("titel").max_length * 2,
        error_messages={
            "required": _("Geef de maatregel een titel."),
            "max_length": _("Deze titel is te lang."),
        },
    )
    omschrijving = forms.CharField(
        label=_("Omschrijving"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    bereik = forms.ChoiceField(
        label=_("Geldt meestal voor"),
        choices=Bereik.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies voor welke vakken de maatregel meestal geldt."),
            "invalid_choice": _("Kies voor welke vakken de maatregel meestal geldt."),
        },
    )
    domeinen = DomeinenField()


class CatalogusItemToevoegenForm(EenmaligForm, CatalogusItemForm):
    pass


class CatalogusItemWijzigenForm(CatalogusItemForm, VersieForm):
    pass
