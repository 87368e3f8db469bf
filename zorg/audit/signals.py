from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import Actie
from .services import audit_vastleggen


@receiver(user_logged_in)
def aanmelding_vastleggen(sender, request, user, **kwargs):
    audit_vastleggen(gebruiker=user, actie=Actie.AANMELDEN, onderwerp="sessie")


@receiver(user_login_failed)
def mislukte_aanmelding_vastleggen(sender, credentials, request=None, **kwargs):
    audit_vastleggen(
        gebruiker=None,
        actie=Actie.AANMELDEN_MISLUKT,
        onderwerp="sessie",
        omschrijving=str(credentials.get("email") or credentials.get("username") or "")[:200],
    )
