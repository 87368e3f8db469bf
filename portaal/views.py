"""The parents' and students' portal: read-only pages for guardians and
students, the care team's page that invites and revokes, and the page behind
the invitation link."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.models import Ouder
from leerlingen.ouderinformatie import ouderinformatie
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren

from . import policies, services
from .forms import LEERLING, OpnieuwForm, UitnodigingForm
from .models import Portaaltoegang

# --- the student page's section -----------------------------------------------------


def sectie(request, leerling) -> dict | None:
    """For the care team: who has portal access to this student, and the way
    to the page that invites."""
    user = request.user
    if not policies.can_manage_portaal(user, leerling):
        return None
    toegangen = list(policies.portaaltoegangen_van(user, leerling).filter(ingetrokken_op=None))
    return {
        "onderdeel": "portaal",
        "template": "portaal/sectie.html",
        "portaal_aan": leerling.school.portaal_aan,
        "toegangen": toegangen,
    }


# --- the portal itself ------------------------------------------------------------


@require_GET
def start(request):
    """The children this person may read about."""
    user = request.user
    if not policies.can_view_portaal(user):
        raise Http404
    toegangen = list(
        policies.portaaltoegangen_visible_to(user)
        .select_related("leerling")
        .order_by("leerling__voornaam", "leerling__pk")
    )
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="portaal",
        leerlingen=[t.leerling for t in toegangen],
        omschrijving="portaal: lijst",
    )
    return render(request, "portaal/start.html", {"toegangen": toegangen, "kan_portaal": True})


@require_GET
def kind(request, pk):
    """What the school told this guardian (or this student) about the child:
    agreed measures, agreements from talks, the CLB's shared advice. Nothing
    else of the care record reaches this page."""
    user = request.user
    toegang = policies.get_portaaltoegang_for_user(user, pk)
    leerling = toegang.leerling
    informatie = ouderinformatie(leerling, voor=toegang.soort)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="portaal",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving=f"portaal ({toegang.soort}): maatregelen, afspraken, clb",
    )
    return render(
        request,
        "portaal/kind.html",
        {
            "leerling": leerling,
            "informatie": informatie,
            "voor_leerling": toegang.soort == Portaaltoegang.Soort.LEERLING,
            "meerdere": policies.portaaltoegangen_visible_to(user).count() > 1,
            "kan_portaal": True,
        },
    )


# --- the care team's page ---------------------------------------------------------


def _uitnodigen(user, leerling, form):
    wie = form.cleaned_data["wie"]
    if wie == LEERLING:
        return services.portaaltoegang_uitnodigen(
            door=user, leerling=leerling, email=form.cleaned_data.get("email", "")
        )
    ouder = Ouder.objects.filter(leerling=leerling, pk=wie).first()
    if ouder is None:
        raise ValidationError(_("Kies wie je uitnodigt."))
    return services.portaaltoegang_uitnodigen(door=user, leerling=leerling, ouder=ouder)


@require_http_methods(["GET", "POST"])
def beheer(request, pk):
    """Invite a guardian or the student, send again, revoke."""
    user = request.user
    leerling = policies.get_leerling_for_portaalbeheer(user, pk)
    portaal_aan = leerling.school.portaal_aan
    ouders = policies.uitnodigbare_ouders(user, leerling)
    leerling_kan = policies.is_oud_genoeg(leerling)
    form_kwargs = {"ouders": ouders, "leerling_kan": leerling_kan}
    form = UitnodigingForm(initial={"email": leerling.email}, **form_kwargs)
    if request.method == "POST":
        if not portaal_aan:
            raise Http404
        if "opnieuw" in request.POST:
            form_cls, bron = OpnieuwForm, OpnieuwForm(request.POST)
        else:
            form_cls, bron = UitnodigingForm, UitnodigingForm(request.POST, **form_kwargs)
        if bron.is_valid():
            if form_cls is OpnieuwForm:
                bron.cleaned_data["email"] = leerling.email
            try:
                _toegang, nieuw = eenmalig_bewaren(
                    bron, user, lambda: _uitnodigen(user, leerling, bron)
                )
            except ValidationError as exc:
                bron.add_error(None, exc)
            else:
                messages.success(
                    request, _("De uitnodiging is verstuurd.") if nieuw else AL_BEWAARD
                )
                return redirect("portaal:beheer", leerling.pk)
        if form_cls is UitnodigingForm:
            form = bron
        else:
            for fout in bron.non_field_errors() or [_("Kies wie je uitnodigt.")]:
                messages.error(request, fout)
    toegangen = list(
        policies.portaaltoegangen_van(user, leerling).order_by("-uitgenodigd_op", "-pk")
    )
    # A revoked access can be invited again when the person has no open one
    # (pending or accepted) to this student: once, on their latest row.
    open_ = {t.user_id for t in toegangen if t.ingetrokken_op is None}
    for toegang in toegangen:
        toegang.opnieuw_form = OpnieuwForm(
            initial={"wie": str(toegang.ouder_id) if toegang.ouder_id else LEERLING}
        )
        toegang.opnieuw_uitnodigen = toegang.ingetrokken_op is not None and (
            toegang.user_id not in open_ and (toegang.ouder_id is not None or leerling_kan)
        )
        if toegang.opnieuw_uitnodigen:
            open_.add(toegang.user_id)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp=services.ONDERWERP,
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving="portaaltoegangen",
    )
    return render(
        request,
        "portaal/beheer.html",
        {
            "leerling": leerling,
            "portaal_aan": portaal_aan,
            "form": form,
            "kan_uitnodigen": bool(form.fields["wie"].choices),
            "te_jong": not leerling_kan,
            "minimumleeftijd": policies.MINIMUMLEEFTIJD,
            "toegangen": toegangen,
        },
    )


@require_POST
def intrekken(request, pk):
    user = request.user
    toegang = policies.get_portaaltoegang_for_beheer(user, pk)
    services.portaaltoegang_intrekken(door=user, toegang=toegang)
    messages.success(request, _("De toegang is ingetrokken."))
    return redirect("portaal:beheer", toegang.leerling_id)


# --- the invitation link ----------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def uitnodiging(request, token):
    """Choose a password and enter the portal. An account that already has
    a password (a parent of a sibling, a staff member) only confirms, and
    signs in as usual."""
    toegang = services.toegang_uit_token(token)
    if toegang is None:
        return render(request, "portaal/uitnodiging.html", {"ongeldig": True})
    if toegang.aanvaard_op is not None:
        return render(request, "portaal/uitnodiging.html", {"al_aanvaard": True})
    persoon = toegang.user
    heeft_wachtwoord = persoon.has_usable_password()
    form = None if heeft_wachtwoord else SetPasswordForm(persoon)
    if request.method == "POST":
        if heeft_wachtwoord:
            services.portaaltoegang_aanvaarden(toegang=toegang, wachtwoord=None)
            messages.success(request, _("Je toegang is aanvaard. Meld je aan met je wachtwoord."))
            return redirect("account_login")
        form = SetPasswordForm(persoon, request.POST)
        if form.is_valid():
            services.portaaltoegang_aanvaarden(
                toegang=toegang, wachtwoord=form.cleaned_data["new_password1"]
            )
            persoon.refresh_from_db()
            login(request, persoon, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welkom! Je wachtwoord is ingesteld."))
            return redirect("portaal:start")
    return render(
        request,
        "portaal/uitnodiging.html",
        {
            "form": form,
            "email": persoon.email,
            "school": toegang.leerling.school,
            "actie": reverse("portaal:uitnodiging", kwargs={"token": token}),
        },
    )
