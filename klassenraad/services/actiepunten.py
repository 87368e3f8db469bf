"""Action items (actiepunten): who does what for a student by when, decided
at a meeting.

An action item is made together with its decision (services.beslissingen),
in the same transaction; its rules live here so every way in meets them:
a description, an owner who works at the school (any role) or for a CLB
serving it, and a due date that is not in the past. A broken rule raises
`ActiepuntFout`, a ValidationError whose keys are the action-item form's
field names.

Completing or cancelling names the version it started from
(klassenraad.services.basis.versie_ophogen): a second person handling the
same item meanwhile gets VerouderdeVersie with the saved item, not a silent
overwrite.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zorg.accounts.models import CLBMedewerker, Lidmaatschap
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.meldingen.services import melding_versturen

from ..models import Actiepunt, Beslissing, Overleg
from .basis import VerouderdeVersie, versie_ophogen

OMSCHRIJVING_MAX = Actiepunt._meta.get_field("omschrijving").max_length
RESULTAAT_MAX = Actiepunt._meta.get_field("resultaat").max_length
AFGEHANDELD = frozenset({Actiepunt.Status.AFGEROND, Actiepunt.Status.GEANNULEERD})


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


def mogelijke_eigenaars(school_id: int):
    """The active users who may own an action item of `school_id`'s
    students: staff of the school (an active membership, any role) and the
    staff of a CLB that serves the school. One query."""
    User = get_user_model()
    personeel = Lidmaatschap.objects.filter(user=OuterRef("pk"), school_id=school_id, actief=True)
    clb = CLBMedewerker.objects.filter(user=OuterRef("pk"), actief=True, clb__scholen=school_id)
    return User.objects.filter(Q(Exists(personeel)) | Q(Exists(clb)), is_active=True).order_by(
        "last_name", "first_name", "email"
    )


def is_mogelijke_eigenaar(user, school_id: int) -> bool:
    return mogelijke_eigenaars(school_id).filter(pk=user.pk).exists()


# --- rules ------------------------------------------------------------------------


def actiepunt_controleren(
    gegevens: ActiepuntGegevens, *, school_id: int, vandaag: datetime.date | None = None
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
    elif not is_mogelijke_eigenaar(gegevens.eigenaar, school_id):
        fouten["eigenaar"] = [
            _(
                "%(naam)s werkt niet op deze school of bij een CLB van de school. Kies iemand "
                "van de school of van het CLB."
            )
            % {"naam": gegevens.eigenaar}
        ]
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
    g = actiepunt_controleren(gegevens, school_id=overleg.school_id)
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
        melding_versturen(
            ontvangers=[g.eigenaar],
            titel=titel,
            link=actiepunt_url(actiepunt),
            school=overleg.school,
            email=True,
        )
    return actiepunt


# --- completing ---------------------------------------------------------------------


@transaction.atomic
def actiepunt_afhandelen(
    *, actiepunt: Actiepunt, status: str, resultaat: str, versie: int, door
) -> Actiepunt:
    """Complete or cancel an open action item, starting from `versie`.
    Raises VerouderdeVersie (with the saved item) when someone else handled
    or changed it meanwhile, and changes nothing then."""
    resultaat = (resultaat or "").strip()
    fouten: dict[str, list[str]] = {}
    if status not in AFGEHANDELD:
        fouten["status"] = [_("Kies of het actiepunt afgerond of geannuleerd is.")]
    if status == Actiepunt.Status.GEANNULEERD and not resultaat:
        fouten["resultaat"] = [_("Zeg waarom het actiepunt geannuleerd wordt.")]
    if len(resultaat) > RESULTAAT_MAX:
        fouten["resultaat"] = [
            _("Hou het kort: hoogstens %(max)d tekens.") % {"max": RESULTAAT_MAX}
        ]
    huidig = _opgeslagen(actiepunt.pk)
    if huidig.versie != versie:
        raise VerouderdeVersie(huidig, _verouderd_bericht(huidig))
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
        omschrijving=status,
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
