from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
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


# Why a session ended, when Zorg ended it (zorg.sessies sets it on the
# request before logging out); else the person signed out themselves.
AFMELDREDEN = "zorg_afmeldreden"


@receiver(user_logged_out)
def afmelding_vastleggen(sender, request, user, **kwargs):
    if user is None:
        return
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.AFMELDEN,
        onderwerp="sessie",
        omschrijving=getattr(request, AFMELDREDEN, "zelf afgemeld"),
    )
