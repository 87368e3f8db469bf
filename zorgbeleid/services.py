"""Writing the team's reflection and its actions.

A reflection is created at its first save and edited while it is a draft;
each edit names the version it started from (zorg.versies). Making it final
records who decided and when; only the director opens it again (the view
asks zorgbeleid.policies). Actions are added and removed while the
reflection is a draft; completing or cancelling them is the follow-up of
the year and stays possible after it is final.

Every write is audited with the school, the object and the fields changed,
never the text itself (the trail is not a second copy of the report).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from klassenraad.services.actiepunten import afhandeling_fouten
from zorg.accounts.models import Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.meldingen.services import melding_versturen
from zorg.versies import VerouderdeVersie, nieuwe_versie_bewaren, vergrendelen, versie_ophogen

from .models import Keuze, Reflectie, Reflectieactie, Verwachting
from .policies import mogelijke_actie_eigenaars

REDENERING_MAX = Reflectie._meta.get_field("redenering").max_length
OMSCHRIJVING_MAX = Reflectieactie._meta.get_field("omschrijving").max_length


def _verouderd(huidig: Reflectie) -> str:
    return _(
        "Iemand anders bewaarde deze reflectie intussen (%(naam)s). Hieronder staat wat bewaard is."
    ) % {"naam": huidig.gewijzigd_door}


def _niet_meer_ontwerp() -> ValidationError:
    return ValidationError(
        {NON_FIELD_ERRORS: [_("Deze reflectie is definitief en kan niet meer gewijzigd worden.")]}
    )


def _audit(door, actie, onderwerp, obj, school_id, velden=(), omschrijving="") -> None:
    audit_vastleggen(
        gebruiker=door,
        actie=actie,
        onderwerp=onderwerp,
        school_id=school_id,
        object_id=obj.pk,
        velden=list(velden),
        omschrijving=omschrijving,
    )


# --- the reflection -------------------------------------------------------------------


def _controleren(keuze: str, redenering: str) -> str:
    fouten: dict[str, list[str]] = {}
    redenering = (redenering or "").strip()
    if keuze not in Keuze.values:
        fouten["keuze"] = [_("Kies wat het team wil doen.")]
    if not redenering:
        fouten["redenering"] = [_("Zeg waarom het team dit kiest.")]
    elif len(redenering) > REDENERING_MAX:
        fouten["redenering"] = [
            _("Hou het kort: hoogstens %(max)d tekens.") % {"max": REDENERING_MAX}
        ]
    if fouten:
        raise ValidationError(fouten)
    return redenering


@transaction.atomic
def reflectie_bewaren(
    *,
    schooljaar: Schooljaar,
    verwachting: str,
    keuze: str,
    redenering: str,
    versie: int | None,
    door,
) -> Reflectie:
    """Create the reflection of `verwachting` in `schooljaar` (`versie`
    None: the page showed none) or edit the draft, starting from `versie`.
    VerouderdeVersie with the saved reflection when someone else saved
    first (also when two people create the same one); a final reflection
    is refused."""
    if verwachting not in Verwachting.values:
        raise ValidationError({NON_FIELD_ERRORS: [_("Onbekende kwaliteitsverwachting.")]})
    redenering = _controleren(keuze, redenering)
    if versie is None:
        try:
            with transaction.atomic():
                reflectie = Reflectie.objects.create(
                    school_id=schooljaar.school_id,
                    schooljaar=schooljaar,
                    verwachting=verwachting,
                    keuze=keuze,
                    redenering=redenering,
                    aangemaakt_door=door,
                    gewijzigd_door=door,
                )
        except IntegrityError:
            huidig = Reflectie.objects.select_related("gewijzigd_door").get(
                schooljaar=schooljaar, verwachting=verwachting
            )
            raise VerouderdeVersie(huidig, _verouderd(huidig)) from None
        _audit(
            door,
            Actie.AANMAKEN,
            "reflectie",
            reflectie,
            schooljaar.school_id,
            ["keuze", "redenering"],
            verwachting,
        )
        return reflectie
    try:
        reflectie = vergrendelen(
            Reflectie.objects.select_related("gewijzigd_door"),
            versie=versie,
            bericht=_verouderd,
            schooljaar=schooljaar,
            verwachting=verwachting,
        )
    except Reflectie.DoesNotExist:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Deze reflectie bestaat niet meer. Laad de pagina opnieuw.")]}
        ) from None
    if reflectie.is_definitief:
        raise _niet_meer_ontwerp()
    velden = [
        v for v, w in (("keuze", keuze), ("redenering", redenering)) if getattr(reflectie, v) != w
    ]
    reflectie.keuze = keuze
    reflectie.redenering = redenering
    reflectie.gewijzigd_door = door
    nieuwe_versie_bewaren(reflectie, ["keuze", "redenering", "gewijzigd_door", "gewijzigd"])
    _audit(door, Actie.WIJZIGEN, "reflectie", reflectie, schooljaar.school_id, velden, verwachting)
    return reflectie


def _status_zetten(reflectie: Reflectie, versie: int, door, *, definitief: bool) -> Reflectie:
    """Make the reflection final (with who and when) or a draft again,
    starting from `versie`; audited. Refused when it already is."""
    huidig = vergrendelen(
        Reflectie.objects.select_related("gewijzigd_door"),
        versie=versie,
        bericht=_verouderd,
        pk=reflectie.pk,
    )
    if huidig.is_definitief == definitief:
        if definitief:
            raise _niet_meer_ontwerp()
        raise ValidationError({NON_FIELD_ERRORS: [_("Deze reflectie is al een ontwerp.")]})
    huidig.status = Reflectie.Status.DEFINITIEF if definitief else Reflectie.Status.ONTWERP
    huidig.beslist_door = door if definitief else None
    huidig.beslist_op = timezone.now() if definitief else None
    huidig.gewijzigd_door = door
    nieuwe_versie_bewaren(
        huidig, ["status", "beslist_door", "beslist_op", "gewijzigd_door", "gewijzigd"]
    )
    _audit(
        door,
        Actie.WIJZIGEN,
        "reflectie",
        huidig,
        huidig.school_id,
        ["status", "beslist_door", "beslist_op"],
        huidig.verwachting,
    )
    return huidig


@transaction.atomic
def reflectie_definitief_maken(*, reflectie: Reflectie, versie: int, door) -> Reflectie:
    """The team decided: the reflection becomes final, with who and when."""
    return _status_zetten(reflectie, versie, door, definitief=True)


@transaction.atomic
def reflectie_heropenen(*, reflectie: Reflectie, versie: int, door) -> Reflectie:
    """A final reflection becomes a draft again (the director's call: the
    view asks the policy). Who decided before stays in the audit trail."""
    return _status_zetten(reflectie, versie, door, definitief=False)


# --- actions ---------------------------------------------------------------------------


def actie_url(actie: Reflectieactie) -> str:
    return reverse("zorgbeleid:actie_detail", args=[actie.pk])


@transaction.atomic
def reflectieactie_toevoegen(
    *,
    reflectie: Reflectie,
    omschrijving: str,
    eigenaar,
    vervaldatum: datetime.date | None,
    door,
    vandaag: datetime.date | None = None,
) -> Reflectieactie:
    """An action of a draft reflection: a staff member of the school owns
    it by a date not in the past, and hears of it unless they add it
    themselves. ValidationError with the form's field names otherwise."""
    vandaag = vandaag or timezone.localdate()
    huidig = vergrendelen(Reflectie, pk=reflectie.pk)
    if huidig.is_definitief:
        raise _niet_meer_ontwerp()
    fouten: dict[str, list[str]] = {}
    omschrijving = (omschrijving or "").strip()
    if not omschrijving:
        fouten["omschrijving"] = [_("Beschrijf wat er moet gebeuren.")]
    elif len(omschrijving) > OMSCHRIJVING_MAX:
        fouten["omschrijving"] = [
            _("Hou het kort: hoogstens %(max)d tekens.") % {"max": OMSCHRIJVING_MAX}
        ]
    if eigenaar is None:
        fouten["eigenaar"] = [_("Kies wie de actie opneemt.")]
    elif not mogelijke_actie_eigenaars(huidig.school_id).filter(pk=eigenaar.pk).exists():
        fouten["eigenaar"] = [
            _(
                "Kies iemand van het personeel van de school: een leerkracht, een "
                "zorgcoördinator, de directie of het secretariaat."
            )
        ]
    if vervaldatum is None:
        fouten["vervaldatum"] = [_("Vul in tegen wanneer het moet gebeuren.")]
    elif vervaldatum < vandaag:
        fouten["vervaldatum"] = [
            _("De vervaldatum ligt in het verleden. Kies vandaag of een latere datum.")
        ]
    if fouten:
        raise ValidationError(fouten)
    actie = Reflectieactie.objects.create(
        reflectie=huidig,
        omschrijving=omschrijving,
        eigenaar=eigenaar,
        vervaldatum=vervaldatum,
        aangemaakt_door=door,
    )
    _audit(
        door,
        Actie.AANMAKEN,
        "reflectieactie",
        actie,
        huidig.school_id,
        ["omschrijving", "eigenaar", "vervaldatum"],
    )
    if eigenaar.pk != door.pk:
        with translation.override(settings.LANGUAGE_CODE):
            titel = _("Je kreeg een actie uit de reflectie op het zorgbeleid")
        melding_versturen(
            ontvangers=[eigenaar], titel=titel, link=actie_url(actie), school=huidig.school_id
        )
    return actie


