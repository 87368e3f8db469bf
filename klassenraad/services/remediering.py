"""The guiding class council selects who (does not) get remediation or
differentiation: per student and subject, or for the whole class in a
subject (the class level comes first).

The selection is the whole of the council's choice, as its page shows it
(pre-filled with what was chosen before): a new tick becomes a planned
remediation linked to the meeting, a changed approach updates it, a
cleared tick withdraws it while it has not started. The care record's
service writes each remediation's timeline entries and audit.

The choice is also the council's decision, in its minutes: one decision of
kind `remediering` per student concerned (on their agenda item; a student
not on the agenda yet is put on it) and one for the whole class, each
naming the subjects and approaches. Selecting again rewrites their text;
a student with nothing left loses the decision. All in one transaction,
with the meeting locked, so two people saving at once cannot make two."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.models import Leerling, Remediering, Vak
from leerlingen.services.remediering import (
    RemedieringGegevens,
    remediering_intrekken,
    remediering_maken,
    remediering_wijzigen,
)
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import vergrendelen

from ..models import Agendapunt, Agendareden, Beslissing, BeslissingSoort, Overleg, OverlegSoort

# What the council may choose: not every approach, the two the seeds name.
AANPAKKEN = (Remediering.Aanpak.REMEDIERING, Remediering.Aanpak.DIFFERENTIATIE)
# The levels the selection makes (a group is a teacher's own choice).
NIVEAUS = (Remediering.Niveau.KLAS, Remediering.Niveau.LEERLING)


@dataclass(frozen=True)
class Keuze:
    """One tick: `leerling` None is the whole class."""

    vak: Vak
    aanpak: str
    leerling: Leerling | None = None


def _nood(overleg: Overleg) -> str:
    return _("Geselecteerd door de begeleidende klassenraad van %(datum)s.") % {
        "datum": timezone.localtime(overleg.moment).strftime("%d/%m/%Y")
    }


def _titel(aanpak: str, vak: Vak) -> str:
    return f"{Remediering.Aanpak(aanpak).label.capitalize()} {vak.naam}"


def vakken_van_klas(klas) -> list[Vak]:
    """The subjects taught in the class: the columns of the selection."""
    return list(Vak.objects.filter(lesopdrachten__klas=klas).distinct().order_by("naam"))


def selectie_van_overleg(overleg: Overleg) -> dict[tuple[int | None, int], Remediering]:
    """What the council chose so far, per (student or None, subject): the
    first remediation of each (a second one, from before the selection was
    kept whole, is left alone)."""
    gekozen: dict[tuple[int | None, int], Remediering] = {}
    for r in (
        Remediering.objects.filter(overleg=overleg, niveau__in=NIVEAUS)
        .select_related("vak", "leerling", "klas__schooljaar")
        .order_by("pk")
    ):
        gekozen.setdefault((r.leerling_id, r.vak_id), r)
    return gekozen


@transaction.atomic
def remedieringen_selecteren(
    *,
    overleg: Overleg,
    keuzes: list[Keuze],
    begin: datetime.date,
    aantal_weken: int,
    door,
) -> list[Remediering]:
    """Make the council's remediation (and its decisions) what `keuzes` say,
    for the students now in the class and the subjects taught in it. New
    ones start on `begin` for `aantal_weken`; those chosen before keep
    their dates. Returns the council's remediations."""
    # Lock the meeting: it cannot be closed, nor selected twice, meanwhile.
    overleg = vergrendelen(Overleg.objects.select_related("klas__schooljaar"), pk=overleg.pk)
    if overleg.soort != OverlegSoort.BEGELEIDEND or overleg.klas_id is None:
        raise ValidationError(_("Enkel een begeleidende klassenraad selecteert remediëring."))
    if overleg.is_afgesloten:
        raise ValidationError(_("Dit overleg is afgesloten."))
    if any(k.aanpak not in AANPAKKEN for k in keuzes):
        raise ValidationError(_("Kies remediëring of differentiatie."))
    klas = overleg.klas
    leerling_ids = {ll.pk for ll in klas.huidige_leerlingen()}
    vak_ids = {v.pk for v in vakken_van_klas(klas)}
    if any(
        k.vak.pk not in vak_ids or (k.leerling and k.leerling.pk not in leerling_ids)
        for k in keuzes
    ):
        raise ValidationError(
            _("Kies enkel leerlingen van de klas en vakken die er gegeven worden.")
        )
    gekozen = {(k.leerling.pk if k.leerling else None, k.vak.pk): k for k in keuzes}
    bestaand = selectie_van_overleg(overleg)
    if not gekozen and not bestaand:
        raise ValidationError(_("Kies minstens één leerling of de hele klas voor een vak."))

    with translation.override(settings.LANGUAGE_CODE):
        nood = _nood(overleg)
        for (leerling_id, vak_id), r in bestaand.items():
            in_tabel = vak_id in vak_ids and (leerling_id is None or leerling_id in leerling_ids)
            if in_tabel and (leerling_id, vak_id) not in gekozen:
                _intrekken(r, door)
        for sleutel, k in gekozen.items():
            r = bestaand.get(sleutel)
            if r is None:
                remediering_maken(
                    klas=klas,
                    gegevens=RemedieringGegevens(
                        vak=k.vak,
                        niveau=Remediering.Niveau.LEERLING
                        if k.leerling
                        else Remediering.Niveau.KLAS,
                        leerling=k.leerling,
                        titel=_titel(k.aanpak, k.vak),
                        nood=nood,
                        aanpak=k.aanpak,
                        begin=begin,
                        aantal_weken=aantal_weken,
                        status=Remediering.Status.GEPLAND,
                    ),
                    door=door,
                    overleg=overleg,
                )
            elif r.aanpak != k.aanpak:
                _aanpak_wijzigen(r, k.aanpak, door)
        _beslissingen_bijwerken(overleg, door)
    gemaakt = list(selectie_van_overleg(overleg).values())
    # The meeting's selection, in its own trail (no content: who and how many).
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN if bestaand else Actie.AANMAKEN,
        onderwerp="overleg_remediering",
        leerlingen=[k.leerling for k in keuzes if k.leerling],
        school_id=overleg.school_id,
        object_id=overleg.pk,
        omschrijving=f"{len(gemaakt)} remediëringen",
    )
    return gemaakt


