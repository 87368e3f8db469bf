"""What the school sees of the CLB's work: per student the trajectory's state
and its shared layer, the written consultations, and the section on the
student page; and the CLB's written consultation in phase 1.

Everything read here of a trajectory's entries passes through
`clb.policies.gedeeld()`: the CLB-only layer never reaches these pages, not
as text and not as a count. Within the shared layer the school's own levels
apply (clb.services.tijdlijn): the class team reads the trajectory's state,
its perspective, goals and advice, and the consultations; the care team
also the question for help, needs, agreements, consultations held, other
shared notes and the participants. CLB staff who reach the student see on
these pages what the school's care team sees, with a link to their own
file.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from leerlingen.models import Zichtbaarheid
from leerlingen.policies import can_view_zorg, get_leerling_for_user, zichtbaarheden
from zorg.accounts.models import CLB
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form

from .. import policies
from ..forms.consultaties import ConsultatieForm
from ..models import Behoefte, Betrokkene, Doel, HGDTraject, Trajectnotitie
from ..services import consultaties as consultatie_services
from ..services.tijdlijn import NOTITIE_ZICHTBAARHEID

# The latest consultations on the student page; the trajectory page has all.
CONSULTATIES_IN_SECTIE = 3
# Notes the class team reads (the advice); the care team reads every shared note.
KLASTEAM_NOTITIES = [
    soort for soort, niveau in NOTITIE_ZICHTBAARHEID.items() if niveau == Zichtbaarheid.KLASTEAM
]
# How the trajectory page groups the shared notes, in this order.
NOTITIEGROEPEN = [
    (Trajectnotitie.Soort.ADVIES, "advies"),
    (Trajectnotitie.Soort.AFSPRAAK, "afspraken"),
    (Trajectnotitie.Soort.OVERLEG, "overleg"),
]


def _lopend_eerst(queryset):
    return queryset.annotate(
        _afgesloten=Case(
            When(status=HGDTraject.Status.LOPEND, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("_afgesloten", "-geopend_op", "-pk")


# --- the trajectory page -----------------------------------------------------------


@require_GET
def traject_school(request, pk):
    """Per trajectory its state and shared layer, and the written
    consultations. A fixed number of queries, whatever the number of
    entries."""
    user = request.user
    leerling = get_leerling_for_user(user, pk)
    gedeeld = gedeelde_laag(user, leerling)
    if not gedeeld["rijen"]:
        raise Http404
    zorgteam = gedeeld["zorgteam"]
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="hgd_traject",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving="gedeelde laag" + (" (zorgteam)" if zorgteam else " (klasteam)"),
    )
    return render(
        request,
        "clb/school/traject.html",
        {"leerling": leerling, **gedeeld},
    )


def gedeelde_laag(user, leerling, vanaf: datetime.date | None = None) -> dict:
    """What the school reads of the CLB's work on `leerling` (the trajectory
    page and the care file): per trajectory its state and shared layer, and
    the written consultations, within the school's own levels. From `vanaf`
    on, when given: the trajectories still running or closed since, and the
    consultations since (a trajectory's shared layer is shown whole: its
    goals and advice run on). A fixed number of queries, whatever the
    number of entries."""
    trajecten = policies.trajecten_voor_school(user, leerling)
    if vanaf is not None:
        trajecten = trajecten.filter(
            Q(status=HGDTraject.Status.LOPEND) | Q(afgesloten_op__gte=vanaf)
        )
    trajecten = list(_lopend_eerst(trajecten).select_related("begeleider"))
    zorgteam = Zichtbaarheid.ZORGTEAM in zichtbaarheden(user, leerling)
    ids = [traject.pk for traject in trajecten]

    doelen = defaultdict(list)
    for doel in policies.gedeeld(Doel.objects.filter(traject_id__in=ids)).order_by(
        "evaluatiedatum", "pk"
    ):
        doelen[doel.traject_id].append(doel)
    notities = policies.gedeeld(Trajectnotitie.objects.filter(traject_id__in=ids))
    if not zorgteam:
        notities = notities.filter(soort__in=KLASTEAM_NOTITIES)
    per_soort = defaultdict(lambda: defaultdict(list))
    for notitie in notities.order_by("-datum", "-aangemaakt", "-pk"):
        per_soort[notitie.traject_id][notitie.soort].append(notitie)
    behoeften = defaultdict(list)
    betrokkenen = defaultdict(list)
    if zorgteam:
        for behoefte in policies.gedeeld(Behoefte.objects.filter(traject_id__in=ids)).order_by(
            "soort", "van", "pk"
        ):
            behoeften[behoefte.traject_id].append(behoefte)
        for betrokkene in Betrokkene.objects.filter(traject_id__in=ids).order_by(
            "soort", "naam", "pk"
        ):
            betrokkenen[betrokkene.traject_id].append(betrokkene)
    consultaties = policies.consultaties_voor_school(user, leerling)
    if vanaf is not None:
        consultaties = consultaties.filter(datum__gte=vanaf)
    consultaties = list(
        consultaties.select_related("clb", "door").order_by("-datum", "-aangemaakt", "-pk")
    )

    vandaag = timezone.localdate()
    mijn_clbs = policies.clbs_van(user)
    rijen = []
    for traject in trajecten:
        groepen = per_soort[traject.pk]
        rij = {
            "traject": traject,
            "stappen": traject.stappen(),
            "doelen": [
                {
                    "doel": doel,
                    "te_evalueren": doel.status == Doel.Status.LOPEND
                    and doel.evaluatiedatum <= vandaag,
                }
                for doel in doelen[traject.pk]
            ],
            "behoeften": behoeften[traject.pk],
            "betrokkenen": betrokkenen[traject.pk],
            "andere_notities": [
                notitie
                for soort, lijst in groepen.items()
                if soort not in NOTITIE_ZICHTBAARHEID
                for notitie in lijst
            ],
            "eigen_dossier": traject.clb_id in mijn_clbs,
        }
        for soort, naam in NOTITIEGROEPEN:
            rij[naam] = groepen.get(soort, [])
        rijen.append(rij)

    return {"rijen": rijen, "consultaties": consultaties, "zorgteam": zorgteam, "vandaag": vandaag}


def dossierdeel(user, leerling, vanaf: datetime.date | None) -> dict | None:
    """What the CLB shares, in the student's care file
    (leerlingen.dossierdelen): the trajectory page's content, for whoever
    reads the student's care; nothing when there is nothing shared."""
    if not can_view_zorg(user, leerling):
        return None
    gedeeld = gedeelde_laag(user, leerling, vanaf)
    if not (gedeeld["rijen"] or gedeeld["consultaties"]):
        return None
    return {"template": "clb/pdf/_zorgdossier.html", **gedeeld}