@transaction.atomic
def reflectieactie_verwijderen(*, actie: Reflectieactie, versie: int, door) -> None:
    """Remove an open action of a draft reflection (a plan changed before
    the team decided); afterwards it is follow-up, not planning."""
    huidig = vergrendelen(
        Reflectieactie.objects.select_related("reflectie"), versie=versie, pk=actie.pk
    )
    if huidig.reflectie.is_definitief:
        raise _niet_meer_ontwerp()
    if huidig.status != Reflectieactie.Status.OPEN:
        raise ValidationError({NON_FIELD_ERRORS: [_("Deze actie is al afgehandeld.")]})
    _audit(door, Actie.VERWIJDEREN, "reflectieactie", huidig, huidig.reflectie.school_id)
    huidig.delete()


def _actie_verouderd(huidig: Reflectieactie) -> str:
    if huidig.status != Reflectieactie.Status.OPEN:
        return _(
            "Iemand anders handelde deze actie intussen af (%(status)s, door %(naam)s). "
            "Hieronder staat wat bewaard is."
        ) % {"status": huidig.get_status_display(), "naam": huidig.afgehandeld_door or "?"}
    return _("Iemand anders wijzigde deze actie intussen. Hieronder staat wat bewaard is.")


@transaction.atomic
def reflectieactie_afhandelen(
    *, actie: Reflectieactie, status: str, resultaat: str, versie: int, door
) -> Reflectieactie:
    """Complete or cancel an open action, starting from `versie`."""
    resultaat = (resultaat or "").strip()
    fouten = afhandeling_fouten(
        status,
        resultaat,
        kies=_("Kies of de actie afgerond of geannuleerd is."),
        waarom=_("Zeg waarom de actie geannuleerd wordt."),
    )
    if fouten:
        raise ValidationError(fouten)
    if not versie_ophogen(
        Reflectieactie,
        actie.pk,
        versie,
        status=status,
        resultaat=resultaat,
        afgehandeld_op=timezone.now(),
        afgehandeld_door=door,
    ):
        huidig = Reflectieactie.objects.select_related("afgehandeld_door").get(pk=actie.pk)
        raise VerouderdeVersie(huidig, _actie_verouderd(huidig))
    _audit(
        door,
        Actie.WIJZIGEN,
        "reflectieactie",
        actie,
        actie.reflectie.school_id,
        ["status", "resultaat"],
    )
    return Reflectieactie.objects.select_related("afgehandeld_door").get(pk=actie.pk)
