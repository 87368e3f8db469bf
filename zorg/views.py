"""Project-level pages. The start page only composes: each app contributes
its cards through zorg.startpagina; the core apps in zorg/ (accounts, audit,
meldingen) never import the apps."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .startpagina import startpagina


@require_GET
def start(request):
    """What this person must do today, by role, what needs action first."""
    return render(request, "start.html", startpagina(request))


@login_not_required
@never_cache
@require_GET
def gezondheid(request):
    """For load balancers and container health checks: is the database
    reachable? Reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
