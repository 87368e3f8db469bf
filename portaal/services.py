"""Inviting to the portal, accepting an invitation, revoking access.

The audit trail names the student and the kind of access, never care
content; the e-mail leaves after the commit, through Celery."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerlingen.models import Leerling, Ouder
from zorg.accounts.models import User
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.sessies.services import sessies_beeindigen

from .models import Portaaltoegang
from .policies import MINIMUMLEEFTIJD, is_oud_genoeg, is_portaalgebruiker

log = logging.getLogger(__name__)

ONDERWERP = "portaaltoegang"
# How long the link in an invitation works.
GELDIG_DAGEN = 7
_ZOUT = "portaal.uitnodiging"


# --- the link ---------------------------------------------------------------------


def _stempel(toegang: Portaaltoegang) -> str:
    # A new invitation (a resend) changes uitgenodigd_op: older links stop.
    return f"{toegang.pk}.{int(toegang.uitgenodigd_op.timestamp())}"


def uitnodiging_token(toegang: Portaaltoegang) -> str:
    return signing.TimestampSigner(salt=_ZOUT).sign(_stempel(toegang))


def uitnodiging_link(toegang: Portaaltoegang) -> str:
    pad = reverse("portaal:uitnodiging", kwargs={"token": uitnodiging_token(toegang)})
    return f"{settings.ZORG_BASE_URL}{pad}"


def toegang_uit_token(token: str) -> Portaaltoegang | None:
    """The invitation a link was made for: None when the link is malformed,
    older than GELDIG_DAGEN, superseded by a newer invitation, or its access
    was revoked."""
    try:
        waarde = signing.TimestampSigner(salt=_ZOUT).unsign(token, max_age=GELDIG_DAGEN * 24 * 3600)
        pk = int(waarde.split(".", 1)[0])
    except (signing.BadSignature, ValueError):
        return None
    toegang = (
        Portaaltoegang.objects.select_related("user", "leerling__school")
        .filter(pk=pk, ingetrokken_op__isnull=True, user__is_active=True)
        .first()
    )
    if toegang is None or _stempel(toegang) != waarde:
        return None
    return toegang


# --- inviting ---------------------------------------------------------------------


def _bestaande_of_nieuwe(email: str) -> User:
    """The account with this address (case-insensitive), or a new one
    without a password and without any membership."""
    bestaand = User.objects.filter(email__iexact=email).first()
    if bestaand is not None:
        return bestaand
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=None)
    except IntegrityError:
        # The same address invited at the same moment.
        return User.objects.get(email__iexact=email)


def _mailen_na_commit(toegang_id: int) -> None:
    from .tasks import uitnodiging_mailen

    def mailen():
        try:
            uitnodiging_mailen.delay(toegang_id)
        except Exception:  # a broker failure: the page offers to send again
            log.warning("Portal invitation %s not queued", toegang_id)

    transaction.on_commit(mailen)


@transaction.atomic
def portaaltoegang_uitnodigen(
    *, door, leerling: Leerling, ouder: Ouder | None = None, email: str = ""
) -> Portaaltoegang:
    """Invite a guardian of `leerling` (`ouder`, at their e-mail address) or,
    without `ouder`, the student themself (from 12, at `email`, which becomes
    the student's address). Inviting again resends: the same access gets a
    new link, the older link stops. Inviting someone whose access was revoked
    opens a new access for the same account, with its own link, which they
    accept as before (with the password they have). Raises ValidationError (Dutch) when the
    school's portal is off, the guardian has no address, or the student is
    too young today."""
    if not leerling.school.portaal_aan:
        raise ValidationError(_("Het portaal voor ouders en leerlingen staat uit in deze school."))
    if ouder is not None:
        if ouder.leerling_id != leerling.pk:
            raise ValidationError(_("Deze ouder hoort niet bij deze leerling."))
        if not ouder.email:
            raise ValidationError(_("Deze ouder heeft geen e-mailadres."))
        adres, soort = ouder.email, Portaaltoegang.Soort.OUDER
    else:
        if not is_oud_genoeg(leerling):
            raise ValidationError(
                _("Een leerling kan pas vanaf %(jaar)d jaar uitgenodigd worden.")
                % {"jaar": MINIMUMLEEFTIJD}
            )
        adres = (email or leerling.email).strip()
        if not adres:
            raise ValidationError(_("Vul het e-mailadres van de leerling in."))
        soort = Portaaltoegang.Soort.LEERLING
        if adres != leerling.email:
            leerling.email = adres
            leerling.save(update_fields=["email", "gewijzigd"])
    user = _bestaande_of_nieuwe(adres)
    toegang = (
        Portaaltoegang.objects.select_for_update()
        .filter(user=user, leerling=leerling, ingetrokken_op__isnull=True)
        .first()
    )
    nu = timezone.now()
    if toegang is None:
        # After a revocation the same account is invited again: a new row, so
        # the revoked one keeps who had access when.
        eerder_ingetrokken = Portaaltoegang.objects.filter(
            user=user, leerling=leerling, ingetrokken_op__isnull=False
        ).exists()
        toegang = Portaaltoegang.objects.create(
            user=user,
            leerling=leerling,
            soort=soort,
            ouder=ouder,
            uitgenodigd_door=door,
            uitgenodigd_op=nu,
        )
        omschrijving = (
            f"opnieuw uitgenodigd na intrekking ({soort})"
            if eerder_ingetrokken
            else f"uitnodiging ({soort})"
        )
    else:
        toegang.uitgenodigd_door = door
        toegang.uitgenodigd_op = nu
        toegang.save(update_fields=["uitgenodigd_door", "uitgenodigd_op"])
        omschrijving = f"uitnodiging opnieuw verstuurd ({toegang.soort})"
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp=ONDERWERP,
        leerlingen=[leerling],
        object_id=toegang.pk,
        omschrijving=omschrijving,
    )
    _mailen_na_commit(toegang.pk)
    return toegang


# --- accepting and revoking -------------------------------------------------------


@transaction.atomic
def portaaltoegang_aanvaarden(*, toegang: Portaaltoegang, wachtwoord: str | None) -> Portaaltoegang:
    """The invited person accepts: with `wachtwoord` (a new account) their
    password is set. Accepting twice changes nothing."""
    toegang = Portaaltoegang.objects.select_for_update().select_related("user").get(pk=toegang.pk)
    if toegang.aanvaard_op is not None:
        return toegang
    if wachtwoord:
        toegang.user.set_password(wachtwoord)
        toegang.user.save(update_fields=["password"])
    toegang.aanvaard_op = timezone.now()
    toegang.save(update_fields=["aanvaard_op"])
    audit_vastleggen(
        gebruiker=toegang.user,
        actie=Actie.WIJZIGEN,
        onderwerp=ONDERWERP,
        leerlingen=[toegang.leerling],
        object_id=toegang.pk,
        omschrijving=f"uitnodiging aanvaard ({toegang.soort})",
        velden=["aanvaard_op"],
    )
    return toegang


@transaction.atomic
def portaaltoegang_intrekken(*, door, toegang: Portaaltoegang) -> Portaaltoegang:
    """End the access at once (its next page is a 404) and, for someone who
    signs in only for the portal, every session they have: their next request
    is signed out, and no session of theirs lingers in the session table.
    That holds also for a guardian who keeps another child: a revocation is
    often a conflict, and signing in again shows exactly what is left. Staff
    who are also a parent keep their sessions (their staff pages check their
    roles on every request). Revoking twice changes nothing."""
    toegang = Portaaltoegang.objects.select_for_update().select_related("user").get(pk=toegang.pk)
    if toegang.ingetrokken_op is not None:
        return toegang
    toegang.ingetrokken_op = timezone.now()
    toegang.save(update_fields=["ingetrokken_op"])
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp=ONDERWERP,
        leerlingen=[toegang.leerling],
        object_id=toegang.pk,
        omschrijving=f"toegang ingetrokken ({toegang.soort})",
        velden=["ingetrokken_op"],
    )
    if is_portaalgebruiker(toegang.user):
        sessies_beeindigen(user=toegang.user, reden="portaaltoegang ingetrokken", door=door)
    return toegang
