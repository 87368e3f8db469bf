"""One sign-in for everyone: the platform's Django admin has no login form of
its own. Its login page sends the browser to allauth's, with MFA and the
sign-in throttle (zorg.accounts.aanmelden), and back to the admin after."""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


@login_not_required
def aanmelden(request, extra_context=None):
    volgende = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        volgende = reverse("admin:index")
    if admin.site.has_permission(request):
        return redirect(volgende)
    if request.user.is_authenticated:
        # Signed in, but the admin is not theirs: back to Zorg (sending them to
        # the sign-in page would send them straight back here).
        return redirect("start")
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: volgende})}")