# --- the written consultation (phase 1) ----------------------------------------------


def _clb_voor(user, leerling) -> CLB | None:
    """The user's CLB that serves the student's school."""
    return (
        CLB.objects.filter(pk__in=policies.clbs_van(user), scholen=leerling.school_id)
        .order_by("naam", "pk")
        .first()
    )


@require_http_methods(["GET", "POST"])
def consultatie_nieuw(request, pk):
    """For CLB staff who reach the student (a referral, a care cell they
    attend); 404 for everyone else, as for a student that does not exist."""
    user = request.user
    leerling = get_leerling_for_user(user, pk)
    if not policies.can_consult(user, leerling):
        raise Http404
    clb = _clb_voor(user, leerling)
    if clb is None:
        raise Http404
    mogelijk = consultatie_services.consultatie_mogelijk(leerling)
    form = ConsultatieForm(request.POST or None)
    if request.method == "POST" and mogelijk and form.is_valid():
        try:
            _consultatie, nieuw = eenmalig_bewaren(
                form,
                user,
                lambda: consultatie_services.consultatie_geven(
                    leerling=leerling,
                    clb=clb,
                    vraag=form.cleaned_data["vraag"],
                    advies=form.cleaned_data["advies"],
                    door=user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(
                request,
                _("De consultatie staat op de tijdlijn van de leerling.") if nieuw else AL_BEWAARD,
            )
            return redirect(reverse("leerlingen:leerling_detail", args=[leerling.pk]) + "#clb")
    if request.method == "GET":
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="clb_consultatie",
            leerlingen=[leerling],
            object_id=leerling.pk,
            omschrijving="formulier consultatie",
        )
    eigen_trajecten = []
    if not mogelijk:
        eigen_trajecten = list(
            policies.trajecten_voor_clb(user)
            .filter(leerling=leerling, status=HGDTraject.Status.LOPEND)
            .order_by("-geopend_op", "-pk")
            .values_list("pk", flat=True)
        )
    return render(
        request,
        "clb/school/consultatie_nieuw.html",
        {
            "leerling": leerling,
            "clb": clb,
            "form": form,
            "mogelijk": mogelijk,
            "fase_bericht": consultatie_services.fase_bericht(),
            "eigen_trajecten": eigen_trajecten,
        },
    )


# --- the section on the student page -----------------------------------------------


def sectie(request, leerling):
    """For whoever reads the student's care: each trajectory's state (stage,
    lead, next goal review) with the shared goals due, and the latest
    consultations; for CLB staff who reach the student also "give a
    consultation" (phase 1) and a link to their own file. None when there
    is nothing to show. Two queries, three with a trajectory."""
    user = request.user
    if not can_view_zorg(user, leerling):
        return None
    trajecten = list(
        _lopend_eerst(policies.trajecten_voor_school(user, leerling)).select_related("begeleider")
    )
    consultaties = list(
        policies.consultaties_voor_school(user, leerling)
        .select_related("clb")
        .order_by("-datum", "-aangemaakt", "-pk")[:CONSULTATIES_IN_SECTIE]
    )
    kan_consulteren = (
        policies.is_clb_medewerker(user)
        and policies.can_consult(user, leerling)
        and consultatie_services.consultatie_mogelijk(leerling)
    )
    if not (trajecten or consultaties or kan_consulteren):
        return None
    vandaag = timezone.localdate()
    lopende_doelen = defaultdict(list)
    lopend = [t.pk for t in trajecten if t.status == HGDTraject.Status.LOPEND]
    if lopend:
        for doel in policies.gedeeld(
            Doel.objects.filter(traject_id__in=lopend, status=Doel.Status.LOPEND)
        ).order_by("evaluatiedatum", "pk"):
            lopende_doelen[doel.traject_id].append(doel)
    mijn_clbs = policies.clbs_van(user)
    return {
        "onderdeel": "clb",
        "template": "clb/secties/clb.html",
        "trajecten": [
            {
                "traject": traject,
                "volgende_evaluatie": (
                    lopende_doelen[traject.pk][0].evaluatiedatum
                    if lopende_doelen[traject.pk]
                    else None
                ),
                "te_evalueren": [
                    doel for doel in lopende_doelen[traject.pk] if doel.evaluatiedatum <= vandaag
                ],
                "eigen_dossier": traject.clb_id in mijn_clbs,
            }
            for traject in trajecten
        ],
        "consultaties": consultaties,
        "kan_consulteren": kan_consulteren,
    }


urlpatterns = [
    path("leerlingen/<int:pk>/hgd/", traject_school, name="traject_school"),
    path("leerlingen/<int:pk>/clb-consultatie/", consultatie_nieuw, name="consultatie_nieuw"),
]
