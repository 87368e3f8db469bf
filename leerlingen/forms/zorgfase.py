"""Forms for a move in the care continuum and a referral to the CLB. They
check the shape of the input; the rules (no skipping up, a question for
help, the consultation before IAC) are the service's."""

from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import Zorgfase
from ..services.zorgfase import BESLIST_WAAR_MAX, FaseKeuze, verouderd_bericht

REDEN_MAX = 4000
HULPVRAAG_MAX = 4000


def _label(fase: Zorgfase, huidig: Zorgfase) -> str:
    if fase.nummer < huidig.nummer:
        return _("%(fase)s (afschaling)") % {"fase": fase}
    return str(fase)


class _FaseVeld(forms.TypedChoiceField):
    """Offers the allowed moves only, yet lets any phase of the continuum
    through: a blocked one (a tampered post, or a form opened before the
    record changed) then reaches the rules, which refuse it with their
    reason rather than with "not one of the available choices"."""

    continuum: frozenset[str] = frozenset()

    def valid_value(self, value):
        return str(value) in self.continuum


class ZorgfaseWijzigenForm(forms.Form):
    """The phases come from the view as a list (the continuum of the
    student's school type) with the moves the rules allow
    (`services.zorgfase.fase_keuzes`), so rendering runs no query."""

    van = forms.TypedChoiceField(coerce=int, widget=forms.HiddenInput)
    naar = _FaseVeld(
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

    def __init__(self, *args, leerling, fasen: list[Zorgfase], keuzes: list[FaseKeuze], **kwargs):
        """`fasen`: the continuum of the student's school type, in order;
        `keuzes`: `fase_keuzes` for the student on those phases."""
        kwargs.setdefault("initial", {}).setdefault("van", leerling.zorgfase_id)
        super().__init__(*args, **kwargs)
        self.leerling = leerling
        huidig = leerling.zorgfase
        self.fasen = {fase.pk: fase for fase in fasen}
        self.fields["van"].choices = [(fase.pk, str(fase)) for fase in fasen]
        naar = self.fields["naar"]
        naar.choices = [(k.fase.pk, _label(k.fase, huidig)) for k in keuzes if k.toegestaan]
        naar.continuum = frozenset(str(pk) for pk in self.fasen)
        self.niet_aangeboden = [k for k in keuzes if not k.toegestaan]
        if self.niet_aangeboden:
            # Under the choices, so whoever misses a phase reads why.
            naar.help_text = format_html(
                '{}<span class="d-block mt-2">{}</span>'
                '<ul class="mb-0" data-testid="niet-aangeboden">{}</ul>',
                naar.help_text,
                _("Niet aangeboden:"),
                format_html_join(
                    "",
                    "<li>{} — {}</li>",
                    ((k.fase, k.kort) for k in self.niet_aangeboden),
                ),
            )
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
