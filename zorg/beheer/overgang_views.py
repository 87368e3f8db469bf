"""The new school year's wizard (zorg.beheer.overgang): the classes' way to
the next year, the preview (a dry run), single students moved, the run, and
making a prepared year current.

The plan being made lives in the administrator's session until the run;
the director reads the preview of the proposal (no forms)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren

from . import overgang, policies
from .overgang_forms import (
    VERTREKT,
    ZOALS_KLAS,
    BevestigenForm,
    KlassenForm,
    LeerlingVerplaatsenForm,
)


def _sessiesleutel(school) -> str:
    return f"overgang:{school.pk}"


def _bron_of_pagina(request, school):
    try:
        return overgang.huidig_schooljaar(school), None
    except overgang.GeenHuidigSchooljaar:
        return None, render(
            request, "beheer/overgang/geen_jaar.html", {"school": school}, status=200
        )


def _plan(request, school, klassen) -> overgang.Plan:
    """The plan in this user's session for the current year's classes; else
    the proposal."""
    plan = overgang.Plan.uit_sessie(request.session.get(_sessiesleutel(school)))
    if plan is None:
        return overgang.standaardplan(klassen)
    return overgang.plan_aanvullen(plan, klassen)


def _plan_bewaren(request, school, plan: overgang.Plan) -> None:
    request.session[_sessiesleutel(school)] = plan.naar_sessie()


def _school_voor_beheerder(request, pk):
    school = policies.get_school_overgang_for_user(request.user, pk)
    if not policies.can_run_overgang(request.user, school):
        raise Http404
    return school


def _invoer_url() -> str | None:
    """The import of students and classes, once the project has it (issue 16,
    another part): the new first-year classes come in through it."""
    try:
        return reverse("invoer:start")
    except NoReverseMatch:
        return None


@require_http_methods(["GET", "POST"])
def overgang_start(request, pk):
    """Step 1 and 2: the next school year and where each class goes."""
    school = policies.get_school_overgang_for_user(request.user, pk)
    mag_uitvoeren = policies.can_run_overgang(request.user, school)
    if request.method == "POST" and not mag_uitvoeren:
        raise Http404
    bron, pagina = _bron_of_pagina(request, school)
    if pagina:
        return pagina
    klassen = overgang.bronklassen(bron)
    plan = _plan(request, school, klassen)
    form = KlassenForm(
        request.POST or None, klassen=klassen, plan=plan, alleen_lezen=not mag_uitvoeren
    )
    if request.method == "POST" and form.is_valid():
        _plan_bewaren(request, school, form.plan(plan))
        return redirect("beheer:overgang_voorbeeld", pk=school.pk)
    return render(
        request,
        "beheer/overgang/start.html",
        {
            "school": school,
            "bron": bron,
            "doel": overgang.volgend_schooljaar_gegevens(bron),
            "voorbereid": overgang.voorbereid_schooljaar(school),
            "form": form,
            "mag_uitvoeren": mag_uitvoeren,
            # The administrator imports; the director, reading along, does not.
            "invoer_url": _invoer_url() if mag_uitvoeren else None,
        },
    )


def _voorbeeld_context(
    request, school, bron, plan, *, klassen=None, verplaatsen=None, bevestigen=None
):
    overzicht = overgang.overgang_berekenen(bron, plan, klassen)
    mag_uitvoeren = policies.can_run_overgang(request.user, school)
    context = {
        "school": school,
        "bron": bron,
        "overzicht": overzicht,
        "telling": overzicht.telling(),
        "mag_uitvoeren": mag_uitvoeren,
    }
    if mag_uitvoeren:
        context["verplaatsen"] = verplaatsen or LeerlingVerplaatsenForm(
            bewegingen=overzicht.bewegingen, klasnamen=overzicht.klasnamen
        )
        context["bevestigen"] = bevestigen or BevestigenForm(initial={"van": bron.pk})
    # The page names every student of the year: its read is recorded, one
    # row per student in one INSERT, as every list of students does.
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="schooljaarovergang",
        leerlingen=[b.leerling for b in overzicht.bewegingen],
        school_id=school.pk,
        omschrijving=f"voorbeeld overgang naar {overzicht.doel.naam}",
    )
    return context


@require_GET
def overgang_voorbeeld(request, pk):
    """Step 3 to 6 as a dry run: every count, every student moving or
    leaving; for the administrator, the moves of single students and the
    confirmation."""
    school = policies.get_school_overgang_for_user(request.user, pk)
    bron, pagina = _bron_of_pagina(request, school)
    if pagina:
        return pagina
    klassen = overgang.bronklassen(bron)
    plan = _plan(request, school, klassen)
    context = _voorbeeld_context(request, school, bron, plan, klassen=klassen)
    return render(request, "beheer/overgang/voorbeeld.html", context)


@require_POST
def overgang_leerling(request, pk):
    """One student elsewhere than their class goes (or back to its way)."""
    school = _school_voor_beheerder(request, pk)
    bron, pagina = _bron_of_pagina(request, school)
    if pagina:
        return pagina
    plan = _plan(request, school, overgang.bronklassen(bron))
    overzicht = overgang.overgang_berekenen(bron, plan)
    form = LeerlingVerplaatsenForm(
        request.POST, bewegingen=overzicht.bewegingen, klasnamen=overzicht.klasnamen
    )
    if form.is_valid():
        leerling, naar = form.cleaned_data["leerling"], form.cleaned_data["naar"]
        if naar == ZOALS_KLAS:
            plan.leerlingen.pop(leerling, None)
        else:
            plan.leerlingen[leerling] = None if naar == VERTREKT else naar
        _plan_bewaren(request, school, plan)
        messages.success(request, _("De leerling is verplaatst in het voorbeeld."))
        return redirect("beheer:overgang_voorbeeld", pk=school.pk)
    context = _voorbeeld_context(request, school, bron, plan, verplaatsen=form)
    return render(request, "beheer/overgang/voorbeeld.html", context, status=200)


@require_POST
def overgang_uitvoeren(request, pk):
    """The run: one transaction, once per confirmation."""
    school = _school_voor_beheerder(request, pk)
    bron, pagina = _bron_of_pagina(request, school)
    if pagina:
        return pagina
    plan = _plan(request, school, overgang.bronklassen(bron))
    form = BevestigenForm(request.POST)
    if form.is_valid():
        try:
            telling, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: overgang.overgang_uitvoeren(
                    school=school,
                    plan=plan,
                    nu_huidig=form.cleaned_data["moment"] == BevestigenForm.NU,
                    van=form.cleaned_data["van"],
                    door=request.user,
                ),
            )
        except overgang.OvergangOngeldig as fout:
            for tekst in fout.fouten:
                form.add_error(None, tekst)
        except ValidationError as fout:
            form.add_error(None, fout)
        else:
            if not nieuw:
                messages.info(request, AL_BEWAARD)
            elif not any(telling.values()):
                messages.info(request, _("Alles was al gebeurd: er werd niets nieuws aangemaakt."))
            else:
                messages.success(
                    request,
                    _(
                        "De overgang is uitgevoerd: %(klassen)s nieuwe klassen, "
                        "%(inschrijvingen)s inschrijvingen, %(vertrekkers)s leerlingen "
                        "verlaten de school."
                    )
                    % telling,
                )
                if telling["huidig"]:
                    messages.success(
                        request,
                        _("%(jaar)s is nu het huidige schooljaar.")
                        % {"jaar": overgang.volgend_schooljaar_gegevens(bron).naam},
                    )
            return redirect("beheer:overgang_start", pk=school.pk)
    context = _voorbeeld_context(request, school, bron, plan, bevestigen=form)
    return render(request, "beheer/overgang/voorbeeld.html", context, status=200)


@require_POST
def schooljaar_huidig_maken(request, pk):
    """A prepared year becomes the current one, at the moment the
    administrator chooses."""
    jaar = policies.get_overgang_schooljaar_for_user(request.user, pk)
    if not policies.can_run_overgang(request.user, jaar.school):
        raise Http404
    try:
        gedaan = overgang.schooljaar_huidig_maken(doeljaar=jaar, door=request.user)
    except overgang.GeenHuidigSchooljaar:
        gedaan = False
    if gedaan:
        messages.success(request, _("%(jaar)s is nu het huidige schooljaar.") % {"jaar": jaar.naam})
    else:
        messages.info(
            request,
            _("%(jaar)s is niet het voorbereide volgende schooljaar: er werd niets gewijzigd.")
            % {"jaar": jaar.naam},
        )
    return redirect("beheer:overgang_start", pk=jaar.school_id)
