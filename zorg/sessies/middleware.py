from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from zorg.audit.signals import AFMELDREDEN

from . import services, sessie


class SessieMiddleware:
    """Ends a session that was idle too long, lasted too long, or outlived
    a membership (zorg.sessies.sessie), and records the person's activity.

    It runs before LoginRequiredMiddleware: a session it ends is anonymous
    there, so a page view goes to the login page and back afterwards. A form
    posted after the end cannot be replayed; the login page then leads back
    to the page the form was on. An htmx request sends the whole page to the
    login page instead of swapping it into a fragment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        session = request.session
        leden, limiet = sessie.leden_en_limiet(user)
        if sessie.BEGIN not in session:
            # A session from before this check existed, or from a sign-in
            # that bypassed the signal: it starts counting now.
            sessie.starten(session, leden)
            services.sessie_registreren(request, user)
        moment = sessie.nu()
        reden, bericht = self._reden(session, leden, limiet, moment)
        if bericht:
            return self._beeindigen(request, view_func, reden, bericht)
        bekend = set(session[sessie.LEDEN])
        if not leden <= bekend:
            # A new membership: ending it later ends the session too.
            session[sessie.LEDEN] = sorted(bekend | leden)
        if (
            sessie.is_activiteit(request, view_func)
            and moment - session[sessie.ACTIVITEIT] >= sessie.RESOLUTIE
        ):
            services.activiteit_vastleggen(request, moment)
        request.zorg_sessie = sessie.stand(session, limiet, moment)
        return None

    @staticmethod
    def _reden(session, leden, limiet, moment) -> tuple[str, str]:
        """Why the session ends now: the audit trail's words and the
        person's message; empty when it goes on."""
        if moment - session[sessie.BEGIN] > settings.SESSION_COOKIE_AGE:
            uren = settings.SESSION_COOKIE_AGE // 3600
            return f"na {uren} uur aangemeld", ngettext(
                "Je bent afgemeld omdat je al %(uren)d uur aangemeld was. "
                "Meld je opnieuw aan om verder te werken.",
                "Je bent afgemeld omdat je al %(uren)d uur aangemeld was. "
                "Meld je opnieuw aan om verder te werken.",
                uren,
            ) % {"uren": uren}
        if moment - session[sessie.ACTIVITEIT] > limiet:
            minuten = limiet // 60
            return f"{minuten} minuten niet actief", ngettext(
                "Je bent afgemeld omdat je %(minuten)d minuut niets deed in Zorg. "
                "Meld je opnieuw aan; daarna kom je terug waar je was.",
                "Je bent afgemeld omdat je %(minuten)d minuten niets deed in Zorg. "
                "Meld je opnieuw aan; daarna kom je terug waar je was.",
                minuten,
            ) % {"minuten": minuten}
        if not set(session[sessie.LEDEN]) <= leden:
            return "toegang tot een school gewijzigd", _(
                "Je bent afgemeld omdat je toegang tot een school gewijzigd is. "
                "Meld je opnieuw aan om verder te werken."
            )
        return "", ""

    @staticmethod
    def _beeindigen(request, view_func, reden, bericht):
        services.sessie_verwijderen(request.session.session_key)
        setattr(request, AFMELDREDEN, f"door Zorg afgemeld: {reden}")
        logout(request)
        messages.warning(request, bericht)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(_login_url(_terug(request, "HTTP_HX_CURRENT_URL")))
        if request.method not in ("GET", "HEAD") and getattr(view_func, "login_required", True):
            return redirect_to_login(_terug(request, "HTTP_REFERER"))
        return None


def _terug(request, header: str) -> str:
    """The path (and query) of the page the person was on, from a header
    that names it, if it is one of Zorg's; else the start page."""
    url = request.META.get(header, "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        delen = urlsplit(url)
        return delen.path + (f"?{delen.query}" if delen.query else "")
    return "/"


def _login_url(volgende: str) -> str:
    antwoord = redirect_to_login(volgende)
    return antwoord["Location"]
