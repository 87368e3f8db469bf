"""The transfer to the next school, step by step. Every step is versioned
(zorg.versies), audited, and refused with a Dutch message when it does not
fit the transfer's state:

    concept → ouders geïnformeerd → bezwaar | geen bezwaar → vrijgegeven
    (any open state → ingetrokken)

Release needs the parents informed and either their "no objection" or
BEZWAARTERMIJN days without an objection. An objection blocks release
until the coordinator changes the summary and informs the parents again
(or withdraws the transfer).

At the receiving school, `overdracht_importeren` attaches a verified
transfer file to one of its students, once per file.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Leerling, TijdlijnItem, Zichtbaarheid
from leerlingen.services.tijdlijn import tijdlijn_registreren
from zorg.accounts.models import School
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen

from . import inhoud as inhoudmodule
from . import ondertekening
from .models import OntvangenOverdracht, Overdracht

ONDERWERP = "overdracht"
ONDERWERP_ONTVANGEN = "ontvangen_overdracht"
# Days the parents have to object after they were informed; past it,
# silence counts as no objection.
BEZWAARTERMIJN = 14
OPMERKING_MAX = Overdracht._meta.get_field("bezwaar_opmerking").max_length

VERANDERD = _(
    "Iemand anders wijzigde deze overdracht intussen. Je wijziging is niet bewaard: "
    "hieronder staat de overdracht zoals ze nu is."
)


def _fout(bericht: str, veld: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({veld: [bericht]})


def _naam(user) -> str:
    return user.get_full_name() or user.email


def _vergrendelen(overdracht: Overdracht, versie: int) -> Overdracht:
    return vergrendelen(
        Overdracht.objects.select_related("leerling__school"),
        versie=versie,
        bericht=str(VERANDERD),
        pk=overdracht.pk,
    )


def _audit(door, overdracht: Overdracht, actie, omschrijving: str, velden=()) -> None:
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp=ONDERWERP,
        leerlingen=[overdracht.leerling],
        object_id=overdracht.pk,
        omschrijving=omschrijving,
        velden=velden,
    )


def termijn_einde(overdracht: Overdracht) -> datetime.date | None:
    """The first day the transfer may be released without an answer."""
    if overdracht.geinformeerd_op is None:
        return None
    return overdracht.geinformeerd_op + datetime.timedelta(days=BEZWAARTERMIJN)


def vrijgeven_geweigerd(overdracht: Overdracht, op: datetime.date | None = None) -> str | None:
    """Why the transfer may not be released today (a Dutch message), or
    None when it may."""
    op = op or timezone.localdate()
    s = Overdracht.Status
    if overdracht.status == s.GEEN_BEZWAAR:
        return None
    if overdracht.status == s.GEINFORMEERD:
        einde = termijn_einde(overdracht)
        if op >= einde:
            return None
        return _(
            "De ouders kunnen nog bezwaar maken tot en met %(dag)s. Leg hun antwoord vast, "
            "of geef de overdracht vrij vanaf %(vanaf)s."
        ) % {
            "dag": (einde - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
            "vanaf": einde.strftime("%d/%m/%Y"),
        }
    if overdracht.status == s.BEZWAAR:
        return _(
            "De ouders maakten bezwaar. Pas de samenvatting aan en informeer hen opnieuw, "
            "of trek de overdracht in."
        )
    if overdracht.status == s.CONCEPT:
        return _("Informeer eerst de ouders over de samenvatting.")
    if overdracht.status == s.VRIJGEGEVEN:
        return _("Deze overdracht is al vrijgegeven.")
    return _("Deze overdracht is ingetrokken.")


@transaction.atomic
def overdracht_voorbereiden(
    *,
    leerling: Leerling,
    school_naam: str,
    school_instellingsnummer: str = "",
    school_adres: str = "",
    door,
) -> Overdracht:
    """Start a transfer of `leerling` to the school named. One open
    transfer per student."""
    school_naam = (school_naam or "").strip()
    if not school_naam:
        raise _fout(_("Vul de naam van de nieuwe school in."), "school_naam")
    # Serialises two coordinators starting one at the same moment.
    Leerling.objects.select_for_update().filter(pk=leerling.pk).first()
    open_ = Overdracht.objects.filter(leerling=leerling).exclude(
        status__in=[Overdracht.Status.VRIJGEGEVEN, Overdracht.Status.INGETROKKEN]
    )
    if open_.exists():
        raise _fout(
            _(
                "Voor deze leerling loopt al een overdracht. Werk die af of trek ze in "
                "voor je een nieuwe begint."
            )
        )
    overdracht = Overdracht.objects.create(
        leerling=leerling,
        school_naam=school_naam,
        school_instellingsnummer=(school_instellingsnummer or "").strip(),
        school_adres=(school_adres or "").strip(),
        voorbereid_door=door,
    )
    _audit(door, overdracht, Actie.AANMAKEN, "concept")
    return overdracht


@transaction.atomic
def overdracht_inhoud_kiezen(
    *, overdracht: Overdracht, versie: int, weggelaten: list[str], door
) -> Overdracht:
    """Which items of the summary stay out (their `sleutel`s)."""
    o = _vergrendelen(overdracht, versie)
    if o.status not in (Overdracht.Status.CONCEPT, Overdracht.Status.BEZWAAR):
        raise _fout(
            _(
                "De ouders zijn over deze samenvatting geïnformeerd: ze kan niet meer "
                "wijzigen, tenzij de ouders bezwaar maken."
            )
        )
    o.weggelaten = sorted(set(weggelaten))
    nieuwe_versie_bewaren(o, ["weggelaten"])
    _audit(door, o, Actie.WIJZIGEN, f"{len(o.weggelaten)} weggelaten", ["weggelaten"])
    return o


@transaction.atomic
def overdracht_ouders_informeren(
    *, overdracht: Overdracht, versie: int, geinformeerd_op: datetime.date, door
) -> Overdracht:
    """Freeze the summary as the parents are told it on `geinformeerd_op`.
    After an objection, only a changed summary may go to them again."""
    o = _vergrendelen(overdracht, versie)
    if o.status not in (Overdracht.Status.CONCEPT, Overdracht.Status.BEZWAAR):
        raise _fout(_("De ouders werden al geïnformeerd over deze samenvatting."))
    if geinformeerd_op is None:
        raise _fout(_("Vul de datum in."), "geinformeerd_op")
    if geinformeerd_op > timezone.localdate():
        raise _fout(_("De ouders kunnen niet in de toekomst geïnformeerd zijn."), "geinformeerd_op")
    if geinformeerd_op < timezone.localtime(o.aangemaakt).date():
        raise _fout(
            _("De ouders kunnen niet geïnformeerd zijn vóór de overdracht bestond."),
            "geinformeerd_op",
        )
    if o.bezwaar_op and geinformeerd_op < o.bezwaar_op:
        raise _fout(
            _("Informeer de ouders opnieuw na hun bezwaar, niet ervoor."), "geinformeerd_op"
        )
    inhoud = inhoudmodule.weglaten(
        inhoudmodule.samenvatting(o.leerling, op=geinformeerd_op), o.weggelaten
    )
    if o.status == Overdracht.Status.BEZWAAR and _zonder_datum(inhoud) == _zonder_datum(
        o.bezwaar_inhoud or {}
    ):
        raise _fout(
            _(
                "De samenvatting is dezelfde als die waartegen de ouders bezwaar maakten. "
                "Pas ze eerst aan (laat onderdelen weg), of trek de overdracht in."
            )
        )
    o.inhoud = inhoud
    o.geinformeerd_op = geinformeerd_op
    o.geen_bezwaar_op = None
    o.status = Overdracht.Status.GEINFORMEERD
    nieuwe_versie_bewaren(o, ["inhoud", "geinformeerd_op", "geen_bezwaar_op", "status"])
    _audit(door, o, Actie.WIJZIGEN, "ouders geinformeerd", ["status", "geinformeerd_op"])
    return o


def _zonder_datum(inhoud: dict) -> dict:
    return {k: v for k, v in inhoud.items() if k != "opgemaakt_op"}


@transaction.atomic
def overdracht_reactie_vastleggen(
    *,
    overdracht: Overdracht,
    versie: int,
    bezwaar: bool,
    op: datetime.date,
    opmerking: str = "",
    door,
) -> Overdracht:
    """The parents' answer: an objection (with their remark) or none."""
    o = _vergrendelen(overdracht, versie)
    if o.status != Overdracht.Status.GEINFORMEERD:
        raise _fout(_("Er wacht geen antwoord van de ouders op deze overdracht."))
    opmerking = (opmerking or "").strip()
    if op is None:
        raise _fout(_("Vul de datum van het antwoord in."), "op")
    if op > timezone.localdate():
        raise _fout(_("De datum van het antwoord ligt in de toekomst."), "op")
    if op < o.geinformeerd_op:
        raise _fout(_("De ouders antwoordden niet vóór ze geïnformeerd werden."), "op")
    if len(opmerking) > OPMERKING_MAX:
        raise _fout(
            _("Deze tekst is te lang: hoogstens %(max)d tekens.") % {"max": OPMERKING_MAX},
            "opmerking",
        )
    if bezwaar:
        if not opmerking:
            raise _fout(_("Noteer wat de ouders bezwaren."), "opmerking")
        o.status = Overdracht.Status.BEZWAAR
        o.bezwaar_op, o.bezwaar_opmerking, o.bezwaar_inhoud = op, opmerking, o.inhoud
    else:
        o.status = Overdracht.Status.GEEN_BEZWAAR
        o.geen_bezwaar_op = op
    velden = ["status", "bezwaar_op", "bezwaar_opmerking", "bezwaar_inhoud", "geen_bezwaar_op"]
    nieuwe_versie_bewaren(o, velden)
    _audit(door, o, Actie.WIJZIGEN, "bezwaar" if bezwaar else "geen bezwaar", velden[:-1])
    return o


