"""Portal users stay in the portal.

A guardian or student who signs in (`policies.is_portaalgebruiker`) reaches
the portal's pages, their own account pages (password, two-step
verification, sessions), signing out and the language switch. The start page
sends them to the portal; every other page is the same 404 a stranger gets:
their scope is empty anyway, this makes it a rule instead of a consequence.
`request.portaalgebruiker` tells the shared templates to leave out the staff
navigation."""

from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject

from .policies import is_portaalgebruiker

# allauth's account pages (account_*, mfa_*) open for everyone signed in;
# these are the project's own pages a portal user may open besides.
OPEN = frozenset(
    {"set_language", "gezondheid", "sessies:lijst", "sessies:status", "sessies:verlengen"}
)


def _toegestaan(naam: str) -> bool:
    return naam in OPEN or naam.startswith(("portaal:", "account_", "mfa_"))


class PortaalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.portaalgebruiker = SimpleLazyObject(lambda: is_portaalgebruiker(request.user))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or not is_portaalgebruiker(request.user):
            return None
        naam = request.resolver_match.view_name if request.resolver_match else ""
        if _toegestaan(naam):
            return None
        if naam == "start":
            # Only a page view moves on; the start page answers the rest (405).
            return redirect("portaal:start") if request.method in ("GET", "HEAD") else None
        raise Http404
