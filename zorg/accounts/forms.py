"""The second step of the sign-in (allauth.mfa's, through MFA_FORMS), counted
as zorg.accounts.aanmelden counts the password: per client address and per
account from a browser the account never signed in on, per browser on a known
one, so that whoever has the password cannot guess codes faster than the
limit nor lock the owner out of their own browsers. allauth's own forms count
every attempt against one window per account (`check_rate_limit`), which
anyone with the password can fill for a day; and they empty it, and the
client's address window with it, on every right code.

Only the counting differs from allauth's forms; checking the code and the key
is allauth's. And a malformed answer from the browser is a wrong answer here,
where allauth 65.22 lets some through as a KeyError (a 500).
tests/zorg/test_tweede_stap.py and test_sleutels.py pin the behaviour, so an
allauth upgrade that changes those forms fails there.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core import context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from allauth.mfa.webauthn.internal import auth as webauthn_auth
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import aanmelden

# What fido2 raises on a key answer of the wrong shape (a missing "rawId", a
# string where an object belongs): allauth catches only some of them.
_ONLEESBAAR = (KeyError, TypeError, ValueError, AttributeError, IndexError)


def _onleesbaar() -> ValidationError:
    return get_adapter().validation_error("incorrect_code")


def _verbruiken(user):
    """Count one answer for `user`'s account; refuse it, before it is
    checked, when the account or this client must wait."""
    usage = aanmelden.pogingen_verbruiken(
        context.request, aanmelden.account_sleutel(user.email), stap=aanmelden.TWEEDE_STAP
    )
    if not usage:
        raise get_account_adapter().validation_error("too_many_login_attempts")
    return usage


class TweedeStapForm(AuthenticateForm):
    """The code from the authenticator app, or a recovery code."""

    def clean_code(self) -> str:
        usage = _verbruiken(self.user)
        code = self.cleaned_data["code"]
        hoofd: Authenticator | None = None
        for authenticator in Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        ):
            if not hoofd or authenticator.type == Authenticator.Type.TOTP:
                hoofd = authenticator
            if authenticator.wrap().validate_code(code):
                authenticator.user = self.user
                self.authenticator = authenticator
                # A right code counts for nothing.
                usage.rollback()
                return code
        if hoofd:
            self._emit_authentication_failed(hoofd)
        aanmelden.tweede_stap_mislukt(context.request, self.user, wat="code")
        raise get_adapter().validation_error("incorrect_code")


class TweedeStapSleutelForm(AuthenticateWebAuthnForm):
    """The security key or passkey, after the password."""

    def clean_credential(self) -> Authenticator:
        credential = self.cleaned_data["credential"]
        usage = _verbruiken(self.user)
        try:
            webauthn_auth.parse_authentication_response(credential)
            authenticator = webauthn_auth.complete_authentication(self.user, credential)
        except (ValidationError, *_ONLEESBAAR) as exc:
            aanmelden.tweede_stap_mislukt(context.request, self.user, wat="sleutel")
            if isinstance(exc, ValidationError):
                raise
            raise _onleesbaar() from exc
        usage.rollback()
        return authenticator


class SleutelHerbevestigenForm(ReauthenticateWebAuthnForm):
    """The key, when allauth asks to confirm who is there (allauth's count)."""

    def clean_credential(self) -> Authenticator:
        try:
            return super().clean_credential()
        except _ONLEESBAAR as exc:
            raise _onleesbaar() from exc


def _sleutelnaam(form) -> None:
    # allauth's field has no label of its own ("Name", untranslated).
    form.fields["name"].label = _("Naam van de sleutel")
    form.fields["name"].help_text = _(
        "Zodat je je sleutels uit elkaar houdt, bijvoorbeeld 'USB-sleutel' of 'Laptop'."
    )


class SleutelToevoegenForm(AddWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _sleutelnaam(self)

    def clean(self) -> dict:
        try:
            return super().clean()
        except _ONLEESBAAR as exc:
            raise _onleesbaar() from exc


class SleutelWijzigenForm(EditWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _sleutelnaam(self)
