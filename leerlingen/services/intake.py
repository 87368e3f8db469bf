"""The intake: what the school learned when the student arrived. One per
student, edited by the care team, guarded by a version number so that two
people editing it at once never overwrite each other unseen."""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, nieuwe_versie_bewaren, vergrendelen

from ..models import Intake, Leerling, TijdlijnItem, Zichtbaarheid
from .tijdlijn import tijdlijn_bijwerken, tijdlijn_registreren

# The fields an edit may change, in the order the page shows them.
INTAKE_VELDEN = ("datum", "vorige_school", "onderwijsbehoeften", "attesten", "opmerkingen")

# The version a form carries when no intake existed yet: when one was
# created meanwhile, the save is refused like any other stale edit.
GEEN_VERSIE = 0


def _tijdlijn_velden(intake: Intake) -> dict:
    if intake.vorige_school:
        titel = _("Intake (vorige school: %(school)s)") % {"school": intake.vorige_school}
    else:
        titel = _("Intake")
    return {
        "datum": intake.datum,
        "titel": titel,
        "tekst": intake.onderwijsbehoeften[:1000],
        "auteur": str(intake.door)[:200],
    }


def intake_opslaan(
    *,
    leerling: Leerling,
    door,
    versie: int,
    datum: datetime.date,
    vorige_school: str = "",
    onderwijsbehoeften: str = "",
    attesten: str = "",
    opmerkingen: str = "",
) -> Intake:
    """Create the student's intake, or update it when `versie` is the
    version the editor started from. Raises VerouderdeVersie when the intake
    was saved (or first created) by someone else in the meantime; nothing is
    written then.

    An edit that changes nothing writes nothing: no new version, no audit
    event."""
    nieuw = {
        "datum": datum,
        "vorige_school": vorige_school,
        "onderwijsbehoeften": onderwijsbehoeften,
        "attesten": attesten,
        "opmerkingen": opmerkingen,
    }
    with transaction.atomic():
        # The row lock makes the version check and the write one step: a
        # second editor waits here and then sees the version move on.
        try:
            intake = vergrendelen(Intake, versie=versie, leerling=leerling)
        except Intake.DoesNotExist:
            return _aanmaken(leerling=leerling, door=door, velden=nieuw)
        gewijzigd = [naam for naam in INTAKE_VELDEN if getattr(intake, naam) != nieuw[naam]]
        if not gewijzigd:
            return intake
        for naam in gewijzigd:
            setattr(intake, naam, nieuw[naam])
        intake.door = door
        nieuwe_versie_bewaren(intake, [*gewijzigd, "door", "gewijzigd"])
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.WIJZIGEN,
            onderwerp="intake",
            leerlingen=[leerling],
            object_id=intake.pk,
            omschrijving=_("versie %(versie)s") % {"versie": intake.versie},
            velden=gewijzigd,
        )
        bijgewerkt = tijdlijn_bijwerken(bron=intake, **_tijdlijn_velden(intake))
        if not bijgewerkt:
            # An intake from before the timeline existed gets its entry now.
            _tijdlijn_registreren(intake)
        return intake


def _aanmaken(*, leerling: Leerling, door, velden: dict) -> Intake:
    try:
        # A savepoint, so a concurrent first save (the one-to-one constraint)
        # leaves the outer transaction usable to fetch the winner.
        with transaction.atomic():
            intake = Intake.objects.create(leerling=leerling, door=door, versie=1, **velden)
    except IntegrityError:
        actueel = Intake.objects.select_related("door").filter(leerling=leerling).first()
        if actueel is None:
            raise
        raise VerouderdeVersie(actueel) from None
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="intake",
        leerlingen=[leerling],
        object_id=intake.pk,
        velden=[naam for naam in INTAKE_VELDEN if velden[naam]],
    )
    _tijdlijn_registreren(intake)
    return intake


def _tijdlijn_registreren(intake: Intake) -> None:
    velden = _tijdlijn_velden(intake)
    tijdlijn_registreren(
        leerling=intake.leerling,
        soort=TijdlijnItem.Soort.INTAKE,
        datum=velden["datum"],
        titel=velden["titel"],
        tekst=velden["tekst"],
        auteur=velden["auteur"],
        bron=intake,
        zichtbaarheid=Zichtbaarheid.ZORGTEAM,
        url=reverse("leerlingen:intake", args=[intake.leerling_id]),
    )
