"""Forms for a move in the care continuum and a referral to the CLB. They
check the shape of the input; the rules (no skipping up, a question for
help, the consultation before IAC) are the service's."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm

from ..models import Zorgfase
from ..services.zorgfase import BESLIST_WAAR_MAX, verouderd_bericht
from .velden import datumveld

REDEN_MAX = 4000
HULPVRAAG_MAX = 4000


def _label(fase: Zorgfase, huidig: Zorgfase) -> str:
    if fase.nummer < huidig.nummer:
        return _("%(fase)s (afschaling)") % {"fase": fase}
    return str(fase)


class ZorgfaseWijzigenForm(forms.Form):
    """The phases come from the view as a list (the continuum of the
    student's school type), so rendering the choices runs no query."""

    van = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    naar = forms.TypedChoiceField(
        label=_("Nieuwe zorgfase"),
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("Opschalen gaat één fase tegelijk; afschalen mag meerdere fasen tegelijk."),
    )
    datum = datumveld(_("Datum van de beslissing"), initial=timezone.localdate)
    reden = forms.CharField(
        label=_("Reden"),
        max_length=REDEN_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Waarom past deze fase nu beter? Enkel het zorgteam leest de reden."),
    )
    beslist_waar = forms.CharField(
        label=_("Beslist op"),
        max_length=BESLIST_WAAR_MAX,
        help_text=_("bv. begeleidende klassenraad, cel leerlingbegeleiding, overleg met ouders"),
    )
    hulpvraag = forms.CharField(
        label=_("Hulpvraag aan het CLB"),
        required=False,
        max_length=HULPVRAAG_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Verplicht bij een overgang naar uitbreiding van zorg: de school meldt de "
            "leerling dan aan bij het CLB met deze vraag."
        ),
    )
    maatregelen_ontoereikend = forms.BooleanField(
        label=_("Eerdere maatregelen volstonden niet"),
        required=False,
        help_text=_(
            "Bij een overgang naar een individueel aangepast curriculum: vink minstens één "
            "grond aan en licht die toe in de reden. Er moet ook een oudergesprek van de "
            "voorbije 12 maanden in het dossier staan, en een overleg of schriftelijk consult "
            "van het CLB van de voorbije 12 maanden of een HGD-traject met een verslag voor "
            "een IAC."
        ),
    )
    welbevinden_in_gedrang = forms.BooleanField(
        label=_("Het welbevinden van de leerling komt in het gedrang"),
        required=False,
    )

    def __init__(self, *args, leerling, fasen: list[Zorgfase], **kwargs):
        """`fasen`: the continuum of the student's school type, in order."""
        kwargs.setdefault("initial", {}).setdefault("van", leerling.zorgfase_id)
        super().__init__(*args, **kwargs)
        self.leerling = leerling
        huidig = leerling.zorgfase
        self.fasen = {fase.pk: fase for fase in fasen}
        self.fields["van"].choices = [(fase.pk, str(fase)) for fase in fasen]
        self.fields["naar"].choices = [
            (fase.pk, _label(fase, huidig)) for fase in fasen if fase.pk != huidig.pk
        ]
        soorten = {fase.soort for fase in fasen}
        # A continuum without extended care (DKO) has no referral step, and
        # one without IAC no grounds to give.
        if Zorgfase.Soort.UITBREIDING not in soorten:
            del self.fields["hulpvraag"]
        if Zorgfase.Soort.IAC not in soorten:
            del self.fields["maatregelen_ontoereikend"]
            del self.fields["welbevinden_in_gedrang"]

    def clean_van(self):
        return self.fasen[self.cleaned_data["van"]]

    def clean_naar(self):
        return self.fasen[self.cleaned_data["naar"]]

    def clean(self):
        data = super().clean()
        if "van" in self.errors:
            # A hidden field: its own error would not show.
            self.add_error(
                None,
                _("Dit formulier hoort niet (meer) bij deze leerling. Open het opnieuw."),
            )
        elif data.get("van") is not None and data["van"].pk != self.leerling.zorgfase_id:
            # The student moved since this form was opened; the phase chosen
            # may no longer be on offer. Say why, not "invalid choice".
            self.errors.pop("naar", None)
            self.add_error(None, verouderd_bericht(self.leerling))
        return data


class NieuweZorgfaseWijzigingForm(EenmaligForm, ZorgfaseWijzigenForm):
    """The phase change page's form: saved once, however often sent."""


class AanmeldingForm(EenmaligForm):
    hulpvraag = forms.CharField(
        label=_("Hulpvraag aan het CLB"),
        max_length=HULPVRAAG_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wat wil de school samen met het CLB uitzoeken of bereiken? Beschrijf ook wat al "
            "geprobeerd werd."
        ),
    )
    datum = datumveld(_("Datum van de aanmelding"), initial=timezone.localdate)
