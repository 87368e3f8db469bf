"""The retention pages of a school: its rules, and the dry run of what the
nightly job will destroy in the next 30 days, with the holds."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie

from . import policies, regels, services
from .forms import BeeindigenForm, OpschortingForm


@require_GET
def regels_tonen(request, pk):
    school = policies.get_school_for_user(request.user, pk)
    return render(
        request,
        "bewaring/regels.html",
        {"school": school, "regels": regels.regels_voor(school)},
    )


@require_GET
def vooruitblik(request, pk):
    school = policies.get_school_for_user(request.user, pk)
    van = timezone.localdate()
    tot = van + datetime.timedelta(days=regels.VOORUITBLIK_DAGEN)
    rijen = services.te_vernietigen(school=school, van=van, tot=tot)
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="bewaring",
        leerlingen=rijen,
        school_id=school.pk,
        omschrijving="vooruitblik",
    )
    return render(
        request,
        "bewaring/vooruitblik.html",
        {
            "school": school,
            "rijen": rijen,
            "van": van,
            "tot": tot,
            "dagen": regels.VOORUITBLIK_DAGEN,
        },
    )


@require_http_methods(["GET", "POST"])
def opschorten(request, pk, leerling_pk):
    school = policies.get_school_for_user(request.user, pk)
    leerling = policies.get_leerling_for_user(request.user, school, leerling_pk)
    form = OpschortingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _opschorting, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: services.opschorting_toevoegen(
                    leerling=leerling, reden=d["reden"], tot=d["tot"], door=request.user
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(
                request,
                _("De vernietiging is opgeschort tot en met %(tot)s.")
                % {"tot": d["tot"].strftime("%d/%m/%Y")}
                if nieuw
                else AL_BEWAARD,
            )
            return redirect("bewaring:vooruitblik", pk=school.pk)
    return render(
        request,
        "bewaring/opschorten.html",
        {"school": school, "leerling": leerling, "form": form},
    )


@require_POST
def opschorting_beeindigen(request, pk):
    opschorting = policies.get_opschorting_for_user(request.user, pk)
    school_id = opschorting.leerling.school_id
    if not policies.can_end_opschorting(request.user, opschorting):
        messages.info(request, _("Deze opschorting was al beëindigd."))
        return redirect("bewaring:vooruitblik", pk=school_id)
    form = BeeindigenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return redirect("bewaring:vooruitblik", pk=school_id)
    try:
        services.opschorting_beeindigen(
            opschorting=opschorting, door=request.user, versie=form.cleaned_data["versie"]
        )
    except VerouderdeVersie as fout:
        messages.error(request, fout.bericht)
    else:
        messages.success(request, _("De opschorting is beëindigd."))
    return redirect("bewaring:vooruitblik", pk=school_id)
