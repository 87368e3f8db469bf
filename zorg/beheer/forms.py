from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import PATROONKLEUREN, School, VrijePeriode
from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

KLEURLABELS = {"geel": _("geel"), "oranje": _("oranje"), "rood": _("rood")}

# The settings page's fields, in the order the page shows them.
INSTELLINGEN = [
    "zorgcel_weekdag",
    "zorgcel_uur",
    "agenda_voorselectie",
    "evaluatieperiode_weken",
    "patroon_aantal",
    "patroon_dagen",
    "patroon_kleuren",
    "escalatie_minuten",
    "herinnering_evaluatie_dagen",
    "herinnering_doel_dagen",
    "achterstallig_escalatie_dagen",
    "digest_uur",
    "sessie_inactief_minuten",
    "afwezigheid_drempel",
    "portaal_aan",
    "bewaring_schooljaren",
]


class SchoolinstellingenForm(forms.ModelForm):
    versie = forms.IntegerField(widget=forms.HiddenInput)
    patroon_kleuren = forms.MultipleChoiceField(
        label=_("Kleuren die een patroon vormen"),
        choices=[(kleur, KLEURLABELS[kleur]) for kleur in PATROONKLEUREN],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één kleur.")},
    )

    class Meta:
        model = School
        fields = INSTELLINGEN
        widgets = {
            "zorgcel_uur": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "digest_uur": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, alleen_lezen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["versie"] = self.instance.versie
        if alleen_lezen:
            for veld in self.fields.values():
                veld.disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("zorgcel_uur") and cleaned.get("zorgcel_weekdag") is None:
            self.add_error("zorgcel_weekdag", _("Kies de dag waarop de cel samenkomt."))
        return cleaned


# --- the school-year calendar -----------------------------------------------------


class VrijePeriodeForm(forms.Form):
    """A free period's name and days. The rules (a name, the last day not
    before the first, both in the school year) are the service's
    (`vrije_periode_controleren`), which the view puts on this form."""

    naam = forms.CharField(
        label=_("Naam"),
        max_length=VrijePeriode._meta.get_field("naam").max_length,
        error_messages={"required": _("Geef de vrije periode een naam.")},
        help_text=_("bv. Pedagogische studiedag"),
    )
    begin = datumveld(_("Eerste vrije dag"), verplicht_bericht=_("Vul de eerste vrije dag in."))
    einde = datumveld(
        _("Laatste vrije dag"),
        verplicht_bericht=_("Vul de laatste vrije dag in."),
        help_text=_("Dezelfde dag als de eerste voor één vrije dag."),
    )


class VrijePeriodeToevoegenForm(EenmaligForm, VrijePeriodeForm):
    """Adding: a double click or a resubmit adds the period once."""


class VrijePeriodeWijzigenForm(VrijePeriodeForm):
    versie = forms.IntegerField(widget=forms.HiddenInput)


class KalenderVersieForm(forms.Form):
    """The calendar's version a delete or reset button was shown at."""

    versie = forms.IntegerField(widget=forms.HiddenInput)
