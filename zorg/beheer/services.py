"""Changing a school's settings and its school-year calendar:
version-checked, audited (which settings changed, never more; calendar
data is no care content, so its events name the period)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from zorg.accounts.models import School, Schooljaar, VrijePeriode
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.schoolkalender import wettelijke_vrije_dagen
from zorg.versies import VerouderdeVersie, nieuwe_versie_bewaren, vergrendelen


@transaction.atomic
def schoolinstellingen_wijzigen(*, school: School, versie: int, gegevens: dict, door) -> list[str]:
    """Save the settings in `gegevens` when the page was loaded at `versie`
    (else VerouderdeVersie with the saved settings). Returns the names of
    the settings that changed; nothing is written or audited when none did."""
    vergrendeld = vergrendelen(School, versie=versie, pk=school.pk)
    gewijzigd = [veld for veld, waarde in gegevens.items() if getattr(vergrendeld, veld) != waarde]
    if not gewijzigd:
        return []
    for veld in gewijzigd:
        setattr(vergrendeld, veld, gegevens[veld])
    nieuwe_versie_bewaren(vergrendeld, gewijzigd)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="schoolinstellingen",
        school_id=school.pk,
        object_id=school.pk,
        velden=gewijzigd,
    )
    return gewijzigd


# --- the school-year calendar -----------------------------------------------------
#
# A year's calendar is the statutory one (no rows, `kalender_vastgelegd`
# False) until its first change: that change copies the statutory periods
# into rows first, in the same transaction, under the year's row lock. Every
# change raises the year's `versie`; a form that names an older one is
# refused (VerouderdeVersie), except adding, which overwrites nothing.

VELDEN = ("naam", "begin", "einde")


def kalender_gewijzigd_bericht(_jaar=None) -> str:
    return _("Iemand anders wijzigde intussen de kalender van dit schooljaar.")


def wettelijke_perioden(schooljaar: Schooljaar) -> list[VrijePeriode]:
    """The statutory free periods of `schooljaar` as unsaved rows, named in
    the school's language (the names are the school's data once saved).
    Their position in this list is how a form names one before the year's
    calendar is fixed."""
    with translation.override(settings.LANGUAGE_CODE):
        return [
            VrijePeriode(schooljaar=schooljaar, naam=str(p.naam), begin=p.begin, einde=p.einde)
            for p in wettelijke_vrije_dagen(schooljaar.startjaar)
        ]


def _datum(dag: datetime.date) -> str:
    return formats.date_format(dag, "SHORT_DATE_FORMAT")


def _omschrijving(jaar: Schooljaar, periode: VrijePeriode) -> str:
    return f"{jaar.naam}: {periode.naam} ({periode.begin} – {periode.einde})"


def vrije_periode_controleren(*, schooljaar: Schooljaar, naam: str, begin, einde) -> None:
    """A free period has a name, ends on or after its first day, and lies
    within its school year. ValidationError by field otherwise. Overlapping
    periods are allowed: a day free twice is simply free."""
    fouten = {}
    if not naam.strip():
        fouten["naam"] = _("Geef de vrije periode een naam.")
    if einde < begin:
        fouten["einde"] = _("De laatste dag mag niet vóór de eerste dag liggen.")
    buiten = _("Kies een dag in het schooljaar %(naam)s (%(begin)s tot en met %(einde)s).") % {
        "naam": schooljaar.naam,
        "begin": _datum(schooljaar.begin),
        "einde": _datum(schooljaar.einde),
    }
    if not schooljaar.begin <= begin <= schooljaar.einde:
        fouten["begin"] = buiten
    if not schooljaar.begin <= einde <= schooljaar.einde:
        fouten.setdefault("einde", buiten)
    if fouten:
        raise ValidationError(fouten)


def _kalender_vastleggen(jaar: Schooljaar, door) -> list[VrijePeriode]:
    """Copy the statutory periods of the locked `jaar` into rows and mark its
    calendar as the school's own (saved by the caller with the new
    version). Returns the rows, in the statutory order."""
    rijen = VrijePeriode.objects.bulk_create(wettelijke_perioden(jaar))
    jaar.kalender_vastgelegd = True
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="schoolkalender",
        school_id=jaar.school_id,
        object_id=jaar.pk,
        omschrijving=f"{jaar.naam}: wettelijke kalender overgenomen",
    )
    return rijen


def _jaar_vergrendelen(schooljaar: Schooljaar, versie: int | None) -> Schooljaar:
    return vergrendelen(
        Schooljaar, versie=versie, bericht=kalender_gewijzigd_bericht, pk=schooljaar.pk
    )


def _te_wijzigen(jaar: Schooljaar, *, periode_id: int | None, nummer: int | None, door):
    """The row an edit is about, in the locked `jaar`: a statutory period
    (`nummer`, its position) is copied with the rest of the year first.
    The version check passed, so the year is as the form saw it."""
    if nummer is None:
        return jaar.vrije_perioden.get(pk=periode_id)
    if jaar.kalender_vastgelegd:
        # Only a hand-made form names a statutory period of a fixed year.
        raise VerouderdeVersie(jaar, kalender_gewijzigd_bericht())
    return _kalender_vastleggen(jaar, door)[nummer]


@transaction.atomic
def vrije_periode_toevoegen(
    *, schooljaar: Schooljaar, naam: str, begin: datetime.date, einde: datetime.date, door
) -> VrijePeriode:
    """Add a free period (a pedagogical study day, a day off) to the year's
    calendar, fixing that calendar first when it still is the statutory one."""
    jaar = _jaar_vergrendelen(schooljaar, None)
    naam = naam.strip()
    vrije_periode_controleren(schooljaar=jaar, naam=naam, begin=begin, einde=einde)
    if not jaar.kalender_vastgelegd:
        _kalender_vastleggen(jaar, door)
    periode = VrijePeriode.objects.create(schooljaar=jaar, naam=naam, begin=begin, einde=einde)
    nieuwe_versie_bewaren(jaar, ["kalender_vastgelegd"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="vrije_periode",
        school_id=jaar.school_id,
        object_id=periode.pk,
        omschrijving=_omschrijving(jaar, periode),
    )
    return periode


@transaction.atomic
def vrije_periode_wijzigen(
    *,
    schooljaar: Schooljaar,
    versie: int,
    gegevens: dict,
    door,
    periode_id: int | None = None,
    nummer: int | None = None,
) -> list[str]:
    """Change one free period: a row (`periode_id`) or, while the year keeps
    the statutory calendar, the statutory period at position `nummer`.
    Refused (VerouderdeVersie) when the calendar changed since `versie`.
    Returns the fields that changed; nothing is written when none did."""
    jaar = _jaar_vergrendelen(schooljaar, versie)
    gegevens = {**gegevens, "naam": gegevens["naam"].strip()}
    vrije_periode_controleren(schooljaar=jaar, **gegevens)
    if nummer is None or jaar.kalender_vastgelegd:
        periode = huidig = _te_wijzigen(jaar, periode_id=periode_id, nummer=nummer, door=door)
    else:
        # Unchanged, a statutory period fixes nothing: compare first.
        periode, huidig = None, wettelijke_perioden(jaar)[nummer]
    gewijzigd = [veld for veld in VELDEN if getattr(huidig, veld) != gegevens[veld]]
    if not gewijzigd:
        return []
    if periode is None:
        periode = _te_wijzigen(jaar, periode_id=periode_id, nummer=nummer, door=door)
    voor = _omschrijving(jaar, periode)
    for veld in gewijzigd:
        setattr(periode, veld, gegevens[veld])
    periode.save(update_fields=gewijzigd)
    nieuwe_versie_bewaren(jaar, ["kalender_vastgelegd"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="vrije_periode",
        school_id=jaar.school_id,
        object_id=periode.pk,
        omschrijving=f"{voor} → {_omschrijving(jaar, periode)}",
        velden=gewijzigd,
    )
    return gewijzigd


@transaction.atomic
def vrije_periode_verwijderen(
    *,
    schooljaar: Schooljaar,
    versie: int,
    door,
    periode_id: int | None = None,
    nummer: int | None = None,
) -> VrijePeriode:
    """Take one free period out of the year's calendar (a row, or the
    statutory period at `nummer`, after fixing the calendar): its days
    become school days. Refused when the calendar changed since `versie`.
    Returns the period as it was."""
    jaar = _jaar_vergrendelen(schooljaar, versie)
    periode = _te_wijzigen(jaar, periode_id=periode_id, nummer=nummer, door=door)
    omschrijving = _omschrijving(jaar, periode)
    pk = periode.pk
    periode.delete()
    nieuwe_versie_bewaren(jaar, ["kalender_vastgelegd"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.VERWIJDEREN,
        onderwerp="vrije_periode",
        school_id=jaar.school_id,
        object_id=pk,
        omschrijving=omschrijving,
    )
    return periode


@transaction.atomic
def kalender_herstellen(*, schooljaar: Schooljaar, versie: int, door) -> bool:
    """Back to the statutory calendar: the year's own periods are deleted.
    Refused when the calendar changed since `versie` (a period someone just
    added would go unseen). False, writing nothing, when the year already
    keeps the statutory calendar."""
    jaar = _jaar_vergrendelen(schooljaar, versie)
    if not jaar.kalender_vastgelegd:
        return False
    aantal, _per_model = jaar.vrije_perioden.all().delete()
    jaar.kalender_vastgelegd = False
    nieuwe_versie_bewaren(jaar, ["kalender_vastgelegd"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.VERWIJDEREN,
        onderwerp="schoolkalender",
        school_id=jaar.school_id,
        object_id=jaar.pk,
        omschrijving=f"{jaar.naam}: terug naar de wettelijke kalender ({aantal} rijen verwijderd)",
    )
    return True
