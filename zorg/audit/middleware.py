from zorg.clientadres import client_ip

from .context import Herkomst, huidige_herkomst


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
