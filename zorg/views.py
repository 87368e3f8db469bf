"""Project-level pages. Like urls.py this module is a composition root: it
may gather from every app (the start page shows each app's work for today);
the core apps in zorg/ (accounts, audit, meldingen) never import the apps."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from leerlingen.policies import lesklassen
from leerlingen.views.basis import mijn_klassen
from zorg.accounts.models import Rol, School
from zorg.accounts.policies import toegang
from zorg.meldingen.models import Melding


@require_GET
def start(request):
    """What this person must do today, by role. Later issues add their
    lists (red flags, evaluations due, action items) here."""
    user = request.user
    t = toegang(user)
    scholen = {s.pk: s for s in School.objects.filter(pk__in=t.alle_school_ids)}
    rollen = []
    for rol in Rol:
        for school_id in sorted(t.rollen.get(rol.value, ())):
            rollen.append((rol.label, scholen[school_id]))
    for school_id in sorted(t.clb_school_ids):
        rollen.append(("CLB", scholen[school_id]))
    titularis_ids = lesklassen(user).titularis_ids
    context = {
        "rollen": rollen,
        "titularis_ids": titularis_ids,
        "mijn_klassen": mijn_klassen(user),
        "is_zorgteam": bool(t.zorg_school_ids),
        "is_clb": t.is_clb,
        "is_administratie": bool(t.administratie_school_ids),
        "recente_meldingen": list(Melding.objects.voor(user).ongelezen()[:5]),
    }
    return render(request, "start.html", context)


@login_not_required
@never_cache
@require_GET
def gezondheid(request):
    """For load balancers and container health checks: is the database
    reachable? Reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
