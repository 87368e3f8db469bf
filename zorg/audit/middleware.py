from django.conf import settings

from .context import Herkomst, huidige_herkomst


def client_ip(request) -> str | None:
    if settings.ZORG_BEHIND_PROXY:
        # One trusted reverse proxy appends the client's address last.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = huidige_herkomst.set(
            Herkomst(ip=client_ip(request), methode=request.method, pad=request.path[:500])
        )
        try:
            return self.get_response(request)
        finally:
            huidige_herkomst.reset(token)
