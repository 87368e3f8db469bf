from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.audit.signals import AFMELDREDEN

from . import services, sessie


@require_http_methods(["GET", "POST"])
def sessies(request):
    """One's own live sessions; sign out the others, or everywhere."""
    huidig = request.session.session_key
    if request.method == "POST":
        actie = request.POST.get("actie")
        if actie == "overal":
            services.sessies_beeindigen(user=request.user, reden="overal afgemeld")
            setattr(request, AFMELDREDEN, "overal afgemeld")
            logout(request)
            messages.success(request, _("Je bent op alle toestellen afgemeld."))
            return redirect("account_login")
        if actie == "andere":
            aantal = services.sessies_beeindigen(
                user=request.user, reden="andere sessies afgemeld", behalve=huidig
            )
            messages.success(
                request,
                ngettext(
                    "%(aantal)d andere sessie is afgemeld.",
                    "%(aantal)d andere sessies zijn afgemeld.",
                    aantal,
                )
                % {"aantal": aantal},
            )
        else:
            messages.error(request, _("Kies of je de andere sessies of alle sessies afmeldt."))
        return redirect("sessies:lijst")
    lijst = services.levende_sessies(
        user=request.user, huidig=huidig, limiet=request.zorg_sessie.limiet
    )
    return render(request, "sessies/lijst.html", {"sessies": lijst})


def _stand(request) -> JsonResponse:
    stand = getattr(request, "zorg_sessie", None)
    if not request.user.is_authenticated or stand is None:
        return JsonResponse({"aangemeld": False})
    return JsonResponse(stand.als_json())


@never_cache
@login_not_required
@sessie.geen_activiteit()
@require_GET
def status(request):
    """How long the session has left, for the page's warning. Asking is not
    activity; a session that has ended answers `aangemeld: false` (and the
    login page will say why)."""
    return _stand(request)


@never_cache
@login_not_required
@require_POST
def verlengen(request):
    """ "Aangemeld blijven": activity, sent in the background so the page and
    what was typed on it stay."""
    if request.user.is_authenticated:
        services.activiteit_vastleggen(request)
        request.zorg_sessie = sessie.stand(request.session, request.zorg_sessie.limiet)
    return _stand(request)