def _tijdlijntekst_verstuurd(o: Overdracht) -> str:
    return _("Samenvatting overgedragen aan %(school)s.") % {"school": o.school_naam}


@transaction.atomic
def overdracht_vrijgeven(*, overdracht: Overdracht, versie: int, door) -> Overdracht:
    """Release: from now on the PDF and the signed file can be made."""
    o = _vergrendelen(overdracht, versie)
    reden = vrijgeven_geweigerd(o)
    if reden:
        raise _fout(reden)
    if not ondertekening.sleutel_ingesteld():
        raise _fout(
            _(
                "Deze installatie heeft geen sleutel om overdrachten te ondertekenen "
                "(ZORG_OVERDRACHT_SLEUTEL). Vraag de beheerder van de server om die in te stellen."
            )
        )
    o.status = Overdracht.Status.VRIJGEGEVEN
    o.vrijgegeven_op = timezone.localdate()
    o.vrijgegeven_door = door
    o.vingerafdruk = ondertekening.eigen_vingerafdruk()
    nieuwe_versie_bewaren(o, ["status", "vrijgegeven_op", "vrijgegeven_door", "vingerafdruk"])
    with translation.override(settings.LANGUAGE_CODE):
        tijdlijn_registreren(
            leerling=o.leerling,
            soort=TijdlijnItem.Soort.OVERDRACHT,
            datum=o.vrijgegeven_op,
            titel=_("Overdracht naar de nieuwe school vrijgegeven"),
            bron=o,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            tekst=_tijdlijntekst_verstuurd(o),
            auteur=_naam(door),
            url=reverse("overdracht:detail", args=[o.pk]),
        )
    _audit(door, o, Actie.WIJZIGEN, "vrijgegeven", ["status", "vrijgegeven_op"])
    return o


