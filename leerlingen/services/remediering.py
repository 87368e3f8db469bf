"""Remediation and differentiation (remediëring en differentiatie).

The rules about a remediation's target group, subject and duration live
here, so every way in (a teacher's form, the guiding class council's
selection, the demo data) meets the same rules. A broken rule raises a
`ValidationError` keyed by the form's field names.

Timeline: an entry for each student concerned, one student or each student
of a selected group; a remediation of the whole class adds none (the
student's section shows it as "in de klas"), so a class of thirty does not
get thirty lines for one approach. Recording the result updates them.

Concurrency: an edit and closing with a result name the version they
started from (zorg.versies)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen

from ..models import Inschrijving, Klas, Leerling, Remediering, TijdlijnItem, Vak
from .tijdlijn import tijdlijn_registreren

Niveau = Remediering.Niveau
Status = Remediering.Status
OPEN_STATUSSEN = frozenset({Status.GEPLAND, Status.LOPEND})
# The fields a user edits; the audit event names those that changed (never
# their content: the trail is read by the functional administrator).
VELDEN = (
    "vak",
    "niveau",
    "leerling",
    "groep",
    "titel",
    "omschrijving",
    "nood",
    "aanpak",
    "begin",
    "einde",
    "aantal_weken",
    "aantal_sessies",
    "moment",
    "status",
)


@dataclass(frozen=True)
class RemedieringGegevens:
    """What a user fills in for a remediation (new or edited)."""

    vak: Vak
    niveau: str
    titel: str
    nood: str
    aanpak: str
    begin: datetime.date
    leerling: Leerling | None = None
    groep: tuple[Leerling, ...] = field(default_factory=tuple)
    omschrijving: str = ""
    einde: datetime.date | None = None
    aantal_weken: int | None = None
    aantal_sessies: int | None = None
    moment: str = ""
    status: str = Status.GEPLAND


def _leerling_ids_in_klas(klas: Klas) -> set[int]:
    return set(
        Inschrijving.objects.actief().filter(klas=klas).values_list("leerling_id", flat=True)
    )


def _gecontroleerd(g: RemedieringGegevens, klas: Klas, *, bestaande_ids=()) -> RemedieringGegevens:
    """The data with the rules applied, or a ValidationError per field.
    `bestaande_ids`: students already concerned by an edited one, who stay
    acceptable after leaving the class."""
    fouten: dict[str, str] = {}
    titel = g.titel.strip()
    nood = g.nood.strip()
    if not titel:
        fouten["titel"] = _("Vul in wat er gebeurt.")
    if not nood:
        fouten["nood"] = _("Vul in welke nood je vaststelde.")
    if g.aanpak not in Remediering.Aanpak.values:
        fouten["aanpak"] = _("Kies een aanpak.")
    if g.niveau not in Niveau.values:
        fouten["niveau"] = _("Kies voor wie: de klas, een groep of één leerling.")
    if g.vak.school_id != klas.schooljaar.school_id:
        fouten["vak"] = _("Kies een vak van de school van de klas.")
    if g.status not in OPEN_STATUSSEN:
        fouten["status"] = _("Kies gepland of lopend; afronden doe je met het resultaat.")
    if g.einde is None and not g.aantal_weken and not g.aantal_sessies:
        fouten["einde"] = _("Vul een einddatum, een aantal weken of een aantal sessies in.")
    elif g.einde is not None and g.einde < g.begin:
        fouten["einde"] = _("De einddatum ligt vóór de startdatum.")
    for veld in ("aantal_weken", "aantal_sessies"):
        if getattr(g, veld) is not None and getattr(g, veld) < 1:
            fouten[veld] = _("Vul een aantal van minstens 1 in.")
    in_klas = _leerling_ids_in_klas(klas) | set(bestaande_ids)
    leerling = g.leerling if g.niveau == Niveau.LEERLING else None
    groep = tuple(g.groep) if g.niveau == Niveau.GROEP else ()
    if g.niveau == Niveau.LEERLING:
        if leerling is None:
            fouten["leerling"] = _("Kies de leerling.")
        elif leerling.pk not in in_klas:
            fouten["leerling"] = _("Kies een leerling van deze klas.")
    if g.niveau == Niveau.GROEP:
        if not groep:
            fouten["groep"] = _("Kies de leerlingen van de groep.")
        elif any(ll.pk not in in_klas for ll in groep):
            fouten["groep"] = _("Kies enkel leerlingen van deze klas.")
    if fouten:
        raise ValidationError(fouten)
    return RemedieringGegevens(
        vak=g.vak,
        niveau=g.niveau,
        titel=titel,
        nood=nood,
        aanpak=g.aanpak,
        begin=g.begin,
        leerling=leerling,
        groep=groep,
        omschrijving=g.omschrijving.strip(),
        einde=g.einde,
        aantal_weken=g.aantal_weken or None,
        aantal_sessies=g.aantal_sessies or None,
        moment=g.moment.strip(),
        status=g.status,
    )


# --- timeline ------------------------------------------------------------------


def betrokken_leerlingen(remediering: Remediering) -> list[Leerling]:
    """The students a remediation names: its one student, or its group;
    none for the whole class."""
    if remediering.niveau == Niveau.LEERLING:
        return [remediering.leerling]
    if remediering.niveau == Niveau.GROEP:
        return list(remediering.groep.all())
    return []


def _tijdlijntitel(r: Remediering) -> str:
    return f"{r.get_aanpak_display().capitalize()} {r.vak.naam}: {r.titel}"


def _tijdlijntekst(r: Remediering) -> str:
    tekst = _("Start op %(datum)s.") % {"datum": r.begin.strftime("%d/%m/%Y")}
    if r.niveau == Niveau.GROEP:
        tekst += " " + _("In een groep uit de klas %(klas)s.") % {"klas": r.klas.naam}
    if r.status == Status.AFGEROND:
        tekst += " " + _("Afgerond op %(datum)s: %(resultaat)s.") % {
            "datum": r.resultaat_datum.strftime("%d/%m/%Y"),
            "resultaat": r.get_resultaat_display(),
        }
    return tekst


def remediering_url(r: Remediering) -> str:
    return reverse("leerlingen:remediering_detail", args=[r.pk])


def _tijdlijn_bijwerken(r: Remediering, door) -> None:
    """One entry per student concerned: add the missing, drop those of
    students no longer concerned, bring the rest in line."""
    with translation.override(settings.LANGUAGE_CODE):
        bron = {"bron_type": r._meta.label_lower, "bron_id": r.pk}
        betrokken = {ll.pk: ll for ll in betrokken_leerlingen(r)}
        items = TijdlijnItem.objects.filter(**bron)
        items.exclude(leerling_id__in=betrokken).delete()
        items.update(titel=_tijdlijntitel(r)[:300], tekst=_tijdlijntekst(r), datum=r.begin)
        al = set(items.values_list("leerling_id", flat=True))
        for leerling_id, leerling in betrokken.items():
            if leerling_id not in al:
                tijdlijn_registreren(
                    leerling=leerling,
                    soort=TijdlijnItem.Soort.REMEDIERING,
                    datum=r.begin,
                    titel=_tijdlijntitel(r),
                    bron=r,
                    tekst=_tijdlijntekst(r),
                    auteur=door,
                    url=remediering_url(r),
                )


def _audit(r: Remediering, door, actie, *, velden=(), omschrijving="") -> None:
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp="remediering",
        leerlingen=betrokken_leerlingen(r),
        school_id=r.school_id,
        object_id=r.pk,
        omschrijving=omschrijving,
        velden=list(velden),
    )


# --- writes ----------------------------------------------------------------------


@transaction.atomic
def remediering_maken(
    *, klas: Klas, gegevens: RemedieringGegevens, door, overleg=None
) -> Remediering:
    """Record a remediation for `klas` (the whole class, a group of it or one
    of its students), planned or running; `overleg` is the guiding class
    council that selected it."""
    g = _gecontroleerd(gegevens, klas)
    r = Remediering.objects.create(
        school_id=klas.schooljaar.school_id,
        klas=klas,
        vak=g.vak,
        niveau=g.niveau,
        leerling=g.leerling,
        titel=g.titel,
        omschrijving=g.omschrijving,
        nood=g.nood,
        aanpak=g.aanpak,
        begin=g.begin,
        einde=g.einde,
        aantal_weken=g.aantal_weken,
        aantal_sessies=g.aantal_sessies,
        moment=g.moment,
        status=g.status,
        overleg=overleg,
        door=door,
    )
    if g.groep:
        r.groep.set(g.groep)
    _tijdlijn_bijwerken(r, door)
    _audit(r, door, Actie.AANMAKEN, velden=VELDEN)
    return r


def _waarden(r: Remediering) -> dict:
    waarden = {
        veld: getattr(r, veld) for veld in VELDEN if veld not in ("groep", "vak", "leerling")
    }
    waarden.update(vak=r.vak_id, leerling=r.leerling_id, groep={ll.pk for ll in r.groep.all()})
    return waarden


@transaction.atomic
def remediering_wijzigen(
    *, remediering: Remediering, versie: int, gegevens: RemedieringGegevens, door
) -> Remediering:
    """Save an edit that started from `versie`; VerouderdeVersie when
    someone saved it since (nothing is written then). A closed one is not
    edited: its result was recorded against what it was."""
    r = vergrendelen(
        Remediering.objects.select_related("klas__schooljaar", "vak"),
        pk=remediering.pk,
        versie=versie,
    )
    if r.status == Status.AFGEROND:
        raise ValidationError(_("Deze remediëring is afgerond en kan niet meer gewijzigd worden."))
    voor = _waarden(r)
    g = _gecontroleerd(gegevens, r.klas, bestaande_ids=voor["groep"] | {r.leerling_id})
    for veld in VELDEN:
        if veld != "groep":
            setattr(r, veld, getattr(g, veld))
    nieuwe_versie_bewaren(r, [v for v in VELDEN if v != "groep"] + ["gewijzigd"])
    r.groep.set(g.groep)
    na = _waarden(r)
    _tijdlijn_bijwerken(r, door)
    _audit(
        r,
        door,
        Actie.WIJZIGEN,
        velden=[veld for veld in VELDEN if voor[veld] != na[veld]],
        omschrijving=f"versie {r.versie}",
    )
    return r


@transaction.atomic
def remediering_afsluiten(
    *,
    remediering: Remediering,
    versie: int,
    resultaat: str,
    datum: datetime.date,
    door,
    notitie: str = "",
) -> Remediering:
    """Record the result at the end (aim achieved, partly, not) and close
    it; the students' timeline entries say so."""
    r = vergrendelen(
        Remediering.objects.select_related("klas", "vak"), pk=remediering.pk, versie=versie
    )
    fouten: dict[str, str] = {}
    if r.status == Status.AFGEROND:
        raise ValidationError(_("Deze remediëring is al afgerond."))
    if resultaat not in Remediering.Resultaat.values:
        fouten["resultaat"] = _("Kies of het doel bereikt werd.")
    if datum < r.begin:
        fouten["datum"] = _("Het resultaat ligt vóór de start van de remediëring.")
    elif datum > timezone.localdate():
        fouten["datum"] = _("Het resultaat kan niet in de toekomst liggen.")
    if fouten:
        raise ValidationError(fouten)
    r.status = Status.AFGEROND
    r.resultaat = resultaat
    r.resultaat_datum = datum
    r.resultaat_notitie = notitie.strip()
    nieuwe_versie_bewaren(
        r, ["status", "resultaat", "resultaat_datum", "resultaat_notitie", "gewijzigd"]
    )
    _tijdlijn_bijwerken(r, door)
    _audit(
        r,
        door,
        Actie.WIJZIGEN,
        velden=["status", "resultaat", "resultaat_datum", "resultaat_notitie"],
        omschrijving="afgerond",
    )
    return r


@transaction.atomic
def remediering_intrekken(*, remediering: Remediering, door) -> None:
    """Withdraw a planned remediation that never started (the guiding class
    council deselected it): it goes, with its timeline entries; the audit
    trail keeps that it was there. One that started stays: it is closed
    with a result."""
    r = vergrendelen(Remediering.objects.select_related("vak", "leerling"), pk=remediering.pk)
    if r.status != Status.GEPLAND:
        raise ValidationError(
            _(
                "%(titel)s is al gestart en blijft bestaan: sluit ze af met een resultaat "
                "op haar eigen pagina."
            )
            % {"titel": r.titel}
        )
    _audit(r, door, Actie.VERWIJDEREN, omschrijving="ingetrokken")
    TijdlijnItem.objects.filter(bron_type=r._meta.label_lower, bron_id=r.pk).delete()
    r.delete()
