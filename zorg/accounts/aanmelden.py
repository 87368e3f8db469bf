"""Sign-in throttling that protects accounts without handing out lockouts.

The problem: a limit on failed sign-ins per account stops password guessing,
but whoever knows a teacher's address can then keep the teacher out by
failing on purpose; a limit per client address alone lets an attacker with
many addresses guess on. The answer here is OWASP's "device cookie":

* Every failed sign-in counts against the client's address
  (`ACCOUNT_RATE_LIMITS["login_failed"]`, the `/ip` rates: 20 a minute,
  100 an hour). The address is the real client's behind the proxy
  (zorg.clientadres), so one client's failures never touch another's.
* A browser in which the account signed in before (password and, where it
  is on, MFA) carries a signed cookie naming that account (by a hash, never
  the address) with a random number. Sign-ins from that browser count only
  against that browser's own windows for that account: nobody else's failures
  can slow them down, not even from the school's shared address.
* Sign-ins from any other browser share the account's windows (the `/key`
  rates: 3 a minute, 6 in 15 minutes, 10 an hour, 20 a day). The wait grows
  with the failures, from under a minute to a day, so an attacker with
  unlimited addresses gets at most 10 guesses an hour and 20 a day on one
  account, whatever their rate. A refused attempt is refused before the
  password is checked: it tells the attacker nothing.
* A correct password counts for nothing (allauth rolls the attempt back), so
  nobody is slowed down by their own successful sign-ins.

The windows an attacker filled are emptied by a successful sign-in with MFA
(the owner has proved more than a password) and by the platform
administrator (the admin action on users, or `manage.py
aanmelding_deblokkeren`), both recorded in the audit trail. The owner hears
of repeated failures (3 in an hour) in Zorg and by e-mail, at most once an
hour.

The rate-limit machinery is allauth's (allauth.core.internal.ratelimit, the
same that allauth's own adapter uses); the tests in
tests/zorg/test_aanmelden.py pin the behaviour, so an allauth upgrade that
changes it fails there.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time

from allauth.account import app_settings as account_settings
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

APP = "allauth.account"
ACTIE = "login_failed"

APPARAAT_COOKIE = "zorg_apparaat"
_APPARAAT_SALT = "zorg.accounts.aanmelden.apparaat"
APPARAAT_DAGEN = 180
# A shared classroom PC remembers the last ten people who signed in on it.
_APPARAAT_MAX_ACCOUNTS = 10

log = logging.getLogger(__name__)

WAARSCHUWING_DREMPEL = 3
WAARSCHUWING_SECONDEN = 60 * 60


def account_sleutel(email: str) -> str:
    """The key an account's failures are counted under: its address, in lower
    case (not the host name allauth adds: every allowed host would otherwise
    give an attacker a fresh set of windows)."""
    return (email or "").strip().lower()


def _vingerafdruk(sleutel: str) -> str:
    return hashlib.sha256(f"zorg-apparaat:{sleutel}".encode()).hexdigest()[:32]


def _apparaten(request: HttpRequest) -> dict[str, str]:
    try:
        waarde = request.get_signed_cookie(
            APPARAAT_COOKIE, salt=_APPARAAT_SALT, max_age=APPARAAT_DAGEN * 86400
        )
    except (KeyError, signing.BadSignature):
        return {}
    try:
        paren = [deel.split(":", 1) for deel in waarde.split(",") if deel]
        return dict(paren)
    except ValueError:
        return {}


def apparaat_voor(request: HttpRequest, sleutel: str) -> str | None:
    """The number this browser holds for the account, if the account signed in
    on it before."""
    return _apparaten(request).get(_vingerafdruk(sleutel))


def apparaat_onthouden(request: HttpRequest, response: HttpResponse, email: str) -> None:
    """After a complete sign-in: mark this browser as one the account uses."""
    apparaten = _apparaten(request)
    vinger = _vingerafdruk(account_sleutel(email))
    nonce = apparaten.pop(vinger, None) or secrets.token_urlsafe(12)
    apparaten[vinger] = nonce  # most recent last
    bewaard = list(apparaten.items())[-_APPARAAT_MAX_ACCOUNTS:]
    response.set_signed_cookie(
        APPARAAT_COOKIE,
        ",".join(f"{v}:{n}" for v, n in bewaard),
        salt=_APPARAAT_SALT,
        max_age=APPARAAT_DAGEN * 86400,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _account_rates() -> list[ratelimit.Rate]:
    return [rate for rate in ratelimit.get_rates(app=APP, action=ACTIE) if rate.per == "key"]


def pogingen_verbruiken(request: HttpRequest, sleutel: str) -> ratelimit.RateLimitUsage | None:
    """Count one sign-in attempt for the account `sleutel` from this request,
    before the password is checked; None when it must be refused."""
    nonce = apparaat_voor(request, sleutel)
    if nonce:
        alle = account_settings.RATE_LIMITS.get(ACTIE) or ""
        eigen = ",".join(deel for deel in alle.split(",") if deel.strip().endswith("/key"))
        return ratelimit.consume(
            request,
            app=APP,
            action=ACTIE,
            config={ACTIE: eigen},
            key=f"{sleutel}#apparaat:{nonce}",
        )
    return ratelimit.consume(request, app=APP, action=ACTIE, key=sleutel)


def _cache_sleutels(sleutel: str) -> list[str]:
    return [
        ratelimit.get_cache_key(None, app=APP, action=ACTIE, rate=rate, key=sleutel)
        for rate in _account_rates()
    ]


def is_geblokkeerd(sleutel: str) -> bool:
    """Whether a browser the account never signed in on must wait now."""
    nu = time.time()
    for rate, cache_sleutel in zip(_account_rates(), _cache_sleutels(sleutel), strict=True):
        toegestaan, _geschiedenis = ratelimit.apply_rate(
            list(cache.get(cache_sleutel, [])), nu, rate, dry_run=True
        )
        if not toegestaan:
            return True
    return False


def geblokkeerd_van(sleutels) -> set[str]:
    """Which of the accounts `sleutels` are blocked now (`is_geblokkeerd`),
    read from the cache in one round trip: for a list of people."""
    sleutels = list(sleutels)
    rates = _account_rates()
    per_account = {s: _cache_sleutels(s) for s in sleutels}
    vensters = cache.get_many([k for ks in per_account.values() for k in ks])
    nu = time.time()
    geblokkeerd = set()
    for sleutel, cache_sleutels in per_account.items():
        for rate, cache_sleutel in zip(rates, cache_sleutels, strict=True):
            toegestaan, _geschiedenis = ratelimit.apply_rate(
                list(vensters.get(cache_sleutel, [])), nu, rate, dry_run=True
            )
            if not toegestaan:
                geblokkeerd.add(sleutel)
                break
    return geblokkeerd


def vensters_legen(sleutel: str) -> bool:
    """Empty the account's shared windows; whether any failure was in them."""
    sleutels = _cache_sleutels(sleutel)
    waren = any(cache.get(k) for k in sleutels)
    cache.delete_many(sleutels)
    return waren


