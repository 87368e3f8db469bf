"""The acknowledgement loop of a red flag, the follow-up of every flag, and
the escalation of red flags nobody acknowledged in time.

Each write locks the flag row alone (`zorg.versies.vergrendelen`, so no
other table is locked) and raises `versie`, so two care coordinators
clicking at the same moment get one acknowledgement and a clear answer for
the second. A broken rule raises a `ValidationError` in Dutch and writes
nothing.

Any care-team action on a red flag (taking it up, a follow-up) also counts as
acknowledging it: whoever does that has seen the alert, and the director must
not be called for a flag that is already being handled."""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zorg.accounts.models import Rol
from zorg.audit.models import Actie, AuditEvent
from zorg.audit.services import audit_events, audit_vastleggen
from zorg.versies import nieuwe_versie_bewaren, vergrendelen

from ..models import Leerling, Signaal, TijdlijnItem, Vlag, VlagKleur, VlagOpvolging, Zichtbaarheid
from ..policies import is_zorgteam
from .tijdlijn import tijdlijn_registreren
from .vlaggen import vlag_url

log = logging.getLogger(__name__)

ZORGTEAM_ROLLEN = (Rol.ZORGCOORDINATOR, Rol.DIRECTIE)
_NOTITIES_MAX = VlagOpvolging._meta.get_field("notities").max_length


def zorgteamleden(school_id: int):
    """Active users holding a care-team role (care coordinator, director) in
    the school: who may take a red flag up."""
    return (
        get_user_model()
        .objects.met_rol(school_id, *ZORGTEAM_ROLLEN)
        .order_by("last_name", "first_name", "email")
    )


def _vergrendelen(vlag: Vlag, versie: int | None = None) -> Vlag:
    """Lock the flag row (and nothing else) until commit. With `versie`, the
    caller saw that version: VerouderdeVersie when someone changed the flag
    since."""
    return vergrendelen(
        Vlag,
        pk=vlag.pk,
        versie=versie,
        bericht=_(
            "Iemand anders wijzigde deze vlag intussen. Bekijk de nieuwste stand "
            "en probeer opnieuw."
        ),
    )


def _bewaren(vergrendeld: Vlag, origineel: Vlag, velden: list[str]) -> None:
    """Save the locked copy with a raised version and bring the caller's
    object in line, so the view renders what was saved."""
    nieuwe_versie_bewaren(vergrendeld, velden)
    for veld in [*velden, "versie"]:
        attname = Vlag._meta.get_field(veld).attname
        setattr(origineel, attname, getattr(vergrendeld, attname))
        # Drop a cached related object (erkend_door, opgenomen_door): its id changed.
        if attname != veld:
            origineel._state.fields_cache.pop(veld, None)


def _leerlingen(vlag: Vlag) -> list[Leerling]:
    return list(Leerling.objects.filter(vlagbetrokkenheden__vlag=vlag).only("pk", "school_id"))


def _erkenning_aanvullen(vergrendeld: Vlag, door, nu) -> list[str]:
    """Record `door` as acknowledging a red flag nobody acknowledged yet."""
    if vergrendeld.kleur != VlagKleur.ROOD or vergrendeld.erkend_op is not None:
        return []
    vergrendeld.erkend_op = nu
    vergrendeld.erkend_door = door
    return ["erkend_op", "erkend_door"]


def _vlag_auditeren(vlag: Vlag, *, door, omschrijving: str, velden) -> None:
    """One audit event for a change of a flag, naming all its students."""
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="vlag",
        leerlingen=_leerlingen(vlag),
        school_id=vlag.school_id,
        object_id=vlag.pk,
        omschrijving=omschrijving,
        velden=velden,
    )


def _in_opvolging(vergrendeld: Vlag) -> list[str]:
    """Taking up an open flag puts it in follow-up; the changed fields."""
    if vergrendeld.status != Vlag.Status.OPEN:
        return []
    vergrendeld.status = Vlag.Status.IN_OPVOLGING
    return ["status"]


def _niet_afgesloten(vergrendeld: Vlag) -> None:
    if vergrendeld.status == Vlag.Status.AFGESLOTEN:
        raise ValidationError(
            _("Deze vlag is al afgesloten: er kan niets meer aan veranderen."), code="afgesloten"
        )


