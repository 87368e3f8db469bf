"""Two-step verification (allauth.mfa: an authenticator app or a security
key / passkey, with recovery codes) is required of everyone who reaches care
data or a whole school's records, and of teachers where their school asks it.

Who must (`mfa_verplicht`), with `ZORG_MFA_VERPLICHT` on (production's
default; off in the embedded mode, so the demo logins work with a password):

* care coordinators, directors, the directors of a school group, CLB staff:
  they read care records;
* the administrator (beheerder) and the secretariat: they see no care
  content, but every student's name, class and guardians of the whole
  school, and the administrator hands out the roles that open the care
  record. ASVS 5.0 (6.3.3, level 2) asks MFA of every user; the secretariat
  is no exception;
* the platform's staff and superusers: the Django admin holds the
  organisation and its people;
* teachers, where one of the schools they teach at keeps
  `School.mfa_leerkrachten` on (the default).

Someone who must and has no authenticator is sent, on every request, to
allauth's page that activates an app (`TweestapsMiddleware`), which offers
adding a key instead; either then shows the recovery codes. The enrolment pages themselves, the
reauthentication allauth may ask first, signing out and the language switch
stay open. allauth asks for the password again before adding an
authenticator unless it was checked in the last few minutes
(ACCOUNT_REAUTHENTICATION_TIMEOUT), and counts only its own reauthentication
for that: right after signing in with the password, the sign-in counts
(`_aanmelding_telt_als_herbevestiging`), so enrolment follows the sign-in
without a second password prompt. Once enrolled, every later sign-in asks for the code (allauth's
login stage).

The platform administrator resets a member who lost their phone
(`mfa_resetten`, the admin action on users): their authenticators are
deleted, in the audit trail, and their next request leads to enrolment.
"""

from __future__ import annotations

import time

from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    get_authentication_records,
)
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .models import Rol, School
from .policies import toegang

# An authenticator one signs in with; recovery codes only stand in for one.
TWEEDE_FACTOREN = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Roles that require MFA in every school (teachers: per school).
_ROLLEN_ALTIJD = (Rol.ZORGCOORDINATOR, Rol.DIRECTIE, Rol.BEHEERDER, Rol.SECRETARIAAT)

# Where someone who must enrol may still go: enrolment (and the
# reauthentication allauth asks before it when the sign-in is not recent),
# the recovery codes it shows, signing out, the language switch.
_OPEN_VOOR_INSCHRIJVING = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_add_webauthn",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "account_logout",
        "set_language",
    }
)


def mfa_verplicht(user) -> bool:
    """Whether `user` must sign in with a second factor (the module's rule)."""
    if not settings.ZORG_MFA_VERPLICHT or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    wat = toegang(user)
    if wat.scholen_met(*_ROLLEN_ALTIJD) or wat.groep_ids or wat.clb_ids:
        return True
    leerkracht = wat.leerkracht_school_ids
    return bool(leerkracht) and (
        School.objects.filter(pk__in=leerkracht, mfa_leerkrachten=True).exists()
    )


def heeft_tweede_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=TWEEDE_FACTOREN).exists()


# The session remembers that its user has a second factor, so a page costs
# no query for it once enrolled. Removing an authenticator forgets it
# (`tweede_factor_vergeten`); a reset by the administrator ends the sessions.
_HEEFT_FACTOR = "_zorg_tweede_factor"


def _heeft_tweede_factor_in_sessie(request) -> bool:
    if request.session.get(_HEEFT_FACTOR) == request.user.pk:
        return True
    if heeft_tweede_factor(request.user):
        request.session[_HEEFT_FACTOR] = request.user.pk
        return True
    return False


@receiver(authenticator_removed)
def tweede_factor_vergeten(sender, request=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session.pop(_HEEFT_FACTOR, None)


def mfa_resetten(*, door, user, school_id: int | None = None) -> int:
    """Delete every authenticator of `user` (app, keys, recovery codes), for
    someone who lost their phone; recorded in the audit trail under `door`.
    Where MFA is required, their next request leads to enrolment again.
    Every session of theirs ends: whoever held one signs in again, and
    enrols. How many authenticators there were. `school_id`: the school
    whose administrator did it (its audit trail shows the event)."""
    from zorg.audit.models import Actie
    from zorg.audit.services import audit_vastleggen
    from zorg.sessies.services import sessies_beeindigen

    with transaction.atomic():
        soorten = sorted(
            Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True)
        )
        Authenticator.objects.filter(user_id=user.pk).delete()
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.VERWIJDEREN,
            onderwerp="tweestapsverificatie",
            school_id=school_id,
            object_id=user.pk,
            omschrijving=(
                f"gereset voor {user.email}: {', '.join(soorten) or 'geen authenticators'}"
            ),
        )
        sessies_beeindigen(user=user, reden="tweestapsverificatie gereset", door=door)
    return len(soorten)


class MFAAdapter(DefaultMFAAdapter):
    """Someone who must use MFA cannot switch their last authenticator off
    (the deactivate page says so instead of sending them to enrol again)."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Tweestapsverificatie is verplicht voor jouw rol: je kunt ze niet uitschakelen. "
            "Nieuwe telefoon? Vraag de beheerder om je tweestapsverificatie te resetten."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type not in TWEEDE_FACTOREN or not mfa_verplicht(authenticator.user):
            return True
        return (
            Authenticator.objects.filter(user_id=authenticator.user_id, type__in=TWEEDE_FACTOREN)
            .exclude(pk=authenticator.pk)
            .exists()
        )


def _aanmelding_telt_als_herbevestiging(request: HttpRequest) -> None:
    """A password sign-in within allauth's reauthentication window counts as
    the reauthentication it asks before enrolment (its time stays the
    sign-in's: the window is not lengthened). Only for who must enrol."""
    records = get_authentication_records(request, request.user)
    if not records:
        return
    laatste = records[-1]
    if laatste.get("method") != "password" or laatste.get("reauthenticated"):
        return
    if time.time() - laatste.get("at", 0) >= account_settings.REAUTHENTICATION_TIMEOUT:
        return
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        *records[:-1],
        {**laatste, "reauthenticated": True},
    ]


class TweestapsMiddleware:
    """Sends a signed-in user who must use MFA and has no authenticator to
    enrolment, from every page but those `_OPEN_VOOR_INSCHRIJVING` names and
    the static files. `request.mfa_inschrijven` tells the enrolment page to
    explain why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.mfa_inschrijven = False
        if not settings.ZORG_MFA_VERPLICHT or not request.user.is_authenticated:
            return self.get_response(request)
        if settings.STATIC_URL and request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if not mfa_verplicht(request.user) or _heeft_tweede_factor_in_sessie(request):
            return self.get_response(request)
        request.mfa_inschrijven = True
        _aanmelding_telt_als_herbevestiging(request)
        try:
            naam = resolve(request.path_info).url_name
        except Resolver404:
            naam = None
        if naam in _OPEN_VOOR_INSCHRIJVING:
            return self.get_response(request)
        doel = reverse("mfa_activate_totp")
        if request.headers.get("HX-Request"):
            # htmx would swap the enrolment page into a fragment: load it whole.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = doel
            return response
        return redirect(doel)
