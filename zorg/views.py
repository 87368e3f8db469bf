"""Project-level pages. Like urls.py this module is a composition root: it
may gather from every app (the start page shows each app's work for today);
the core apps in zorg/ (accounts, audit, meldingen) never import the apps."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from clb import policies as clb_policies
from clb.models import HGDTraject
from klassenraad import policies as klassenraad_policies
from klassenraad.models import Overleg
from leerlingen.models import Aanmelding
from leerlingen.policies import lesklassen
from leerlingen.views import werklijsten
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
        **_rode_vlaggen(user, t),
        **_signalen(user, t, titularis_ids),
        **_actiepunten(user),
        **_volgende_cellen(t),
        **_clb_werk(user, t),
        "rollen": rollen,
        "titularis_ids": titularis_ids,
        "mijn_klassen": mijn_klassen(user),
        "is_zorgteam": bool(t.zorg_school_ids),
        "is_clb": t.is_clb,
        "is_administratie": bool(t.administratie_school_ids),
        "recente_meldingen": list(Melding.objects.voor(user).ongelezen()[:5]),
    }
    return render(request, "start.html", context)


# Each start-page list shows this many items and a count of the rest.
OP_START = 10


def _rode_vlaggen(user, t) -> dict:
    """Open red flags of the schools where this user is in the care team:
    the unacknowledged first, the longest waiting on top; then those
    acknowledged but still open; for the director also the escalated ones.
    Each list links to its whole (leerlingen.views.werklijsten), which
    shares its querysets. A fixed number of queries whatever the number of
    flags."""
    if not t.zorg_school_ids:
        return {}
    rood = werklijsten.open_rode_vlaggen(user)
    directie_scholen = t.scholen_met(Rol.DIRECTIE)
    aantallen = rood.aggregate(
        onerkend=Count("pk", filter=Q(erkend_op__isnull=True)),
        erkend=Count("pk", filter=Q(erkend_op__isnull=False)),
        geescaleerd=Count("pk", filter=werklijsten.geescaleerd_filter(user)),
    )
    lijsten = {}
    for status in werklijsten.RODE_LIJSTEN:
        lijsten[status] = []
        if aantallen[status]:
            lijsten[status] = list(werklijsten.rode_vlaggen_lijst(user, status)[:OP_START])
    return {
        "toon_rode_vlaggen": True,
        "is_directie": bool(directie_scholen),
        "rode_onerkend": lijsten[werklijsten.ONERKEND],
        "rode_onerkend_aantal": aantallen[werklijsten.ONERKEND],
        "rode_erkend": lijsten[werklijsten.ERKEND],
        "rode_erkend_aantal": aantallen[werklijsten.ERKEND],
        "rode_geescaleerd": lijsten[werklijsten.GEESCALEERD],
        "rode_geescaleerd_aantal": aantallen[werklijsten.GEESCALEERD],
    }


def _signalen(user, t, titularis_ids) -> dict:
    """Open pattern signals: of every student of the school for the care
    team, of the students of their own class for a class teacher."""
    if not t.zorg_school_ids and not titularis_ids:
        return {}
    open_ = werklijsten.open_signalen(user)
    signalen = list(open_[:OP_START])
    return {
        "toon_signalen": True,
        "signalen": signalen,
        "signalen_aantal": open_.count() if signalen else 0,
    }


def _actiepunten(user) -> dict:
    """The user's own open action items, the earliest due (so the overdue)
    first: two queries when there are any, one when there are none. Only
    items about students whose care content the user may read."""
    open_ = klassenraad_policies.actiepunten_visible_to(user).open().filter(eigenaar=user)
    aantallen = open_.aggregate(
        aantal=Count("pk"),
        achterstallig=Count("pk", filter=Q(vervaldatum__lt=timezone.localdate())),
    )
    if not aantallen["aantal"]:
        return {}
    return {
        "mijn_actiepunten": list(
            open_.select_related("leerling").order_by("vervaldatum", "pk")[:OP_START]
        ),
        "mijn_actiepunten_aantal": aantallen["aantal"],
        "mijn_actiepunten_achterstallig": aantallen["achterstallig"],
    }


def _clb_werk(user, t) -> dict:
    """For CLB staff: the referrals waiting for their CLB, the newest (the
    last registered) first, so what came in since their last visit is on
    top; and how many running trajectories they lead. Two queries, three
    when referrals wait."""
    if not t.is_clb:
        return {}
    wachtend = clb_policies.aanmeldingen_voor_clb(user).filter(status=Aanmelding.Status.OPEN)
    aantal = wachtend.count()
    lijst = []
    if aantal:
        lijst = list(
            wachtend.select_related("leerling__school").order_by("-aangemaakt", "-pk")[:OP_START]
        )
    return {
        "clb_wachtend": lijst,
        "clb_wachtend_aantal": aantal,
        "clb_mijn_lopend": clb_policies.trajecten_voor_clb(user)
        .filter(begeleider=user, status=HGDTraject.Status.LOPEND)
        .count(),
    }


@login_not_required
@never_cache
@require_GET
def gezondheid(request):
    """For load balancers and container health checks: is the database
    reachable? Reveals nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _volgende_cellen(t) -> dict:
    """The next care cell of each school where this user is in the care
    team (planned or going on, from today): one query."""
    if not t.zorg_school_ids:
        return {}
    vandaag = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    cellen = (
        Overleg.objects.cellen()
        .filter(school_id__in=t.zorg_school_ids, moment__gte=vandaag)
        .exclude(status=Overleg.Status.AFGESLOTEN)
        .select_related("school")
        .annotate(aantal_punten=Count("agendapunten"))
        .order_by("moment", "pk")
    )
    # A school plans a few cells ahead at most: the first per school.
    eerste: dict[int, Overleg] = {}
    for cel in cellen[: 5 * len(t.zorg_school_ids)]:
        eerste.setdefault(cel.school_id, cel)
    return {"volgende_cellen": list(eerste.values())}