@transaction.atomic
def vlag_erkennen(*, vlag: Vlag, door) -> bool:
    """Acknowledge a red flag's alert. True when this call acknowledged it;
    False when someone already had (the first acknowledgement stays, and
    `vlag.erkend_door_id` / `vlag.erkend_op` then say who and when)."""
    if vlag.kleur != VlagKleur.ROOD:
        raise ValidationError(_("Enkel een rode vlag wordt erkend."), code="niet_rood")
    if not is_zorgteam(door, vlag.school_id):
        raise ValidationError(
            _("Enkel het zorgteam van de school erkent een rode vlag."), code="geen_zorgteam"
        )
    vergrendeld = _vergrendelen(vlag)
    if vergrendeld.erkend_op is not None:
        for veld in ("erkend_op", "erkend_door_id", "status", "versie", "opgenomen_door_id"):
            setattr(vlag, veld, getattr(vergrendeld, veld))
        vlag._state.fields_cache.pop("erkend_door", None)
        return False
    nu = timezone.now()
    velden = _erkenning_aanvullen(vergrendeld, door, nu)
    velden += _in_opvolging(vergrendeld)
    _bewaren(vergrendeld, vlag, velden)
    _vlag_auditeren(
        vlag,
        door=door,
        omschrijving="erkend",
        velden=velden,
    )
    return True


@transaction.atomic
def vlag_opnemen(*, vlag: Vlag, door, opnemer, versie: int | None = None) -> None:
    """Record who of the care team takes a red flag up. Acknowledges it too
    when nobody had yet."""
    if vlag.kleur != VlagKleur.ROOD:
        raise ValidationError(
            _("Enkel bij een rode vlag noteer je wie ze opneemt."), code="niet_rood"
        )
    if opnemer is None or not zorgteamleden(vlag.school_id).filter(pk=opnemer.pk).exists():
        raise ValidationError(
            {"opnemer": _("Kies iemand van het zorgteam van deze school.")}, code="geen_zorgteam"
        )
    vergrendeld = _vergrendelen(vlag, versie)
    _niet_afgesloten(vergrendeld)
    nu = timezone.now()
    vergrendeld.opgenomen_door = opnemer
    velden = ["opgenomen_door", *_erkenning_aanvullen(vergrendeld, door, nu)]
    velden += _in_opvolging(vergrendeld)
    _bewaren(vergrendeld, vlag, velden)
    _vlag_auditeren(
        vlag,
        door=door,
        omschrijving=f"opgenomen door gebruiker {opnemer.pk}",
        velden=velden,
    )


def _opvolging_controleren(
    *, vlag: Vlag, door, soort: str, datum: datetime.date | None, notities: str
) -> dict:
    fouten: dict[str, list[str]] = {}

    def fout(veld, bericht):
        fouten.setdefault(veld, []).append(bericht)

    notities = (notities or "").strip()
    if soort not in VlagOpvolging.Soort.values:
        fout("soort", _("Kies wat er als opvolging gebeurde."))
    elif soort == VlagOpvolging.Soort.TUCHT and not is_zorgteam(door, vlag.school_id):
        fout(
            "soort",
            _(
                "Een tuchtprocedure is een apart spoor dat enkel het zorgteam of de directie "
                "noteert. Overleg met de zorgcoördinator."
            ),
        )
    if datum is None:
        fout("datum", _("Geef de datum van de opvolging."))
    elif datum > timezone.localdate():
        fout(
            "datum",
            _("De datum ligt in de toekomst: noteer een opvolging nadat ze plaatsvond."),
        )
    if len(notities) > _NOTITIES_MAX:
        fout(
            "notities",
            _("Deze tekst is te lang: maximaal %(max)d tekens, nu %(aantal)d.")
            % {"max": _NOTITIES_MAX, "aantal": len(notities)},
        )
    elif "\x00" in notities:
        fout("notities", _("De tekst bevat een ongeldig teken."))
    if fouten:
        raise ValidationError(fouten)
    return {"soort": soort, "datum": datum, "notities": notities}


def _kleur_bijvoeglijk(kleur: str) -> str:
    return {
        VlagKleur.GROEN: _("groene"),
        VlagKleur.GEEL: _("gele"),
        VlagKleur.ORANJE: _("oranje"),
        VlagKleur.ROOD: _("rode"),
    }[kleur]


