"""The forms of the CLB's trajectory work. They check the shape of the input
(a known choice, a date, a length); the rules (a lead of this CLB, a review
date ahead, a running trajectory, ...) are clb.services.trajecten's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zorg.eenmalig.forms import EenmaligForm
from zorg.formulieren import datumveld

from ..models import Behoefte, Betrokkene, Doel, Doeltermijn, Laag, Trajectnotitie, Trajectstap
from ..models import Uitkomst as UitkomstKeuze
from ..services import trajecten as services

ONVOLLEDIG = _("Het formulier is onvolledig. Laad de pagina opnieuw.")
LAAG_BERICHT = _("Kies wie dit mag lezen: gedeeld met de school of enkel het CLB.")
LAAG_KEUZES = [
    (Laag.GEDEELD, _("Gedeeld met de school")),
    (Laag.CLB, _("Enkel CLB (vertrouwelijk, de school ziet dit nooit)")),
]
# What the `soort` of a layer change names.
LAAG_SOORTEN = [("doel", _("doel")), ("behoefte", _("behoefte")), ("notitie", _("notitie"))]


def _te_lang():
    return _("Deze tekst is te lang: hoogstens %(limit_value)d tekens, nu %(show_value)d.")


def _versieveld():
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": ONVOLLEDIG, "invalid": ONVOLLEDIG, "min_value": ONVOLLEDIG},
    )


def _keuze(label, keuzes, bericht, **kwargs):
    return forms.ChoiceField(
        label=label,
        choices=keuzes,
        error_messages={"required": bericht, "invalid_choice": bericht},
        **kwargs,
    )


def _tekstveld(label, maximum, bericht=None, *, rijen=4, required=True, **kwargs):
    return forms.CharField(
        label=label,
        max_length=maximum,
        required=required,
        widget=forms.Textarea(attrs={"rows": rijen}),
        error_messages={"required": bericht or _("Vul dit veld in."), "max_length": _te_lang()},
        **kwargs,
    )


def _laagveld(**kwargs):
    return _keuze(
        _("Wie mag dit lezen?"),
        LAAG_KEUZES,
        LAAG_BERICHT,
        widget=forms.RadioSelect,
        initial=Laag.GEDEELD,
        **kwargs,
    )


def _met_leeg(keuzes):
    return [("", _("— kies —")), *keuzes]


class AanvaardenForm(EenmaligForm):
    """Accept a referral: who of the CLB leads the trajectory. The choices
    are the CLB's active staff, an evaluated list handed in by the view."""

    begeleider = forms.TypedChoiceField(
        label=_("Trajectbegeleider"),
        coerce=int,
        help_text=_("De CLB-medewerker die het HGD-traject leidt."),
        error_messages={
            "required": _("Kies de trajectbegeleider."),
            "invalid_choice": _("Kies als trajectbegeleider een actieve medewerker van het CLB."),
        },
    )

    def __init__(self, *args, medewerkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.medewerkers = {u.pk: u for u in medewerkers}
        self.fields["begeleider"].choices = [
            (u.pk, u.get_full_name() or u.email) for u in medewerkers
        ]

    def gekozen_begeleider(self):
        return self.medewerkers.get(self.cleaned_data["begeleider"])


class TrajectForm(forms.Form):
    stap = _keuze(
        _("Stap"),
        Trajectstap.choices,
        _("Kies een stap van het traject."),
        help_text=_("Een stap terug mag ook; het onderzoek is niet altijd nodig."),
    )
    hulpvraag = _tekstveld(
        _("Hulpvraag"),
        services.HULPVRAAG_MAX,
        _("Formuleer de hulpvraag."),
        help_text=_("Gedeeld met de school."),
    )
    perspectief = _tekstveld(
        _("Perspectief op lange termijn"),
        services.PERSPECTIEF_MAX,
        required=False,
        help_text=_("Gedeeld met de school."),
    )
    versie = _versieveld()


class DoelForm(EenmaligForm):
    termijn = _keuze(_("Termijn"), Doeltermijn.choices, _("Kies de termijn van het doel."))
    omschrijving = _tekstveld(_("Doel"), services.DOEL_MAX, _("Omschrijf het doel."), rijen=3)
    evaluatiedatum = datumveld(
        _("Evaluatiedatum"),
        verplicht_bericht=_("Geef elk doel een evaluatiedatum."),
        help_text=_("Wanneer bekijken we of het doel bereikt is? Vandaag of later."),
    )
    laag = _laagveld()


class DoelBewerkenForm(forms.Form):
    status = _keuze(_("Status"), Doel.Status.choices, _("Kies de status van het doel."))
    omschrijving = _tekstveld(_("Doel"), services.DOEL_MAX, _("Omschrijf het doel."), rijen=3)
    evaluatiedatum = datumveld(
        _("Evaluatiedatum"), verplicht_bericht=_("Geef elk doel een evaluatiedatum.")
    )
    laag = _laagveld()
    versie = _versieveld()


class BehoefteForm(EenmaligForm):
    soort = _keuze(_("Soort"), _met_leeg(Behoefte.Soort.choices), _("Kies het soort behoefte."))
    van = _keuze(
        _("Van wie"),
        Behoefte.Van.choices,
        _("Kies van wie de behoefte is: de leerling of de context."),
        widget=forms.RadioSelect,
        initial=Behoefte.Van.LEERLING,
    )
    omschrijving = _tekstveld(
        _("Behoefte"), services.BEHOEFTE_MAX, _("Omschrijf de behoefte."), rijen=3
    )
    laag = _laagveld()


class NotitieForm(EenmaligForm):
    soort = _keuze(
        _("Soort"), _met_leeg(Trajectnotitie.Soort.choices), _("Kies het soort notitie.")
    )
    datum = datumveld(_("Datum"), verplicht_bericht=_("Vul de datum in."))
    tekst = _tekstveld(
        _("Tekst"), services.NOTITIE_MAX, _("Schrijf de tekst van de notitie."), rijen=6
    )
    deelnemers = forms.CharField(
        label=_("Deelnemers"),
        required=False,
        max_length=services.DEELNEMERS_MAX,
        help_text=_("Bij een overleg of afspraak: wie was erbij?"),
        error_messages={"max_length": _te_lang()},
    )
    laag = _keuze(
        _("Wie mag dit lezen?"),
        [
            (
                "",
                _(
                    "Standaard voor dit soort: advies en afspraken gedeeld met de school, "
                    "al het andere enkel CLB"
                ),
            ),
            *LAAG_KEUZES,
        ],
        LAAG_BERICHT,
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )

    def __init__(self, *args, soort: str | None = None, **kwargs):
        """`soort`: a kind to preselect (?soort=advies), with its default
        layer."""
        super().__init__(*args, **kwargs)
        if soort in Trajectnotitie.Soort.values:
            self.fields["soort"].initial = soort
            self.fields["laag"].initial = services.standaard_laag(soort)


class BetrokkeneForm(EenmaligForm):
    soort = _keuze(
        _("Wie"),
        _met_leeg(Betrokkene.Soort.choices),
        _("Kies wie deelneemt: leerling, ouders, school of een partner."),
    )
    naam = forms.CharField(
        label=_("Naam"),
        max_length=services.NAAM_MAX,
        error_messages={"required": _("Vul de naam in."), "max_length": _te_lang()},
    )
    rol = forms.CharField(
        label=_("Rol of organisatie"),
        required=False,
        max_length=services.ROL_MAX,
        help_text=_("Bv. moeder, klastitularis, leersteuncentrum Leieland."),
        error_messages={"max_length": _te_lang()},
    )


class LaagForm(forms.Form):
    """Switch the layer of one entry of the trajectory."""

    soort = _keuze(_("Soort"), LAAG_SOORTEN, ONVOLLEDIG)
    id = forms.IntegerField(
        min_value=1,
        error_messages={"required": ONVOLLEDIG, "invalid": ONVOLLEDIG, "min_value": ONVOLLEDIG},
    )
    laag = _keuze(_("Wie mag dit lezen?"), LAAG_KEUZES, LAAG_BERICHT)


class AfsluitenForm(forms.Form):
    uitkomst = _keuze(
        _("Uitkomst"),
        UitkomstKeuze.choices,
        _("Kies de uitkomst van het traject."),
        widget=forms.RadioSelect,
    )
    toelichting = _tekstveld(
        _("Toelichting bij de uitkomst"),
        services.PERSPECTIEF_MAX,
        required=False,
        help_text=_("Gedeeld met de school: het zorgteam leest deze toelichting."),
    )
    versie = _versieveld()


class TrajectFilterForm(forms.Form):
    """The list's filter (GET): running, closed or all; only mine."""

    LOPEND, AFGESLOTEN, ALLE = "lopend", "afgesloten", "alle"
    status = forms.ChoiceField(
        label=_("Toon"),
        required=False,
        choices=[
            (LOPEND, _("lopende trajecten")),
            (AFGESLOTEN, _("afgesloten trajecten")),
            (ALLE, _("alle trajecten")),
        ],
    )
    mijn = forms.BooleanField(label=_("Enkel trajecten die ik begeleid"), required=False)

    def waarden(self) -> tuple[str, bool]:
        if not self.is_valid():
            return self.LOPEND, False
        return self.cleaned_data["status"] or self.LOPEND, self.cleaned_data["mijn"]