def _wie(r: Remediering) -> str:
    return r.leerling.volledige_naam if r.leerling_id else _("de hele klas")


def _intrekken(r: Remediering, door) -> None:
    try:
        remediering_intrekken(remediering=r, door=door)
    except ValidationError as fout:
        raise ValidationError(
            _(
                "%(titel)s voor %(wie)s is al gestart en blijft gekozen: sluit ze af met een "
                "resultaat op haar eigen pagina."
            )
            % {"titel": r.titel, "wie": _wie(r)}
        ) from fout


def _aanpak_wijzigen(r: Remediering, aanpak: str, door) -> None:
    if r.status == Remediering.Status.AFGEROND:
        raise ValidationError(
            _("%(titel)s voor %(wie)s is al afgerond: de aanpak verandert niet meer.")
            % {"titel": r.titel, "wie": _wie(r)}
        )
    # A title the teacher wrote stays; the one the selection made follows.
    titel = _titel(aanpak, r.vak) if r.titel == _titel(r.aanpak, r.vak) else r.titel
    remediering_wijzigen(
        remediering=r,
        versie=r.versie,
        gegevens=RemedieringGegevens(
            vak=r.vak,
            niveau=r.niveau,
            titel=titel,
            nood=r.nood,
            aanpak=aanpak,
            begin=r.begin,
            leerling=r.leerling,
            omschrijving=r.omschrijving,
            einde=r.einde,
            aantal_weken=r.aantal_weken,
            aantal_sessies=r.aantal_sessies,
            moment=r.moment,
            status=r.status,
        ),
        door=door,
    )