@transaction.atomic
def opvolging_toevoegen(
    *, vlag: Vlag, door, soort: str, datum: datetime.date | None, notities: str = ""
) -> VlagOpvolging:
    """Record a follow-up of a flag: the flag goes (or stays) in follow-up,
    and each involved student's timeline gets a care-team-only entry."""
    waarden = _opvolging_controleren(
        vlag=vlag, door=door, soort=soort, datum=datum, notities=notities
    )
    vergrendeld = _vergrendelen(vlag)
    _niet_afgesloten(vergrendeld)
    velden = _erkenning_aanvullen(vergrendeld, door, timezone.now())
    velden += _in_opvolging(vergrendeld)  # not closed, so open or already in follow-up
    _bewaren(vergrendeld, vlag, velden)
    opvolging = VlagOpvolging.objects.create(vlag=vlag, door=door, **waarden)
    leerlingen = _leerlingen(vlag)
    # The record is kept in the school's language, whatever the writer's UI.
    with translation.override(settings.LANGUAGE_CODE):
        titel = _("Opvolging %(kleur)s vlag: %(soort)s") % {
            "kleur": _kleur_bijvoeglijk(vlag.kleur),
            "soort": opvolging.get_soort_display(),
        }
    url = vlag_url(vlag)
    for leerling in leerlingen:
        tijdlijn_registreren(
            leerling=leerling,
            soort=TijdlijnItem.Soort.VLAG,
            datum=opvolging.datum,
            titel=titel,
            tekst=opvolging.notities,
            zichtbaarheid=Zichtbaarheid.ZORGTEAM,
            auteur=door,
            url=url,
            bron=opvolging,
        )
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="vlagopvolging",
        leerlingen=leerlingen,
        school_id=vlag.school_id,
        object_id=opvolging.pk,
        omschrijving=f"vlag {vlag.pk}",
        velden=["soort", "datum", "notities"],
    )
    return opvolging


@transaction.atomic
def vlag_afsluiten(*, vlag: Vlag, door, versie: int | None = None) -> None:
    """Close a flag. A red flag only once its follow-up is on record."""
    vergrendeld = _vergrendelen(vlag, versie)
    _niet_afgesloten(vergrendeld)
    if (
        vergrendeld.kleur == VlagKleur.ROOD
        and not VlagOpvolging.objects.filter(vlag_id=vergrendeld.pk).exists()
    ):
        raise ValidationError(
            _(
                "Een rode vlag sluit je pas af als er een opvolging genoteerd is, "
                "bijvoorbeeld een herstelgesprek of een contact met de ouders."
            ),
            code="geen_opvolging",
        )
    vergrendeld.status = Vlag.Status.AFGESLOTEN
    _bewaren(vergrendeld, vlag, ["status"])
    _vlag_auditeren(
        vlag,
        door=door,
        omschrijving="vlag afgesloten",
        velden=["status"],
    )


# --- escalation ----------------------------------------------------------------


