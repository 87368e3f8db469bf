"""The client's address, the one way every part of Zorg learns it: the
sign-in throttle (through the account adapter, which allauth's rate limits
and user sessions ask), the audit trail, and whatever comes next.

Behind `ZORG_TRUSTED_PROXIES` reverse proxies, each appends the address it
received the request from to X-Forwarded-For, so the client is the entry that
many places from the end; whatever stands before it was written by the
client itself and proves nothing. Without proxies, X-Forwarded-For is the
client's own claim and is ignored: the TCP peer (REMOTE_ADDR) is the client.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _adres(waarde: str) -> str | None:
    try:
        return str(ipaddress.ip_address(waarde.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, normalised; None when it cannot be known (a
    malformed entry is never passed on to the throttle or the trail)."""
    aantal = settings.ZORG_TRUSTED_PROXIES
    if aantal:
        doorgestuurd = request.META.get("HTTP_X_FORWARDED_FOR", "")
        adressen = [deel for deel in doorgestuurd.split(",") if deel.strip()]
        if len(adressen) >= aantal:
            return _adres(adressen[-aantal])
        # Fewer entries than proxies: the request did not come through all of
        # them (or the proxy does not set the header). Its direct peer is then
        # the only address not written by the client.
    return _adres(request.META.get("REMOTE_ADDR") or "")
