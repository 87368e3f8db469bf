from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from zorg.clientadres import client_ip

from . import aanmelden


class AccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by the school's administrator; nobody signs
    up on their own. Failed sign-ins are throttled as zorg.accounts.aanmelden
    explains."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Te veel mislukte aanmeldpogingen. Probeer het later opnieuw, of meld je aan "
            "in een browser waarin je al eerder aanmeldde. Lukt het dan nog niet, vraag "
            "de beheerder om de blokkering op te heffen."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        # allauth's rate limits and user sessions ask here: the same address
        # as the audit trail's.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials):
        return aanmelden.account_sleutel(credentials.get("email", credentials.get("username", "")))

    def pre_authenticate(self, request, **credentials):
        sleutel = self._get_login_attempts_cache_key(request, **credentials)
        self._login_failed_rl_usage = aanmelden.pogingen_verbruiken(request, sleutel)
        if not self._login_failed_rl_usage:
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials):
        aanmelden.mislukte_aanmelding_melden(credentials.get("email") or "")

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # The sign-in is complete (with MFA where it is on): this browser is
        # now one the account uses, with windows of its own.
        aanmelden.apparaat_onthouden(request, response, user.email)
        if any(r.get("method") == "mfa" for r in get_authentication_records(request, user)):
            # The password's wait only: the second step's stays (see
            # zorg.accounts.aanmelden).
            aanmelden.blokkering_opheffen(
                user=user,
                door=user,
                reden="aanmelding met tweestapsverificatie",
                tweede_stap=False,
            )
        return response