# --- the council's decisions ----------------------------------------------------------


def beslissingstekst(remedieringen: list[Remediering]) -> str:
    """What the council decided for one student (or the class): each subject
    with its approach, by subject."""
    delen = [
        _titel(r.aanpak, r.vak) for r in sorted(remedieringen, key=lambda r: (r.vak.naam, r.pk))
    ]
    tekst = "; ".join(delen)
    return tekst[:1].upper() + tekst[1:]


def _agendapunt(overleg: Overleg, leerling: Leerling, door) -> Agendapunt:
    """The student's item on the council's agenda; put on it when missing
    (the council decided about them, so they were discussed)."""
    punt = Agendapunt.objects.filter(overleg=overleg, leerling=leerling).first()
    if punt is None:
        volgorde = Agendapunt.objects.filter(overleg=overleg).aggregate(m=Max("volgorde"))["m"]
        punt = Agendapunt.objects.create(
            overleg=overleg,
            leerling=leerling,
            volgorde=(volgorde or 0) + 1,
            redenen=[
                {
                    "soort": Agendareden.TOEGEVOEGD.value,
                    "tekst": _("Gekozen voor remediëring of differentiatie"),
                }
            ],
            toegevoegd_door=door,
        )
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.AANMAKEN,
            onderwerp="agendapunt",
            leerlingen=[leerling],
            object_id=punt.pk,
            omschrijving="bij de selectie van remediëring",
        )
    # Discussed: the version goes up as for any change to the item.
    Agendapunt.objects.filter(pk=punt.pk, besproken=False).update(
        besproken=True, versie=F("versie") + 1, gewijzigd=timezone.now()
    )
    return punt


def _beslissing_audit(b: Beslissing, leerling: Leerling | None, door, actie) -> None:
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp="beslissing",
        leerlingen=[leerling] if leerling else [],
        school_id=b.overleg.school_id,
        object_id=b.pk,
        omschrijving=f"overleg {b.overleg_id}, remediëring",
    )


def _beslissingen_bijwerken(overleg: Overleg, door) -> None:
    """One decision per student with remediation from this council and one
    for the whole class; none for whom nothing is left."""
    per_wie: dict[int | None, list[Remediering]] = {}
    for r in selectie_van_overleg(overleg).values():
        per_wie.setdefault(r.leerling_id, []).append(r)
    bestaand = {
        (b.agendapunt.leerling_id if b.agendapunt_id else None): b
        for b in Beslissing.objects.filter(
            overleg=overleg, soort=BeslissingSoort.REMEDIERING
        ).select_related("agendapunt__leerling")
    }
    if per_wie and overleg.status == Overleg.Status.GEPLAND:
        # The first decision starts the meeting's recording.
        Overleg.objects.filter(pk=overleg.pk).update(status=Overleg.Status.BEZIG)
        overleg.status = Overleg.Status.BEZIG
    for wie in sorted(set(per_wie) | set(bestaand), key=lambda w: (w is not None, w or 0)):
        rijen = per_wie.get(wie, [])
        b = bestaand.get(wie)
        if b is not None:
            b.overleg = overleg
        if not rijen:
            _beslissing_audit(
                b, b.agendapunt.leerling if b.agendapunt_id else None, door, Actie.VERWIJDEREN
            )
            b.delete()
            continue
        leerling = rijen[0].leerling
        tekst = beslissingstekst(rijen)
        if b is None:
            b = Beslissing.objects.create(
                agendapunt=_agendapunt(overleg, leerling, door) if leerling else None,
                overleg=overleg,
                soort=BeslissingSoort.REMEDIERING,
                tekst=tekst,
                door=door,
            )
            _beslissing_audit(b, leerling, door, Actie.AANMAKEN)
        elif b.tekst != tekst:
            b.tekst = tekst
            b.save(update_fields=["tekst"])
            _beslissing_audit(b, leerling, door, Actie.WIJZIGEN)
