"""Action items (actiepunten): who does what for a student by when, decided
at a meeting.

An action item is made together with its decision (services.beslissingen),
in the same transaction; its rules live here so every way in meets them:
a description, an owner who may read the student's care content
(leerlingen.policies.zorg_lezers: not the secretariat or the functional
administrator, not a teacher of another class), and a due date that is not
in the past. A broken rule raises `ActiepuntFout`, a ValidationError whose
keys are the action-item form's field names.

Completing or cancelling names the version it started from
(zorg.versies.versie_ophogen): a second person handling the
same item meanwhile gets VerouderdeVersie with the saved item, not a silent
overwrite.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from leerlingen.policies import zorg_lezers
from leerlingen.services.meldingen import melding_over_leerlingen
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.versies import VerouderdeVersie, versie_controleren, versie_ophogen

from ..models import Actiepunt, Beslissing, Overleg, Taak

OMSCHRIJVING_MAX = Actiepunt._meta.get_field("omschrijving").max_length
RESULTAAT_MAX = Taak._meta.get_field("resultaat").max_length
AFGEHANDELD = frozenset({Taak.Status.AFGEROND, Taak.Status.GEANNULEERD})


@dataclass(frozen=True)
class ActiepuntGegevens:
    """What a user fills in for a new action item."""

    omschrijving: str
    eigenaar: object | None  # a User
    vervaldatum: datetime.date | None


class ActiepuntFout(ValidationError):
    """An action item the rules refuse; its keys are the fields
    `omschrijving`, `eigenaar` and `vervaldatum`."""


# --- who may own an action item ---------------------------------------------------


def mogelijke_eigenaars(leerling):
    """The active users who may own an action item about `leerling`: those
    who may read the student's care content (the school's care team, the
    student's teachers, CLB staff who reach the student). The action item
    and its notification carry that content. One query."""
    return zorg_lezers(leerling).order_by("last_name", "first_name", "email")


def is_mogelijke_eigenaar(user, leerling) -> bool:
    return zorg_lezers(leerling).filter(pk=user.pk).exists()


def geen_eigenaar_bericht(user, leerling) -> str:
    return _(
        "%(naam)s mag het zorgdossier van %(leerling)s niet inzien en kan het actiepunt dus "
        "niet opnemen. Kies iemand van het zorgteam, een leerkracht van de leerling of een "
        "CLB-medewerker die de leerling begeleidt."
    ) % {"naam": user, "leerling": leerling.volledige_naam}


# --- rules ------------------------------------------------------------------------


def actiepunt_controleren(
    gegevens: ActiepuntGegevens, *, leerling, vandaag: datetime.date | None = None
) -> ActiepuntGegevens:
    """The data with the rules applied, or ActiepuntFout with every broken
    rule at once."""
    vandaag = vandaag or timezone.localdate()
    fouten: dict[str, list[str]] = {}
    omschrijving = (gegevens.omschrijving or "").strip()
    if not omschrijving:
        fouten["omschrijving"] = [_("Beschrijf wat er moet gebeuren.")]
    elif len(omschrijving) > OMSCHRIJVING_MAX:
        fouten["omschrijving"] = [
            _("Hou het kort: hoogstens %(max)d tekens.") % {"max": OMSCHRIJVING_MAX}
        ]
    if gegevens.eigenaar is None:
        fouten["eigenaar"] = [
            _("Kies wie het actiepunt opneemt: een actiepunt heeft een eigenaar.")
        ]
    elif not is_mogelijke_eigenaar(gegevens.eigenaar, leerling):
        fouten["eigenaar"] = [geen_eigenaar_bericht(gegevens.eigenaar, leerling)]
    if gegevens.vervaldatum is None:
        fouten["vervaldatum"] = [_("Vul in tegen wanneer het moet gebeuren.")]
    elif gegevens.vervaldatum < vandaag:
        fouten["vervaldatum"] = [
            _("De vervaldatum ligt in het verleden. Kies vandaag of een latere datum.")
        ]
    if fouten:
        raise ActiepuntFout(fouten)
    return ActiepuntGegevens(
        omschrijving=omschrijving, eigenaar=gegevens.eigenaar, vervaldatum=gegevens.vervaldatum
    )


def actiepunt_url(actiepunt: Actiepunt) -> str:
    return reverse("klassenraad:actiepunt_detail", args=[actiepunt.pk])


def actiepunt_maken(
    *, overleg: Overleg, leerling, beslissing: Beslissing | None, gegevens: ActiepuntGegevens, door
) -> Actiepunt:
    """Record an action item (inside the caller's transaction: the decision
    service) and tell its owner, unless the owner is the one recording. The
    notification names no student: it only points to the item."""
    g = actiepunt_controleren(gegevens, leerling=leerling)
    actiepunt = Actiepunt.objects.create(
        overleg=overleg,
        leerling=leerling,
        beslissing=beslissing,
        omschrijving=g.omschrijving,
        eigenaar=g.eigenaar,
        vervaldatum=g.vervaldatum,
    )
    if g.eigenaar.pk != door.pk:
        with translation.override(settings.LANGUAGE_CODE):
            titel = _("Je kreeg een actiepunt")
        melding_over_leerlingen(
            leerlingen=[leerling],
            ontvangers=[g.eigenaar],
            titel=titel,
            link=actiepunt_url(actiepunt),
            school=overleg.school,
            email=True,
        )
    return actiepunt


# --- completing ---------------------------------------------------------------------


def afhandeling_fouten(status: str, resultaat: str, *, kies: str, waarom: str) -> dict:
    """What is wrong with completing or cancelling a task (klassenraad.Taak:
    an action item, a reflection's action) as `status` with `resultaat`
    (stripped), by field; `kies` and `waarom` name the kind of task."""
    fouten: dict[str, list[str]] = {}
    if status not in AFGEHANDELD:
        fouten["status"] = [kies]
    if status == Taak.Status.GEANNULEERD and not resultaat:
        fouten["resultaat"] = [waarom]
    if len(resultaat) > RESULTAAT_MAX:
        fouten["resultaat"] = [
            _("Hou het kort: hoogstens %(max)d tekens.") % {"max": RESULTAAT_MAX}
        ]
    return fouten


@transaction.atomic
def actiepunt_afhandelen(
    *, actiepunt: Actiepunt, status: str, resultaat: str, versie: int, door
) -> Actiepunt:
    """Complete or cancel an open action item, starting from `versie`.
    Raises VerouderdeVersie (with the saved item) when someone else handled
    or changed it meanwhile, and changes nothing then."""
    resultaat = (resultaat or "").strip()
    fouten = afhandeling_fouten(
        status,
        resultaat,
        kies=_("Kies of het actiepunt afgerond of geannuleerd is."),
        waarom=_("Zeg waarom het actiepunt geannuleerd wordt."),
    )
    huidig = _opgeslagen(actiepunt.pk)
    versie_controleren(huidig, versie, _verouderd_bericht)
    if huidig.status != Actiepunt.Status.OPEN:
        raise ValidationError({NON_FIELD_ERRORS: [_("Dit actiepunt is al afgehandeld.")]})
    if fouten:
        raise ValidationError(fouten)
    nu = timezone.now()
    if not versie_ophogen(
        Actiepunt,
        actiepunt.pk,
        versie,
        status=status,
        resultaat=resultaat,
        afgehandeld_op=nu,
        afgehandeld_door=door,
    ):
        huidig = _opgeslagen(actiepunt.pk)
        raise VerouderdeVersie(huidig, _verouderd_bericht(huidig))
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="actiepunt",
        leerlingen=[huidig.leerling],
        object_id=huidig.pk,
        velden=["status", "resultaat"],
    )
    return _opgeslagen(actiepunt.pk)


def _opgeslagen(pk: int) -> Actiepunt:
    return Actiepunt.objects.select_related(
        "leerling", "overleg", "eigenaar", "afgehandeld_door"
    ).get(pk=pk)


def _verouderd_bericht(huidig: Actiepunt) -> str:
    if huidig.status != Actiepunt.Status.OPEN:
        return _(
            "Iemand anders handelde dit actiepunt intussen af (%(status)s, door %(naam)s). "
            "Hieronder staat wat bewaard is."
        ) % {"status": huidig.get_status_display(), "naam": huidig.afgehandeld_door or "?"}
    return _("Iemand anders wijzigde dit actiepunt intussen. Hieronder staat wat bewaard is.")
