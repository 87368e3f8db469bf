"""The school's settings page and its school-year calendar."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie, conflict_tonen

from . import policies, services
from .forms import (
    INSTELLINGEN,
    KLEURLABELS,
    KalenderVersieForm,
    SchoolinstellingenForm,
    VrijePeriodeForm,
    VrijePeriodeToevoegenForm,
    VrijePeriodeWijzigenForm,
)
from .services import schoolinstellingen_wijzigen


@require_GET
def instellingen_start(request):
    """The settings of the user's school; with several, a choice."""
    scholen = list(policies.instellingen_scholen_visible_to(request.user))
    if not scholen:
        raise Http404
    if len(scholen) == 1:
        return redirect("beheer:instellingen", pk=scholen[0].pk)
    return render(request, "beheer/scholen.html", {"scholen": scholen})


@require_http_methods(["GET", "POST"])
def instellingen(request, pk):
    school = policies.get_school_instellingen_for_user(request.user, pk)
    mag_wijzigen = policies.can_edit_school_instellingen(request.user, school)
    if request.method == "POST" and not mag_wijzigen:
        raise Http404
    form = SchoolinstellingenForm(
        request.POST or None, instance=school, alleen_lezen=not mag_wijzigen
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        gegevens = {veld: form.cleaned_data[veld] for veld in INSTELLINGEN}
        try:
            gewijzigd = schoolinstellingen_wijzigen(
                school=school,
                versie=form.cleaned_data["versie"],
                gegevens=gegevens,
                door=request.user,
            )
        except VerouderdeVersie as exc:
            form, conflict = conflict_tonen(
                request,
                exc,
                SchoolinstellingenForm,
                instance=exc.huidig,
            )
            conflict["verschillen"] = _verschillen(exc.huidig, gegevens)
        else:
            if gewijzigd:
                messages.success(request, _("De instellingen zijn bewaard."))
            else:
                messages.info(request, _("Er was niets gewijzigd."))
            return redirect(reverse("beheer:instellingen", args=[school.pk]))
    return render(
        request,
        "beheer/instellingen.html",
        {
            "school": school,
            "form": form,
            "mag_wijzigen": mag_wijzigen,
            "conflict": conflict,
            "toon_kalender": policies.can_view_kalender(request.user, school),
            "toon_overgang": policies.can_view_overgang(request.user, school),
        },
    )


def _weergave(school, veld: str, waarde) -> str:
    if waarde is None or waarde == "":
        return "–"
    if veld == "patroon_kleuren":
        return ", ".join(str(KLEURLABELS.get(kleur, kleur)) for kleur in waarde)
    keuzes = dict(school._meta.get_field(veld).flatchoices)
    if veld in ("zorgcel_uur", "digest_uur"):
        return waarde.strftime("%H:%M")
    return str(keuzes.get(waarde, waarde))


def _verschillen(opgeslagen, ingevuld: dict) -> list[dict]:
    """The settings where what is saved now differs from what the user typed."""
    return [
        {
            "label": opgeslagen._meta.get_field(veld).verbose_name,
            "opgeslagen": _weergave(opgeslagen, veld, getattr(opgeslagen, veld)),
            "ingevuld": _weergave(opgeslagen, veld, waarde),
        }
        for veld, waarde in ingevuld.items()
        if getattr(opgeslagen, veld) != waarde
    ]


# --- the school-year calendar -----------------------------------------------------


@require_GET
def kalender_start(request, pk):
    """The school's calendar: that of its current school year (else its
    latest); a school without school years says so."""
    school = policies.get_school_instellingen_for_user(request.user, pk)
    jaren = list(school.schooljaren.order_by("-is_huidig", "-begin")[:1])
    if jaren:
        return redirect("beheer:kalender", pk=jaren[0].pk)
    return render(request, "beheer/kalender.html", {"school": school, "jaar": None})


@require_GET
def kalender(request, pk):
    """One school year's free periods: the school's own once it changed
    them, else the statutory ones (marked as such). A fixed number of
    queries, whatever the number of periods."""
    jaar = policies.get_kalender_schooljaar_for_user(request.user, pk)
    return render(request, "beheer/kalender.html", _kalender_context(request, jaar))


def _kalender_context(request, jaar) -> dict:
    mag_wijzigen = policies.can_edit_kalender(request.user, jaar)
    if jaar.kalender_vastgelegd:
        perioden = [
            {
                "periode": periode,
                "wettelijk": False,
                "wijzigen": reverse("beheer:vrije_periode_wijzigen", args=[jaar.pk, periode.pk]),
                "verwijderen": reverse(
                    "beheer:vrije_periode_verwijderen", args=[jaar.pk, periode.pk]
                ),
            }
            for periode in jaar.vrije_perioden.order_by("begin", "einde", "pk")
        ]
    else:
        perioden = [
            {
                "periode": periode,
                "wettelijk": True,
                "wijzigen": reverse("beheer:wettelijke_periode_wijzigen", args=[jaar.pk, nummer]),
                "verwijderen": reverse(
                    "beheer:wettelijke_periode_verwijderen", args=[jaar.pk, nummer]
                ),
            }
            for nummer, periode in enumerate(services.wettelijke_perioden(jaar))
        ]
    return {
        "school": jaar.school,
        "jaar": jaar,
        "jaren": list(jaar.school.schooljaren.order_by("-begin")),
        "perioden": perioden,
        "mag_wijzigen": mag_wijzigen,
    }


def _terug(jaar):
    return redirect("beheer:kalender", pk=jaar.pk)


def _bewerkbaar_jaar(request, pk):
    jaar = policies.get_kalender_schooljaar_for_user(request.user, pk)
    if not policies.can_edit_kalender(request.user, jaar):
        raise Http404
    return jaar


def _wettelijke_periode_of_404(jaar, nummer: int):
    """The statutory period at position `nummer`, or None once the year's
    calendar is fixed: then it has rows instead, and a page opened before
    names none of them (the view sends the user back to the calendar)."""
    perioden = services.wettelijke_perioden(jaar)
    if nummer >= len(perioden):
        raise Http404
    return None if jaar.kalender_vastgelegd else perioden[nummer]


def _bestaat_niet_meer(request, jaar, bericht: str):
    messages.warning(
        request,
        _("%(bericht)s Deze vrije periode bestaat niet meer zoals je ze opende.")
        % {"bericht": bericht},
    )
    return _terug(jaar)


@require_http_methods(["GET", "POST"])
def vrije_periode_toevoegen(request, pk):
    jaar = _bewerkbaar_jaar(request, pk)
    if request.method == "POST":
        form = VrijePeriodeToevoegenForm(request.POST)
        if form.is_valid():
            try:
                _periode, nieuw = eenmalig_bewaren(
                    form,
                    request.user,
                    lambda: services.vrije_periode_toevoegen(
                        schooljaar=jaar, door=request.user, **form.cleaned_data
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request, _("De vrije periode is toegevoegd.") if nieuw else AL_BEWAARD
                )
                return _terug(jaar)
    else:
        form = VrijePeriodeToevoegenForm()
    return render(
        request,
        "beheer/vrije_periode.html",
        {"school": jaar.school, "jaar": jaar, "form": form, "nieuw": True},
    )


@require_http_methods(["GET", "POST"])
def vrije_periode_wijzigen(request, pk, periode=None, nummer=None):
    """Change one free period: a row of the school's calendar (`periode`)
    or, while the year keeps the statutory calendar, a statutory period
    (`nummer`, its position); saving that fixes the calendar first."""
    jaar = _bewerkbaar_jaar(request, pk)
    if nummer is None:
        huidig = policies.get_vrije_periode_for_user(request.user, jaar, periode)
    else:
        huidig = _wettelijke_periode_of_404(jaar, nummer)
        if huidig is None:
            return _bestaat_niet_meer(request, jaar, services.kalender_gewijzigd_bericht())
    conflict = None
    if request.method == "POST":
        form = VrijePeriodeWijzigenForm(request.POST)
        if form.is_valid():
            gegevens = {veld: form.cleaned_data[veld] for veld in services.VELDEN}
            try:
                gewijzigd = services.vrije_periode_wijzigen(
                    schooljaar=jaar,
                    versie=form.cleaned_data["versie"],
                    gegevens=gegevens,
                    door=request.user,
                    periode_id=periode,
                    nummer=nummer,
                )
            except VerouderdeVersie as exc:
                nu = _periode_nu(exc.huidig, periode=periode, nummer=nummer)
                if nu is None:
                    return _bestaat_niet_meer(request, jaar, exc.bericht)
                form, conflict = conflict_tonen(request, exc, VrijePeriodeWijzigenForm)
                conflict["verschillen"] = _verschillen(nu, gegevens)
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                if gewijzigd:
                    messages.success(request, _("De vrije periode is bewaard."))
                else:
                    messages.info(request, _("Er was niets gewijzigd."))
                return _terug(jaar)
    else:
        form = VrijePeriodeWijzigenForm(
            initial={
                "naam": huidig.naam,
                "begin": huidig.begin,
                "einde": huidig.einde,
                "versie": jaar.versie,
            }
        )
    return render(
        request,
        "beheer/vrije_periode.html",
        {
            "school": jaar.school,
            "jaar": jaar,
            "form": form,
            "nieuw": False,
            "wettelijk": nummer is not None,
            "conflict": conflict,
        },
    )


def _periode_nu(jaar, *, periode, nummer):
    """After a conflict: the period the form was about as saved now, or
    None when it is gone (deleted, or a statutory period of a year whose
    calendar has been fixed since, whose rows the position no longer names)."""
    if nummer is not None:
        return None if jaar.kalender_vastgelegd else services.wettelijke_perioden(jaar)[nummer]
    return jaar.vrije_perioden.filter(pk=periode).first()


def _verschillen(opgeslagen, ingevuld: dict) -> list[dict]:
    labels = VrijePeriodeForm.base_fields
    return [
        {
            "label": labels[veld].label,
            "opgeslagen": _waarde(getattr(opgeslagen, veld)),
            "ingevuld": _waarde(waarde),
        }
        for veld, waarde in ingevuld.items()
        if getattr(opgeslagen, veld) != waarde
    ]


def _waarde(waarde) -> str:
    return waarde if isinstance(waarde, str) else formats.date_format(waarde, "DATE_FORMAT")


@require_POST
def vrije_periode_verwijderen(request, pk, periode=None, nummer=None):
    jaar = _bewerkbaar_jaar(request, pk)
    if nummer is None:
        policies.get_vrije_periode_for_user(request.user, jaar, periode)
    else:
        if _wettelijke_periode_of_404(jaar, nummer) is None:
            return _bestaat_niet_meer(request, jaar, services.kalender_gewijzigd_bericht())
    form = KalenderVersieForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return _terug(jaar)
    try:
        weg = services.vrije_periode_verwijderen(
            schooljaar=jaar,
            versie=form.cleaned_data["versie"],
            door=request.user,
            periode_id=periode,
            nummer=nummer,
        )
    except VerouderdeVersie as exc:
        messages.warning(
            request,
            _("%(bericht)s Er werd niets verwijderd: kijk de kalender na.")
            % {"bericht": exc.bericht},
        )
    else:
        messages.success(request, _("%(naam)s is geen vrije periode meer.") % {"naam": weg.naam})
    return _terug(jaar)


@require_POST
def kalender_herstellen(request, pk):
    """Back to the statutory calendar for this school year."""
    jaar = _bewerkbaar_jaar(request, pk)
    form = KalenderVersieForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return _terug(jaar)
    try:
        hersteld = services.kalender_herstellen(
            schooljaar=jaar, versie=form.cleaned_data["versie"], door=request.user
        )
    except VerouderdeVersie as exc:
        messages.warning(
            request,
            _("%(bericht)s Er werd niets teruggezet: kijk de kalender na.")
            % {"bericht": exc.bericht},
        )
    else:
        if hersteld:
            messages.success(request, _("Dit schooljaar volgt weer de wettelijke kalender."))
        else:
            messages.info(request, _("Dit schooljaar volgde al de wettelijke kalender."))
    return _terug(jaar)
