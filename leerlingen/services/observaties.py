"""Observations: dated notes by teachers and the care team, in one or more
guidance domains, marked as a strength or a concern.

The author may still change an observation for a short while
(`settings.ZORG_OBSERVATIE_BEWERKTERMIJN`); after that it is part of the
record as written, and a correction is a new observation that points at the
one it corrects. A broken rule raises a `ValidationError` keyed by form field
(or `__all__`), in Dutch, and writes nothing."""

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from .. import domeinen as domeinen_mod
from ..models import Leerling, Observatie, ObservatieSoort, TijdlijnItem, Zichtbaarheid
from .tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren

TEKST_MAX = Observatie._meta.get_field("tekst").max_length
# The fields an edit may change, in the order the form shows them.
VELDEN = ("tekst", "soort", "domeinen", "datum", "zichtbaarheid")


def _controleren(
    *,
    datum: datetime.date,
    domeinen: int,
    soort: str,
    tekst: str,
    zichtbaarheid: str,
    corrigeert: Observatie | None,
) -> dict:
    """The cleaned values, or a ValidationError listing every broken rule."""
    fouten: dict[str, list[str]] = {}

    def fout(veld, bericht):
        fouten.setdefault(veld, []).append(bericht)

    tekst = (tekst or "").strip()
    if not tekst:
        fout("tekst", _("Schrijf wat je observeerde."))
    elif len(tekst) > TEKST_MAX:
        fout(
            "tekst",
            _("De observatie is te lang: maximaal %(max)d tekens, nu %(aantal)d.")
            % {"max": TEKST_MAX, "aantal": len(tekst)},
        )
    elif "\x00" in tekst:
        fout("tekst", _("De tekst bevat een ongeldig teken."))
    if not domeinen or domeinen & ~domeinen_mod.ALLE:
        fout("domeinen", _("Kies minstens één begeleidingsdomein."))
    if datum is None:
        fout("datum", _("Geef de datum van de observatie."))
    elif datum > timezone.localdate():
        fout("datum", _("De datum ligt in de toekomst: noteer wat je al observeerde."))
    if soort not in ObservatieSoort.values:
        fout("soort", _("Kies of het om een sterkte of een zorg gaat."))
    if zichtbaarheid not in Zichtbaarheid.values:
        fout("zichtbaarheid", _("Kies wie deze observatie mag lezen."))
    elif (
        corrigeert is not None
        and corrigeert.zichtbaarheid == Zichtbaarheid.ZORGTEAM
        and zichtbaarheid != Zichtbaarheid.ZORGTEAM
    ):
        # Otherwise the class team would read a correction of a note it may
        # not read.
        fout(
            "zichtbaarheid",
            _(
                "De oorspronkelijke observatie is enkel voor het zorgteam: "
                "de correctie blijft dat ook."
            ),
        )
    if fouten:
        raise ValidationError(fouten)
    return {
        "datum": datum,
        "domeinen": domeinen,
        "soort": soort,
        "tekst": tekst,
        "zichtbaarheid": zichtbaarheid,
    }


def _datum_tekst(datum: datetime.date) -> str:
    return formats.date_format(datum, "j F Y")


def _tijdlijn_velden(observatie: Observatie) -> dict:
    # The record is kept in the school's language, whatever the writer's UI.
    with translation.override(settings.LANGUAGE_CODE):
        if observatie.corrigeert_id:
            titel = _("Correctie van de observatie van %(datum)s") % {
                "datum": _datum_tekst(observatie.corrigeert.datum)
            }
        elif observatie.soort == ObservatieSoort.STERKTE:
            titel = _("Observatie: sterkte")
        else:
            titel = _("Observatie: zorg")
    return {
        "datum": observatie.datum,
        "titel": titel,
        "tekst": observatie.tekst,
        "domeinen": observatie.domeinen,
        "zichtbaarheid": observatie.zichtbaarheid,
        "is_sterkte": observatie.soort == ObservatieSoort.STERKTE,
    }


def observatie_url(observatie: Observatie) -> str:
    lijst = reverse("leerlingen:observatie_lijst", args=[observatie.leerling_id])
    return f"{lijst}#observatie-{observatie.pk}"