def _duur(termijn: datetime.timedelta) -> str:
    minuten = int(termijn.total_seconds() // 60)
    if minuten % 60 == 0:
        uren = minuten // 60
        return ngettext("%(aantal)d uur", "%(aantal)d uur", uren) % {"aantal": uren}
    return ngettext("%(aantal)d minuut", "%(aantal)d minuten", minuten) % {"aantal": minuten}


def ontvangers_escalatie(school_id: int) -> list:
    """The school's director(s); a school without an active director falls
    back on its care coordinators, so the alarm never goes nowhere."""
    gebruikers = get_user_model().objects
    directie = list(gebruikers.met_rol(school_id, Rol.DIRECTIE))
    if directie:
        return directie
    log.warning("School %s has no active director to escalate a red flag to", school_id)
    return list(gebruikers.met_rol(school_id, Rol.ZORGCOORDINATOR))


def te_escaleren(nu: datetime.datetime | None = None, termijn: datetime.timedelta | None = None):
    """Red flags still open that nobody acknowledged within `termijn` (the
    school's escalation time) and that were not escalated yet."""
    nu = nu or timezone.now()
    termijn = settings.ZORG_RODE_VLAG_ESCALATIE if termijn is None else termijn
    return Vlag.objects.filter(
        kleur=VlagKleur.ROOD,
        erkend_op__isnull=True,
        geescaleerd_op__isnull=True,
        aangemaakt__lte=nu - termijn,
    ).exclude(status=Vlag.Status.AFGESLOTEN)


def escalatie_bericht(vlag: Vlag, termijn: datetime.timedelta) -> tuple[str, str]:
    """The escalation notification's title and text: the class and the
    moment, never a student's name."""
    klas = vlag.klas.naam if vlag.klas_id else ""
    titel = _("Rode vlag niet erkend na %(duur)s") % {"duur": _duur(termijn)}
    moment = timezone.localtime(vlag.moment).strftime("%d/%m/%Y %H:%M")
    tekst = _(
        "Een rode vlag in %(klas)s (%(moment)s) is nog door niemand van het "
        "zorgteam erkend. Bekijk ze en zorg dat iemand ze opneemt."
    ) % {"klas": klas or _("een klas"), "moment": moment}
    return titel, tekst


def escalaties_auditeren(vlag_ids: list[int]) -> None:
    """The audit events of these flags' escalation (as `_vlag_auditeren`,
    without a user: the system escalated them), in three queries whatever
    their number: the escalation of a whole school's flags in one run."""
    vlaggen = dict(Vlag.objects.filter(pk__in=vlag_ids).values_list("pk", "school_id"))
    leerlingen: dict[int, list[Leerling]] = defaultdict(list)
    for leerling in (
        Leerling.objects.filter(vlagbetrokkenheden__vlag_id__in=vlaggen)
        .annotate(vlag_id=F("vlagbetrokkenheden__vlag_id"))
        .only("pk", "school_id")
        .order_by("vlag_id", "pk")
    ):
        leerlingen[leerling.vlag_id].append(leerling)
    AuditEvent.objects.bulk_create(
        event
        for vlag_id, school_id in sorted(vlaggen.items())
        for event in audit_events(
            gebruiker=None,
            actie=Actie.WIJZIGEN,
            onderwerp="vlag",
            leerlingen=leerlingen[vlag_id],
            school_id=school_id,
            object_id=vlag_id,
            omschrijving="geëscaleerd naar de directie",
            velden=["geescaleerd_op"],
        )
    )


def rode_vlaggen_escaleren(nu: datetime.datetime | None = None) -> int:
    """Send each red flag nobody acknowledged in its school's time to the
    school's director, through the reminders (zorg.herinneringen: the
    escalation is the reminder kind `rode_vlag_escalatie`, on any day).
    Safe to run twice and beside another run: a run holds its school's
    row, and a flag is reminded of once. Returns how many were escalated."""
    from zorg.herinneringen.services import herinneringen_plannen

    nu = nu or timezone.now()
    kandidaten = te_escaleren(nu, termijn=datetime.timedelta(0))
    school_ids = sorted(set(kandidaten.values_list("school_id", flat=True)))
    voor = Vlag.objects.filter(geescaleerd_op__isnull=False).count()
    for school_id in school_ids:
        herinneringen_plannen(school_id=school_id, nu=nu, alleen=["rode_vlag_escalatie"])
    return Vlag.objects.filter(geescaleerd_op__isnull=False).count() - voor


# --- signals -------------------------------------------------------------------


@transaction.atomic
def signaal_afhandelen(*, signaal: Signaal, door) -> bool:
    """Mark a pattern signal as handled. False when it already was."""
    vergrendeld = Signaal.objects.select_for_update().get(pk=signaal.pk)
    if vergrendeld.afgehandeld_op is not None:
        signaal.afgehandeld_op = vergrendeld.afgehandeld_op
        signaal.afgehandeld_door_id = vergrendeld.afgehandeld_door_id
        return False
    vergrendeld.afgehandeld_op = timezone.now()
    vergrendeld.afgehandeld_door = door
    vergrendeld.save(update_fields=["afgehandeld_op", "afgehandeld_door"])
    signaal.afgehandeld_op = vergrendeld.afgehandeld_op
    signaal.afgehandeld_door_id = door.pk
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="signaal",
        leerlingen=[signaal.leerling],
        object_id=signaal.pk,
        omschrijving="signaal afgehandeld",
        velden=["afgehandeld_op", "afgehandeld_door"],
    )
    return True
