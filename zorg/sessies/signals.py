"""The events that start a session or end a person's other sessions.

A changed password or second factor is a reason to think the old one was
known to someone else: every other session of the person ends, the one in
which they changed it stays. A reset by e-mail (signed out) ends them all."""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services, sessie


@receiver(user_logged_in)
def sessie_starten(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    leden, _limiet = sessie.leden_en_limiet(user)
    sessie.starten(request.session, leden)
    services.sessie_registreren(request, user)


def _huidige_sleutel(request, user) -> str | None:
    if request is None or getattr(request, "user", None) is None:
        return None
    if request.user.pk != user.pk:
        # Someone else (an administrator) changed it: none of the person's
        # sessions is the one of this request.
        return None
    return request.session.session_key


_REDENEN = {
    password_changed: "wachtwoord gewijzigd",
    password_set: "wachtwoord ingesteld",
    password_reset: "wachtwoord opnieuw ingesteld",
    authenticator_added: "tweestapsverificatie toegevoegd",
    authenticator_removed: "tweestapsverificatie verwijderd",
    authenticator_reset: "herstelcodes vernieuwd",
}


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
@receiver(authenticator_added)
@receiver(authenticator_removed)
@receiver(authenticator_reset)
def andere_sessies_beeindigen(sender, signal, request=None, user=None, **kwargs):
    if user is None:
        return
    services.sessies_beeindigen(
        user=user, reden=_REDENEN[signal], behalve=_huidige_sleutel(request, user)
    )