@transaction.atomic
def observatie_maken(
    *,
    leerling: Leerling,
    auteur,
    datum: datetime.date,
    domeinen: int,
    soort: str,
    tekst: str,
    zichtbaarheid: str,
    corrigeert: Observatie | None = None,
) -> Observatie:
    """Record an observation (or, with `corrigeert`, a correction of an
    earlier one of the same student), its timeline entry and an audit
    event."""
    if corrigeert is not None and corrigeert.leerling_id != leerling.pk:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Je kan enkel een observatie van dezelfde leerling corrigeren.")]}
        )
    waarden = _controleren(
        datum=datum,
        domeinen=domeinen,
        soort=soort,
        tekst=tekst,
        zichtbaarheid=zichtbaarheid,
        corrigeert=corrigeert,
    )
    if corrigeert is not None and all(
        getattr(corrigeert, veld) == waarde for veld, waarde in waarden.items()
    ):
        raise ValidationError(
            {"tekst": [_("De correctie is gelijk aan de oorspronkelijke observatie.")]}
        )
    observatie = Observatie.objects.create(
        leerling=leerling, auteur=auteur, corrigeert=corrigeert, **waarden
    )
    tijdlijn_registreren(
        leerling=leerling,
        soort=TijdlijnItem.Soort.OBSERVATIE,
        bron=observatie,
        auteur=auteur,
        url=observatie_url(observatie),
        **_tijdlijn_velden(observatie),
    )
    # Neither kind nor audience: the trail is read by the functional
    # administrator, who may not read care content.
    omschrijving = f"corrigeert observatie {corrigeert.pk}" if corrigeert is not None else ""
    audit_vastleggen(
        gebruiker=auteur,
        actie=Actie.AANMAKEN,
        onderwerp="observatie",
        leerlingen=[leerling],
        object_id=observatie.pk,
        omschrijving=omschrijving,
    )
    return observatie


def bewerktermijn_voorbij(observatie: Observatie, nu: datetime.datetime | None = None) -> bool:
    nu = nu or timezone.now()
    return nu - observatie.aangemaakt > settings.ZORG_OBSERVATIE_BEWERKTERMIJN


def termijn_voorbij_bericht() -> str:
    minuten = int(settings.ZORG_OBSERVATIE_BEWERKTERMIJN.total_seconds() // 60)
    return _(
        "Een observatie kan je maar %(minuten)d minuten na het noteren wijzigen. "
        "Voeg een correctie toe: de oorspronkelijke observatie blijft bewaard."
    ) % {"minuten": minuten}


@transaction.atomic
def observatie_bewerken(
    *,
    observatie: Observatie,
    door,
    datum: datetime.date,
    domeinen: int,
    soort: str,
    tekst: str,
    zichtbaarheid: str,
) -> Observatie:
    """Change an observation in place: only its author, only within the edit
    window, and not once it was corrected. Updates the timeline entry and
    audits the changed fields; a save that changes nothing writes nothing."""
    # The lock makes the window check and the write one step.
    actueel = (
        Observatie.objects.select_for_update(of=("self",))
        .select_related("leerling", "corrigeert")
        .get(pk=observatie.pk)
    )
    if actueel.auteur_id != getattr(door, "pk", None):
        raise PermissionDenied("Only the author edits an observation")
    if bewerktermijn_voorbij(actueel):
        raise ValidationError({NON_FIELD_ERRORS: [termijn_voorbij_bericht()]})
    if actueel.correcties.exists():
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "Deze observatie werd al gecorrigeerd en kan je niet meer wijzigen. "
                        "Voeg een nieuwe correctie toe."
                    )
                ]
            }
        )
    waarden = _controleren(
        datum=datum,
        domeinen=domeinen,
        soort=soort,
        tekst=tekst,
        zichtbaarheid=zichtbaarheid,
        corrigeert=actueel.corrigeert,
    )
    gewijzigd = [veld for veld in VELDEN if getattr(actueel, veld) != waarden[veld]]
    if not gewijzigd:
        return actueel
    for veld in gewijzigd:
        setattr(actueel, veld, waarden[veld])
    actueel.save(update_fields=[*gewijzigd, "gewijzigd"])
    tijdlijn_bijwerken(bron=actueel, **_tijdlijn_velden(actueel))
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="observatie",
        leerlingen=[actueel.leerling],
        object_id=actueel.pk,
        velden=gewijzigd,
    )
    return actueel