@transaction.atomic
def overdracht_intrekken(*, overdracht: Overdracht, versie: int, door) -> Overdracht:
    o = _vergrendelen(overdracht, versie)
    if not o.is_open:
        raise _fout(
            _("Een vrijgegeven overdracht kan niet meer ingetrokken worden.")
            if o.status == Overdracht.Status.VRIJGEGEVEN
            else _("Deze overdracht is al ingetrokken.")
        )
    o.status = Overdracht.Status.INGETROKKEN
    o.ingetrokken_op = timezone.localdate()
    nieuwe_versie_bewaren(o, ["status", "ingetrokken_op"])
    _audit(door, o, Actie.WIJZIGEN, "ingetrokken", ["status", "ingetrokken_op"])
    return o


def bestand_inhoud(o: Overdracht) -> dict:
    """What the signed file says: who sends it to whom, when the parents
    were informed, and the summary as they were told it."""
    school = o.leerling.school
    return {
        "kenmerk": str(o.kenmerk),
        "afzender": {"naam": school.naam, "instellingsnummer": school.instellingsnummer or ""},
        "ontvanger": {
            "naam": o.school_naam,
            "instellingsnummer": o.school_instellingsnummer,
            "adres": o.school_adres,
        },
        "ouders_geinformeerd_op": o.geinformeerd_op.isoformat(),
        "geen_bezwaar_op": o.geen_bezwaar_op.isoformat() if o.geen_bezwaar_op else None,
        "vrijgegeven_op": o.vrijgegeven_op.isoformat(),
        "samenvatting": o.inhoud,
    }


