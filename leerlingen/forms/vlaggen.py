"""The flag form on the class page: a few taps on a tablet. It checks the
shape (students of this class, a colour, a moment); the service applies the
rules."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..models import VlagBetrokkene, VlagKleur
from ..services.vlaggen import TEKST_MAX, VLAG_FORMULIER

KLEUREN = [
    (VlagKleur.GROEN, _("Groen"), _("steunt het eigen leren en dat van anderen")),
    (VlagKleur.GEEL, _("Geel"), _("hindert het eigen leren of welbevinden")),
    (VlagKleur.ORANJE, _("Oranje"), _("hindert het eigen leren en dat van anderen")),
    (VlagKleur.ROOD, _("Rood"), _("lesgeven wordt onmogelijk: het zorgteam komt tussen")),
]
ROLLEN = VlagBetrokkene.Rol.choices
MOMENT_FORMAAT = "%Y-%m-%dT%H:%M"


def _nu() -> str:
    return timezone.localtime().strftime(MOMENT_FORMAAT)


def _tekstveld(label, help_text=""):
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEKST_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "De tekst is te lang: maximaal %(limit_value)d tekens, nu %(show_value)d."
            )
        },
    )


class VlagForm(EenmaligForm):
    """The students and the colour are drawn by the template as large touch
    targets; crispy draws the rest."""

    leerlingen = forms.TypedMultipleChoiceField(coerce=int, label=_("Leerlingen"))
    kleur = forms.ChoiceField(
        label=_("Kleur"),
        choices=[(waarde, label) for waarde, label, _uitleg in KLEUREN],
        error_messages={
            "required": _("Kies een kleur: groen, geel, oranje of rood."),
            "invalid_choice": _("Kies een kleur: groen, geel, oranje of rood."),
        },
    )
    vak = forms.TypedChoiceField(
        label=_("Les of vak"), coerce=int, required=False, empty_value=None
    )
    moment = forms.DateTimeField(
        label=_("Moment"),
        initial=_nu,
        input_formats=[MOMENT_FORMAAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAAT),
        error_messages={
            "required": _("Geef het moment van het voorval."),
            "invalid": _("Geef een geldig moment (datum en uur)."),
        },
    )
    omschrijving = _tekstveld(
        _("Wat gebeurde er?"), _("Verplicht bij oranje en rood. Eén beschrijving voor iedereen.")
    )
    reeds_gedaan = _tekstveld(_("Wat deed je al?"))
    eenmalig_formulier = VLAG_FORMULIER

    def __init__(self, *args, leerlingen, vakken, klas, **kwargs):
        kwargs.setdefault("auto_id", "vlag_%s")
        super().__init__(*args, **kwargs)
        self.klasleerlingen = list(leerlingen)
        self.rollen = ROLLEN
        self.vakken = {vak.pk: vak for vak in vakken}
        klasfout = _("Kies enkel leerlingen uit klas %(klas)s.") % {"klas": klas.naam}
        veld = self.fields["leerlingen"]
        veld.choices = [(leerling.pk, leerling.volledige_naam) for leerling in self.klasleerlingen]
        veld.error_messages = {
            **veld.error_messages,
            "required": _("Kies minstens één leerling."),
            "invalid_choice": klasfout,
            "invalid_list": klasfout,
        }
        vak = self.fields["vak"]
        vak.choices = [("", _("— geen vak —"))] + [(v.pk, v.naam) for v in vakken]
        vak.error_messages = {
            **vak.error_messages,
            "invalid_choice": _("Kies een vak van deze klas."),
        }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The template draws subject and moment above the students (both
        # have defaults); crispy draws what follows the colour.
        self.helper.layout = Layout("omschrijving", "reeds_gedaan", "sleutel")

    def clean(self):
        cleaned = super().clean()
        rollen = {}
        for pk in cleaned.get("leerlingen") or []:
            rol = self.data.get(f"rol_{pk}") or VlagBetrokkene.Rol.BETROKKEN
            if rol not in VlagBetrokkene.Rol.values:
                self.add_error("leerlingen", _("Kies voor elke leerling een geldige rol."))
                break
            rollen[pk] = rol
        cleaned["rollen"] = rollen
        return cleaned

    def leerlingen_met_rol(self) -> list:
        """(Leerling, rol) for the chosen students, from the class's own list."""
        per_pk = {leerling.pk: leerling for leerling in self.klasleerlingen}
        rollen = self.cleaned_data["rollen"]
        return [(per_pk[pk], rollen[pk]) for pk in self.cleaned_data["leerlingen"]]

    def gekozen_vak(self):
        return self.vakken.get(self.cleaned_data.get("vak"))

    # --- for the template: what to draw, decided here ------------------------

    def leerlingrijen(self) -> list[dict]:
        gekozen = {str(v) for v in (self["leerlingen"].value() or [])}
        rijen = []
        for leerling in self.klasleerlingen:
            rol = (self.data.get(f"rol_{leerling.pk}") if self.is_bound else None) or (
                VlagBetrokkene.Rol.BETROKKEN
            )
            rijen.append(
                {
                    "leerling": leerling,
                    "gekozen": str(leerling.pk) in gekozen,
                    "rol": rol,
                }
            )
        return rijen

    def kleurknoppen(self) -> list[dict]:
        gekozen = self["kleur"].value()
        return [
            {"waarde": waarde, "label": label, "uitleg": uitleg, "gekozen": waarde == gekozen}
            for waarde, label, uitleg in KLEUREN
        ]
