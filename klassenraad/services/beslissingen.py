"""Decisions that write. A decision about a student at a meeting does what it
says through the services of the care record (a measure started, adjusted
or stopped, a phase change, a referral to the CLB), may carry an action
item, and lands on the student's timeline with a link to the meeting, all
in one transaction: when any part is refused, nothing is saved.

Refusals are ValidationErrors keyed on the form's field names: `leerling`,
`tekst`, `maatregel` and non-field errors here; the care record's own keys
(a measure's fields, `naar`/`hulpvraag` of a phase change, `reden`) from
its services; ActiepuntFout for the action item's fields; VerouderdeVersie
(zorg.versies) with the saved measure when the measure to adjust or stop
changed since the form was opened.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from leerlingen.models import (
    Aanmelding,
    Leerling,
    Maatregel,
    MaatregelCatalogusItem,
    TijdlijnItem,
    Zorgfase,
)
from leerlingen.services import maatregelen as maatregel_services
from leerlingen.services import zorgfase as zorgfase_services
from leerlingen.services.maatregelen import OPEN_STATUSSEN, MaatregelGegevens
from leerlingen.services.tijdlijn import tijdlijn_registreren
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, vergrendelen, versie_controleren

from ..models import Agendapunt, Beslissing, BeslissingSoort, Overleg, OverlegSoort
from .actiepunten import ActiepuntFout, ActiepuntGegevens, actiepunt_maken

__all__ = [
    "ActiepuntFout",
    "ActiepuntGegevens",
    "beslissing_registreren",
]

TEKST_MAX = Beslissing._meta.get_field("tekst").max_length
# A parent talk agreed at a meeting is an action item for whoever plans it.
OUDERGESPREK_OMSCHRIJVING = gettext_lazy("Oudergesprek plannen en voeren")
MET_ACTIEPUNT = frozenset({BeslissingSoort.ACTIEPUNT, BeslissingSoort.OUDERGESPREK})
# Meetings named with "het" in Dutch; the others take "de".
_HET = frozenset({OverlegSoort.MDO, OverlegSoort.OUDERS})


NIET_OP_AGENDA = gettext_lazy(
    "Deze leerling staat niet op de agenda van dit overleg. Zet hem eerst op de agenda."
)


def afgesloten_bericht() -> str:
    return _(
        "Dit overleg is afgesloten: er kunnen geen beslissingen meer bij. Een correctie "
        "noteer je als aanvulling bij het verslag."
    )


def _maatregel_gewijzigd(huidig: Maatregel) -> str:
    """The refusal when the measure to adjust or stop changed since the
    form was opened (VerouderdeVersie carries the saved measure)."""
    return _(
        "Iemand anders wijzigde deze maatregel intussen. Bekijk wat nu bewaard "
        "is en bewaar opnieuw als je beslissing blijft."
    )


def beslisdatum(overleg: Overleg) -> datetime.date:
    """The date a decision takes: the meeting's day, or today for a
    meeting recorded ahead of its planned day (the care record refuses
    decisions dated in the future)."""
    return min(timezone.localdate(overleg.moment), timezone.localdate())


def tijdlijntitel(overleg: Overleg, soort: str) -> str:
    waarden = {
        "overleg": overleg.get_soort_display(),
        "datum": timezone.localtime(overleg.moment).strftime("%d/%m/%Y"),
        "soort": BeslissingSoort(soort).label,
    }
    if overleg.soort in _HET:
        return _("Beslissing op het %(overleg)s van %(datum)s: %(soort)s") % waarden
    return _("Beslissing op de %(overleg)s van %(datum)s: %(soort)s") % waarden


@transaction.atomic
def beslissing_registreren(
    *,
    overleg: Overleg,
    leerling: Leerling,
    soort: str,
    tekst: str,
    door,
    maatregel_gegevens: MaatregelGegevens | None = None,
    catalogus_item: MaatregelCatalogusItem | None = None,
    maatregel: Maatregel | None = None,
    maatregel_versie: int | None = None,
    naar: Zorgfase | None = None,
    van: Zorgfase | None = None,
    hulpvraag: str = "",
    maatregelen_ontoereikend: bool = False,
    welbevinden_in_gedrang: bool = False,
    actiepunt: ActiepuntGegevens | None = None,
) -> Beslissing:
    """Record a decision of kind `soort` about `leerling` at `overleg` and
    do what it says:

    - maatregel_starten: `maatregel_gegevens` (status active or proposed),
      optionally from `catalogus_item`;
    - maatregel_aanpassen: `maatregel` (open, of this student), the
      `maatregel_versie` the edit started from and the new
      `maatregel_gegevens`;
    - maatregel_stoppen: `maatregel` and `maatregel_versie`; the reason is
      the decision text;
    - zorgfase: `naar`, `van` (the phase the form started from), `hulpvraag`
      when moving up to extended care, the grounds for an IAC;
    - aanmelding_clb: `hulpvraag`;
    - actiepunt, oudergesprek: `actiepunt` (required);
    - afspraak: the text alone.

    Any kind may carry `actiepunt`. Raises ValidationError, having saved
    nothing, when any part is refused."""
    # Lock the meeting: it cannot be closed while a decision is being added.
    overleg = vergrendelen(Overleg.objects.select_related("school"), pk=overleg.pk)
    if overleg.is_afgesloten:
        raise ValidationError({NON_FIELD_ERRORS: [afgesloten_bericht()]})
    agendapunt = Agendapunt.objects.filter(overleg=overleg, leerling_id=leerling.pk).first()
    if agendapunt is None:
        raise ValidationError({"leerling": [str(NIET_OP_AGENDA)]})
    if soort not in BeslissingSoort.values or soort == BeslissingSoort.REMEDIERING:
        raise ValidationError({"soort": [_("Kies een soort beslissing.")]})
    tekst = (tekst or "").strip()
    if not tekst:
        raise ValidationError({"tekst": [_("Beschrijf de beslissing.")]})
    if len(tekst) > TEKST_MAX:
        raise ValidationError(
            {"tekst": [_("Hou het kort: hoogstens %(max)d tekens.") % {"max": TEKST_MAX}]}
        )
    if soort in MET_ACTIEPUNT and actiepunt is None:
        raise ActiepuntFout(
            {
                "eigenaar": [
                    _("Deze beslissing is een actiepunt: kies wie het opneemt en tegen wanneer.")
                ]
            }
        )
    if soort == BeslissingSoort.OUDERGESPREK and not actiepunt.omschrijving.strip():
        with translation.override(settings.LANGUAGE_CODE):
            omschrijving = str(OUDERGESPREK_OMSCHRIJVING)
        actiepunt = dataclasses.replace(actiepunt, omschrijving=omschrijving)

    if overleg.status == Overleg.Status.GEPLAND:
        # The first decision starts the meeting's recording.
        Overleg.objects.filter(pk=overleg.pk).update(status=Overleg.Status.BEZIG)
        overleg.status = Overleg.Status.BEZIG

    datum = beslisdatum(overleg)
    beslist_waar = str(overleg)
    links: dict = {}
    if soort == BeslissingSoort.MAATREGEL_STARTEN:
        links["maatregel"] = _maatregel_starten(
            leerling, maatregel_gegevens, catalogus_item, beslist_waar, door
        )
    elif soort == BeslissingSoort.MAATREGEL_AANPASSEN:
        links["maatregel"] = _maatregel_aanpassen(
            leerling, maatregel, maatregel_versie, maatregel_gegevens, door
        )
    elif soort == BeslissingSoort.MAATREGEL_STOPPEN:
        links["maatregel"] = _maatregel_stoppen(
            leerling, maatregel, maatregel_versie, datum, tekst, door
        )
    elif soort == BeslissingSoort.ZORGFASE:
        if naar is None or van is None:
            raise ValidationError({"naar": [_("Kies de nieuwe zorgfase.")]})
        wijziging = zorgfase_services.zorgfase_wijzigen(
            leerling=leerling,
            naar=naar,
            van=van,
            datum=datum,
            reden=tekst,
            beslist_waar=beslist_waar[: zorgfase_services.BESLIST_WAAR_MAX],
            hulpvraag=hulpvraag,
            maatregelen_ontoereikend=maatregelen_ontoereikend,
            welbevinden_in_gedrang=welbevinden_in_gedrang,
            door=door,
        )
        links["zorgfase_wijziging"] = wijziging
        # Moving up to extended care refers the student to the CLB too.
        links["aanmelding"] = Aanmelding.objects.filter(zorgfase_wijziging=wijziging).first()
    elif soort == BeslissingSoort.AANMELDING_CLB:
        links["aanmelding"] = zorgfase_services.aanmelding_maken(
            leerling=leerling,
            hulpvraag=hulpvraag,
            datum=datum,
            door=door,
            bron=Aanmelding.Bron.CEL,
        )

    beslissing = Beslissing.objects.create(
        agendapunt=agendapunt, soort=soort, tekst=tekst, door=door, **links
    )
    # A student the meeting decided about was discussed. The version goes up
    # as for any change to the item, so whoever is editing its notes from
    # the old version is told and sees the tick.
    Agendapunt.objects.filter(pk=agendapunt.pk, besproken=False).update(
        besproken=True, versie=F("versie") + 1, gewijzigd=timezone.now()
    )
    nieuw_actiepunt = None
    if actiepunt is not None:
        nieuw_actiepunt = actiepunt_maken(
            overleg=overleg, leerling=leerling, beslissing=beslissing, gegevens=actiepunt, door=door
        )
    with translation.override(settings.LANGUAGE_CODE):
        tijdlijn_tekst = tekst
        if nieuw_actiepunt is not None:
            tijdlijn_tekst += "\n" + _(
                "Actiepunt voor %(eigenaar)s tegen %(datum)s: %(omschrijving)s"
            ) % {
                "eigenaar": nieuw_actiepunt.eigenaar,
                "datum": nieuw_actiepunt.vervaldatum.strftime("%d/%m/%Y"),
                "omschrijving": nieuw_actiepunt.omschrijving,
            }
        tijdlijn_registreren(
            leerling=leerling,
            soort=TijdlijnItem.Soort.BESLISSING,
            datum=datum,
            titel=tijdlijntitel(overleg, soort),
            bron=beslissing,
            zichtbaarheid=overleg.zichtbaarheid,
            tekst=tijdlijn_tekst,
            auteur=door,
            url=reverse("klassenraad:overleg_detail", args=[overleg.pk]),
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="beslissing",
        leerlingen=[leerling],
        object_id=beslissing.pk,
        omschrijving=f"overleg {overleg.pk}"
        + (f", actiepunt {nieuw_actiepunt.pk}" if nieuw_actiepunt else ""),
    )
    return beslissing


# --- the measure kinds ----------------------------------------------------------------


def _maatregel_starten(leerling, gegevens, catalogus_item, beslist_waar, door) -> Maatregel:
    if gegevens is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Vul de gegevens van de maatregel in.")]})
    return maatregel_services.maatregel_maken(
        leerling=leerling,
        gegevens=dataclasses.replace(gegevens, beslist_waar=beslist_waar),
        catalogus_item=catalogus_item,
        door=door,
    )


def _open_maatregel(leerling, maatregel, versie) -> Maatregel:
    """The measure of `leerling` to adjust or stop, locked, still open and
    still at `versie`."""
    if maatregel is None:
        raise ValidationError({"maatregel": [_("Kies de maatregel.")]})
    try:
        vergrendeld = vergrendelen(Maatregel, pk=maatregel.pk, leerling_id=leerling.pk)
    except Maatregel.DoesNotExist as exc:
        raise ValidationError(
            {"maatregel": [_("Deze maatregel hoort niet bij deze leerling.")]}
        ) from exc
    vergrendeld.leerling = leerling
    versie_controleren(vergrendeld, versie, _maatregel_gewijzigd)
    if vergrendeld.status not in OPEN_STATUSSEN:
        raise ValidationError(
            {"maatregel": [_("Deze maatregel is al afgesloten: kies een lopende maatregel.")]}
        )
    return vergrendeld


def _maatregel_aanpassen(leerling, maatregel, versie, gegevens, door) -> Maatregel:
    if versie is None:
        raise ValidationError({"maatregel": [_("Open de maatregel opnieuw om ze aan te passen.")]})
    if gegevens is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Vul de gegevens van de maatregel in.")]})
    m = _open_maatregel(leerling, maatregel, versie)
    try:
        return maatregel_services.maatregel_wijzigen(
            maatregel_id=m.pk, versie=versie, gegevens=gegevens, door=door
        )
    except VerouderdeVersie as exc:
        raise VerouderdeVersie(exc.huidig, _maatregel_gewijzigd(exc.huidig)) from exc


def _maatregel_stoppen(leerling, maatregel, versie, datum, reden, door) -> Maatregel:
    m = _open_maatregel(leerling, maatregel, versie)
    return maatregel_services.maatregel_stoppen(maatregel=m, datum=datum, reden=reden, door=door)