def overdrachtsbestand(o: Overdracht) -> str:
    """The signed file of a released transfer, as text. Ed25519 signs
    deterministically: every download is the same file."""
    return ondertekening.als_tekst(ondertekening.ondertekenen(bestand_inhoud(o)))


# --- the receiving school ------------------------------------------------------------


def importbestand_controleren(*, tekst: str | bytes, school_ids) -> dict:
    """A verified transfer file: {"inhoud", "vingerafdruk"}, or a
    ValidationError with the reason. `school_ids`: the schools it may be
    for; a file that names an instellingsnummer none of them has is
    refused."""
    try:
        gecontroleerd = ondertekening.controleren(tekst)
    except ondertekening.OngeldigBestand as fout:
        raise _fout(str(fout), "bestand") from fout
    inhoud = gecontroleerd["inhoud"]
    if (
        not isinstance(inhoud.get("kenmerk"), str)
        or not isinstance(inhoud.get("afzender"), dict)
        or not isinstance(inhoud.get("ontvanger"), dict)
        or not inhoudmodule.vorm_klopt(inhoud.get("samenvatting"))
    ):
        raise _fout(_("Dit overdrachtsbestand is onvolledig."), "bestand")
    nummer = str(inhoud["ontvanger"].get("instellingsnummer") or "").strip()
    if nummer and not School.objects.filter(pk__in=school_ids, instellingsnummer=nummer).exists():
        raise _fout(
            _(
                "Dit overdrachtsbestand is bestemd voor een andere school "
                "(instellingsnummer %(nummer)s)."
            )
            % {"nummer": nummer[:20]},
            "bestand",
        )
    if OntvangenOverdracht.objects.filter(kenmerk=_kenmerk(inhoud)).exists():
        raise _fout(_("Dit overdrachtsbestand werd al ingevoerd."), "bestand")
    return gecontroleerd


def _kenmerk(inhoud: dict) -> uuid.UUID:
    try:
        return uuid.UUID(inhoud["kenmerk"])
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _fout(_("Dit overdrachtsbestand is onvolledig."), "bestand") from exc


def _tijdlijntekst_ontvangen(inhoud: dict) -> str:
    s = inhoud["samenvatting"]
    return _(
        "Van %(school)s: zorgfase %(fase)s, %(maatregelen)d maatregel(en), "
        "%(afspraken)d afspraak/afspraken."
    ) % {
        "school": inhoud["afzender"].get("naam", ""),
        "fase": s.get("zorgfase", ""),
        "maatregelen": len(s.get("maatregelen", [])),
        "afspraken": len(s.get("afspraken", [])),
    }


@transaction.atomic
def overdracht_importeren(*, tekst: str | bytes, leerling: Leerling, door) -> OntvangenOverdracht:
    """Attach a verified transfer file to `leerling` (of the receiving
    school) as the start of the new record. Once per file."""
    gecontroleerd = importbestand_controleren(tekst=tekst, school_ids=[leerling.school_id])
    inhoud = gecontroleerd["inhoud"]
    afzender = inhoud["afzender"]
    try:
        with transaction.atomic():
            ontvangen = OntvangenOverdracht.objects.create(
                kenmerk=_kenmerk(inhoud),
                leerling=leerling,
                afzender_naam=str(afzender.get("naam") or "")[:200],
                afzender_instellingsnummer=str(afzender.get("instellingsnummer") or "")[:20],
                vingerafdruk=gecontroleerd["vingerafdruk"],
                inhoud=inhoud,
                ingevoerd_door=door,
            )
    except IntegrityError as exc:
        raise _fout(_("Dit overdrachtsbestand werd al ingevoerd."), "bestand") from exc
    with translation.override(settings.LANGUAGE_CODE):
        tijdlijn_registreren(
            leerling=leerling,
            soort=TijdlijnItem.Soort.OVERDRACHT,
            datum=timezone.localdate(),
            titel=_("Overdracht van de vorige school ingevoerd"),
            bron=ontvangen,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            tekst=_tijdlijntekst_ontvangen(inhoud),
            auteur=_naam(door),
            url=reverse("overdracht:ontvangen", args=[ontvangen.pk]),
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp=ONDERWERP_ONTVANGEN,
        leerlingen=[leerling],
        object_id=ontvangen.pk,
        omschrijving="ingevoerd",
    )
    return ontvangen
