"""A person's sessions: registering them, recording activity, ending them.

Each session has a row in allauth.usersessions (`UserSession`), made at
sign-in, so all of a person's sessions can be listed and ended, not only
the one of the request at hand."""

import datetime
from dataclasses import dataclass
from importlib import import_module

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import sessie

# Not an address to bind to: the row of a sign-in whose client is unknown.
GEEN_IP = "0.0.0.0"  # noqa: S104


def sessie_registreren(request, user) -> None:
    """The row of the request's session, made at sign-in (or, for a
    session from before the rows existed, at its first request)."""
    session = request.session
    if not session.session_key:
        session.save()
    try:
        ip = get_account_adapter().get_client_ip(request)
    except PermissionDenied:
        ip = GEEN_IP  # a sign-in without a client address (a test client's)
    browser = request.META.get("HTTP_USER_AGENT", "")
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "ip": ip,
            "user_agent": browser[: UserSession._meta.get_field("user_agent").max_length],
            "last_seen_at": timezone.now(),
        },
    )


def activiteit_vastleggen(request, moment: float | None = None) -> None:
    moment = sessie.nu() if moment is None else moment
    request.session[sessie.ACTIVITEIT] = moment
    UserSession.objects.filter(session_key=request.session.session_key).update(
        last_seen_at=datetime.datetime.fromtimestamp(moment, tz=datetime.UTC)
    )


def sessie_verwijderen(session_key: str | None) -> None:
    """Forget the row of a session that is being ended by logging out."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessies_beeindigen(*, user, reden: str, behalve: str | None = None, door=None) -> int:
    """End every session of `user` but `behalve` (the session key of the
    request that asked, which the caller keeps or ends itself), for `reden`
    (the audit trail's words: no care content), asked by `door` (the person
    themselves unless given). Returns how many ended."""
    from zorg.audit.models import Actie
    from zorg.audit.services import audit_vastleggen

    rijen = UserSession.objects.filter(user_id=user.pk)
    if behalve:
        rijen = rijen.exclude(session_key=behalve)
    sleutels = list(rijen.values_list("session_key", flat=True))
    # A row can outlive its session (a key cycled at a password change, a
    # session that expired): only those still stored count as ended.
    levend = set(
        Session.objects.filter(session_key__in=sleutels).values_list("session_key", flat=True)
    )
    store = _store()
    for sleutel in sleutels:
        store().delete(sleutel)
    UserSession.objects.filter(session_key__in=sleutels).delete()
    if levend:
        audit_vastleggen(
            gebruiker=door or user,
            actie=Actie.AFMELDEN,
            onderwerp="sessie",
            object_id=user.pk,
            omschrijving=f"{len(levend)} sessie(s) van {user.email} beëindigd: {reden}",
        )
    return len(levend)


@dataclass(frozen=True)
class Sessie:
    """One live session on the sessions page."""

    begin: datetime.datetime
    laatst_actief: datetime.datetime
    ip: str
    browser: str
    is_huidig: bool


def _tijd(waarde: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(waarde, tz=datetime.UTC)


def levende_sessies(*, user, huidig: str, limiet: int) -> list[Sessie]:
    """The sessions of `user` that are still valid (signed in as them with
    their current password, within the idle limit `limiet` and the absolute
    limit), newest first. Rows of sessions that ended are removed. Three
    queries, whatever the number of sessions."""
    rijen = list(UserSession.objects.filter(user_id=user.pk))
    opgeslagen = {
        s.session_key: s
        for s in Session.objects.filter(
            session_key__in=[r.session_key for r in rijen], expire_date__gt=timezone.now()
        )
    }
    store = _store()()
    moment = sessie.nu()
    hash_ = user.get_session_auth_hash()
    levend, dood = [], []
    for rij in rijen:
        opslag = opgeslagen.get(rij.session_key)
        gegevens = store.decode(opslag.session_data) if opslag else {}
        geldig = (
            str(gegevens.get(SESSION_KEY)) == str(user.pk)
            and constant_time_compare(gegevens.get(HASH_SESSION_KEY, ""), hash_)
            and sessie.BEGIN in gegevens
            and moment - gegevens[sessie.BEGIN] <= settings.SESSION_COOKIE_AGE
            and moment - gegevens[sessie.ACTIVITEIT] <= limiet
        )
        if not geldig:
            dood.append(rij.pk)
            continue
        levend.append(
            Sessie(
                begin=_tijd(gegevens[sessie.BEGIN]),
                laatst_actief=_tijd(gegevens[sessie.ACTIVITEIT]),
                ip=rij.ip,
                browser=rij.user_agent,
                is_huidig=rij.session_key == huidig,
            )
        )
    if dood:
        UserSession.objects.filter(pk__in=dood).delete()
    return sorted(levend, key=lambda s: (not s.is_huidig, -s.begin.timestamp()))
