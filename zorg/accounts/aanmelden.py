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

The second step (the code from the app or a recovery code, or the security
key, asked after the right password: zorg.accounts.forms) is counted the same
way, in windows of its own (`TWEEDE_STAP`): per client address and per account
from browsers the account never signed in on, per browser on a known one. So
whoever has the password gets at most 3 codes a minute, 6 in 15 minutes, 10 an
hour and 20 a day, from any number of addresses (a six-digit code: about one
chance in 50,000 a day), and cannot lock the owner out of the browsers the
owner signed in on before. A right code counts for nothing; a successful
sign-in does not empty these windows (that would give whoever has the password
a fresh set every time the owner signs in): they empty with time, or by the
administrator. Every wrong code is in the audit trail, and the owner hears of
repeated ones (3 in an hour): then someone knows their password.

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
# The second step's windows: the same rates, under keys of their own.
TWEEDE_STAP = "tweede-stap:"

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


def pogingen_verbruiken(
    request: HttpRequest, sleutel: str, *, stap: str = ""
) -> ratelimit.RateLimitUsage | None:
    """Count one sign-in attempt for the account `sleutel` from this request,
    before the password (or, with `stap=TWEEDE_STAP`, the second factor) is
    checked; None when it must be refused."""
    nonce = apparaat_voor(request, sleutel)
    teller = f"{stap}{sleutel}"
    if nonce:
        alle = account_settings.RATE_LIMITS.get(ACTIE) or ""
        eigen = ",".join(deel for deel in alle.split(",") if deel.strip().endswith("/key"))
        return ratelimit.consume(
            request,
            app=APP,
            action=ACTIE,
            config={ACTIE: eigen},
            key=f"{teller}#apparaat:{nonce}",
        )
    return ratelimit.consume(request, app=APP, action=ACTIE, key=teller)


def _cache_sleutels(sleutel: str) -> list[str]:
    return [
        ratelimit.get_cache_key(None, app=APP, action=ACTIE, rate=rate, key=sleutel)
        for rate in _account_rates()
    ]


def is_geblokkeerd(sleutel: str, *, stap: str = "") -> bool:
    """Whether a browser the account never signed in on must wait now (at
    the password, or at the second step)."""
    nu = time.time()
    sleutels = _cache_sleutels(f"{stap}{sleutel}")
    for rate, cache_sleutel in zip(_account_rates(), sleutels, strict=True):
        toegestaan, _geschiedenis = ratelimit.apply_rate(
            list(cache.get(cache_sleutel, [])), nu, rate, dry_run=True
        )
        if not toegestaan:
            return True
    return False


def geblokkeerd_van(sleutels) -> set[str]:
    """Which of the accounts `sleutels` are blocked now, at the password or
    at the second step (`is_geblokkeerd`), read from the cache in one round
    trip: for a list of people."""
    sleutels = list(sleutels)
    rates = _account_rates()
    per_account = {s: [_cache_sleutels(s), _cache_sleutels(f"{TWEEDE_STAP}{s}")] for s in sleutels}
    vensters = cache.get_many([k for stappen in per_account.values() for ks in stappen for k in ks])
    nu = time.time()
    geblokkeerd = set()
    for sleutel, stappen in per_account.items():
        for cache_sleutels in stappen:
            for rate, cache_sleutel in zip(rates, cache_sleutels, strict=True):
                toegestaan, _geschiedenis = ratelimit.apply_rate(
                    list(vensters.get(cache_sleutel, [])), nu, rate, dry_run=True
                )
                if not toegestaan:
                    geblokkeerd.add(sleutel)
    return geblokkeerd


def vensters_legen(sleutel: str, *, tweede_stap: bool = False) -> bool:
    """Empty the account's shared windows (with `tweede_stap`, the second
    step's too); whether any failure was in them."""
    sleutels = _cache_sleutels(sleutel)
    if tweede_stap:
        sleutels += _cache_sleutels(f"{TWEEDE_STAP}{sleutel}")
    waren = any(cache.get(k) for k in sleutels)
    cache.delete_many(sleutels)
    return waren


def blokkering_opheffen(
    *, user, door=None, reden: str, tweede_stap: bool = True, school_id: int | None = None
) -> bool:
    """Lift the wait the account's failures put on browsers it never signed in
    on, and record who did (`door`: the administrator, or the user after an
    MFA-backed sign-in, who lifts the password's wait only: `tweede_stap`
    False; `school_id`: the school whose administrator did it). Whether there
    was anything to lift."""
    from zorg.audit.models import Actie
    from zorg.audit.services import audit_vastleggen

    waren = vensters_legen(account_sleutel(user.email), tweede_stap=tweede_stap)
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


def mislukte_aanmelding_melden(email: str, *, stap: str = "") -> None:
    """Count a failed sign-in on the account of `email` (a wrong password, or
    with `stap=TWEEDE_STAP` a wrong second factor after the right password);
    from the third in an hour, tell its owner in Zorg and by e-mail, at most
    once an hour for each of the two."""
    from .models import User

    sleutel = account_sleutel(email)
    if not sleutel:
        return
    teller = f"zorg:aanmelden:mislukt:{stap}{_vingerafdruk(sleutel)}"
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
    if not cache.add(f"zorg:aanmelden:gewaarschuwd:{stap}{user.pk}", 1, WAARSCHUWING_SECONDEN):
        return
    _waarschuwen(user, aantal, tweede_stap=bool(stap))


def tweede_stap_mislukt(request: HttpRequest, user, *, wat: str) -> None:
    """A wrong answer at the second step (`wat`: what was tried) by whoever
    gave `user`'s password: in the audit trail, and counted for the owner's
    warning."""
    from zorg.audit.models import Actie
    from zorg.audit.services import audit_vastleggen

    audit_vastleggen(
        gebruiker=None,
        actie=Actie.AANMELDEN_MISLUKT,
        onderwerp="sessie",
        object_id=user.pk,
        omschrijving=f"tweede stap ({wat}) voor {user.email}"[:200],
    )
    mislukte_aanmelding_melden(user.email, stap=TWEEDE_STAP)


def _waarschuwen(user, aantal: int, *, tweede_stap: bool = False) -> None:
    from zorg.meldingen.services import melding_versturen

    from .tasks import aanmeldwaarschuwing_mailen

    if tweede_stap:
        tekst = _(
            "Het voorbije uur werd %(aantal)s keer je juiste wachtwoord ingegeven, maar "
            "daarna een verkeerde code of sleutel. Was jij dat niet? Dan kent iemand je "
            "wachtwoord: wijzig het meteen."
        )
    else:
        tekst = _(
            "Het voorbije uur werd %(aantal)s keer geprobeerd om met een verkeerd wachtwoord "
            "op je account aan te melden. Was jij dat niet? Wijzig dan je wachtwoord en "
            "schakel tweestapsverificatie in."
        )
    melding_versturen(
        ontvangers=[user],
        titel=_("Mislukte aanmeldpogingen op je account"),
        tekst=tekst % {"aantal": aantal},
        link=reverse("account_change_password"),
        email=False,
    )

    def mailen():
        try:
            aanmeldwaarschuwing_mailen.delay(user.pk, aantal, tweede_stap=tweede_stap)
        except Exception:  # any broker failure: the in-app notification stays
            log.warning("Warning e-mail about failed sign-ins of user %s not queued", user.pk)

    transaction.on_commit(mailen)