def blokkering_opheffen(*, user, door=None, reden: str, school_id: int | None = None) -> bool:
    """Lift the wait the account's failures put on browsers it never signed in
    on, and record who did (`door`: the administrator, or the user after an
    MFA-backed sign-in; `school_id`: the school whose administrator did it).
    Whether there was anything to lift."""
    from zorg.audit.models import Actie
    from zorg.audit.services import audit_vastleggen

    waren = vensters_legen(account_sleutel(user.email))
    if waren:
        audit_vastleggen(
            gebruiker=door,
            actie=Actie.WIJZIGEN,
            onderwerp="aanmeldblokkering",
            school_id=school_id,
            object_id=user.pk,
            omschrijving=f"opgeheven voor {user.email}: {reden}",
        )
    return waren


def mislukte_aanmelding_melden(email: str) -> None:
    """Count a failed sign-in on the account of `email`; from the third in an
    hour, tell its owner in Zorg and by e-mail, at most once an hour."""
    from .models import User

    sleutel = account_sleutel(email)
    if not sleutel:
        return
    teller = f"zorg:aanmelden:mislukt:{_vingerafdruk(sleutel)}"
    cache.add(teller, 0, WAARSCHUWING_SECONDEN)
    try:
        aantal = cache.incr(teller)
    except ValueError:  # expired between add and incr
        return
    if aantal < WAARSCHUWING_DREMPEL:
        return
    user = User.objects.filter(email__iexact=sleutel, is_active=True).first()
    if user is None:
        return
    # cache.add is atomic: of two failures at once, one warns.
    if not cache.add(f"zorg:aanmelden:gewaarschuwd:{user.pk}", 1, WAARSCHUWING_SECONDEN):
        return
    _waarschuwen(user, aantal)


def _waarschuwen(user, aantal: int) -> None:
    from zorg.meldingen.services import melding_versturen

    from .tasks import aanmeldwaarschuwing_mailen

    melding_versturen(
        ontvangers=[user],
        titel=_("Mislukte aanmeldpogingen op je account"),
        tekst=_(
            "Het voorbije uur werd %(aantal)s keer geprobeerd om met een verkeerd wachtwoord "
            "op je account aan te melden. Was jij dat niet? Wijzig dan je wachtwoord en "
            "schakel tweestapsverificatie in."
        )
        % {"aantal": aantal},
        link=reverse("account_change_password"),
        email=False,
    )

    def mailen():
        try:
            aanmeldwaarschuwing_mailen.delay(user.pk, aantal)
        except Exception:  # any broker failure: the in-app notification stays
            log.warning("Warning e-mail about failed sign-ins of user %s not queued", user.pk)

    transaction.on_commit(mailen)
