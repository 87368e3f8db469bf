"""SODA reports: the care team's set-up (periods, scale), the teacher's grid
(saved cell by cell with htmx, or all at once without JavaScript), the
class's overview for the class teacher and the care team, and the section
on the student page.

Who: a subject teacher fills in the grid of a class they teach, for their
own teaching assignments; the class teacher and the care team read the
class's overview; whoever reads the student's care at class-team level
reads the section (`policies.can_view_soda`). Nobody else learns the pages
exist (404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.accounts.models import Schooljaar
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from .. import soda as soda_lezen
from ..forms.soda import (
    CelForm,
    PeriodeToevoegenForm,
    PeriodeWijzigenForm,
    RoosterForm,
    SchaalForm,
    celnaam,
    origineelnaam,
)
from ..models import Inschrijving, SodaCriterium, SodaPeriode, SodaSchaal, SodaScore, SodaWaarde
from ..services.soda import (
    soda_periode_toevoegen,
    soda_periode_wijzigen,
    soda_schaal_wijzigen,
    soda_score_bewaren,
    soda_scores_bewaren,
    standaardwaarden,
)

# --- the care team's set-up ----------------------------------------------------------


def _huidig_schooljaar(school) -> Schooljaar | None:
    return Schooljaar.objects.filter(school=school, is_huidig=True).first()


def _schaal(school_id: int) -> tuple[SodaSchaal | None, list[SodaWaarde]]:
    schaal = SodaSchaal.objects.filter(school_id=school_id).first()
    if schaal is None:
        return None, []
    return schaal, list(schaal.waarden.order_by("volgorde"))


@require_http_methods(["GET", "POST"])
def soda_instellingen(request, pk):
    """The periods of the current school year and the scale; a new period
    is added here."""
    school = policies.get_soda_school_for_user(request.user, pk)
    schooljaar = _huidig_schooljaar(school)
    if request.method == "POST" and schooljaar is not None:
        form = PeriodeToevoegenForm(request.POST)
        if form.is_valid():
            try:
                _periode, nieuw = eenmalig_bewaren(
                    form,
                    request.user,
                    lambda: soda_periode_toevoegen(
                        schooljaar=schooljaar, **form.cleaned_data, door=request.user
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request, _("De periode is toegevoegd.") if nieuw else str(AL_BEWAARD)
                )
                return redirect("leerlingen:soda_instellingen", pk=school.pk)
    else:
        form = PeriodeToevoegenForm()
    schaal, waarden = _schaal(school.pk)
    perioden = (
        list(SodaPeriode.objects.filter(schooljaar=schooljaar).order_by("volgorde"))
        if schooljaar
        else []
    )
    return render(
        request,
        "leerlingen/soda/instellingen.html",
        {
            "school": school,
            "schooljaar": schooljaar,
            "perioden": perioden,
            "schaal": schaal,
            "waarden": waarden or standaardwaarden(),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def soda_periode(request, pk):
    """Edit a period, version-checked."""
    periode = policies.get_soda_periode_for_user(request.user, pk)
    school = periode.schooljaar.school
    conflict = None
    if request.method == "POST":
        form = PeriodeWijzigenForm(request.POST)
        if form.is_valid():
            try:
                soda_periode_wijzigen(periode=periode, **form.cleaned_data, door=request.user)
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, PeriodeWijzigenForm)
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De periode is bewaard."))
                return redirect("leerlingen:soda_instellingen", pk=school.pk)
    else:
        form = PeriodeWijzigenForm(
            initial={
                "naam": periode.naam,
                "begin": periode.begin,
                "einde": periode.einde,
                "versie": periode.versie,
            }
        )
    return render(
        request,
        "leerlingen/soda/periode.html",
        {"school": school, "periode": periode, "form": form, "conflict": conflict},
    )


@require_http_methods(["GET", "POST"])
def soda_schaal(request, pk):
    """Edit the scale, version-checked; a school without one starts from
    the default (saved with the first save)."""
    school = policies.get_soda_school_for_user(request.user, pk)
    schaal, waarden = _schaal(school.pk)
    conflict = None
    if request.method == "POST":
        form = SchaalForm(request.POST)
        if form.is_valid():
            try:
                soda_schaal_wijzigen(
                    school=school,
                    waarden=form.waarden(),
                    versie=form.cleaned_data["versie"],
                    door=request.user,
                )
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, SchaalForm)
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De SODA-schaal is bewaard."))
                return redirect("leerlingen:soda_instellingen", pk=school.pk)
    else:
        form = SchaalForm(
            initial=SchaalForm.initial_van(
                waarden or standaardwaarden(), schaal.versie if schaal else None
            )
        )
    return render(
        request,
        "leerlingen/soda/schaal.html",
        {"school": school, "form": form, "conflict": conflict},
    )


# --- choosing a period ---------------------------------------------------------------


def _begonnen_perioden(klas) -> list[SodaPeriode]:
    """The periods of the class's school year that have begun (today in
    Brussels): a period is scored during or after it, never before."""
    return list(
        SodaPeriode.objects.filter(
            schooljaar_id=klas.schooljaar_id, begin__lte=timezone.localdate()
        ).order_by("volgorde")
    )


def _gekozen(request, opties, veld: str = "periode"):
    """The option whose pk the request names (GET or POST), else the last
    one (the current period) or the first (an assignment). An unknown pk is
    a 404, as for anything one may not see."""
    ruw = request.POST.get(veld) or request.GET.get(veld)
    if not ruw:
        return opties[-1] if veld == "periode" and opties else (opties[0] if opties else None)
    for optie in opties:
        if str(optie.pk) == ruw:
            return optie
    raise Http404


# --- the teacher's grid ---------------------------------------------------------------


def _scores(periode, lesopdracht, leerlingen) -> dict[int, SodaScore]:
    if periode is None or lesopdracht is None:
        return {}
    return {
        score.leerling_id: score
        for score in SodaScore.objects.filter(
            periode=periode,
            lesopdracht=lesopdracht,
            leerling_id__in=[leerling.pk for leerling in leerlingen],
        )
    }


def _rijen(leerlingen, scores, form=None) -> list[dict]:
    """Per student, the four cells: their field names, the saved value, and
    what the teacher chose (a form with errors shows that again)."""
    rijen = []
    for leerling in leerlingen:
        score = scores.get(leerling.pk)
        cellen = []
        for criterium, label in SodaCriterium.choices:
            opgeslagen = getattr(score, f"{criterium}_id", None) if score else None
            opgeslagen = str(opgeslagen) if opgeslagen else ""
            naam = celnaam(leerling.pk, criterium)
            gekozen = form.data.get(naam, opgeslagen) if form is not None else opgeslagen
            cellen.append(
                {
                    "criterium": criterium,
                    "label": label,
                    "naam": naam,
                    "origineel_naam": origineelnaam(leerling.pk, criterium),
                    "opgeslagen": opgeslagen,
                    "gekozen": gekozen,
                    "fouten": form.errors.get(naam, []) if form is not None else [],
                }
            )
        rijen.append({"leerling": leerling, "cellen": cellen})
    return rijen


@require_http_methods(["GET", "POST"])
def soda_invullen(request, pk):
    """The grid of one class, period and teaching assignment: rows are the
    students, columns the four criteria. Each cell saves on change (htmx,
    `soda_cel`); the button saves every changed cell (without JavaScript).
    Queries do not grow with the number of students: the students, their
    scores and the scale are one query each."""
    user = request.user
    klas = policies.get_soda_invulklas_for_user(user, pk)
    lesopdrachten = list(
        policies.soda_lesopdrachten_visible_to(user)
        .filter(klas=klas)
        .select_related("vak", "klas")
        .order_by("vak__naam", "pk")
    )
    perioden = _begonnen_perioden(klas)
    periode = _gekozen(request, perioden)
    lesopdracht = _gekozen(request, lesopdrachten, "lesopdracht")
    _schaal_obj, waarden = _schaal(klas.schooljaar.school_id)
    leerlingen = klas.huidige_leerlingen()
    form = None
    if request.method == "POST":
        if periode is None or lesopdracht is None or not waarden:
            raise Http404
        form = RoosterForm(request.POST, leerlingen=leerlingen, waarden=waarden)
        if form.is_valid():
            try:
                aantal = soda_scores_bewaren(
                    periode=periode,
                    lesopdracht=lesopdracht,
                    wijzigingen=form.wijzigingen(),
                    door=user,
                )
            except ValidationError as fout:
                form.add_error(None, fout)
            else:
                messages.success(
                    request,
                    _("SODA-scores bewaard voor %(aantal)d leerlingen.") % {"aantal": aantal}
                    if aantal
                    else _("Er was niets gewijzigd."),
                )
                return redirect(
                    reverse("leerlingen:soda_invullen", args=[klas.pk])
                    + f"?periode={periode.pk}&lesopdracht={lesopdracht.pk}"
                )
    else:
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="soda-rooster",
            leerlingen=leerlingen,
            school_id=klas.schooljaar.school_id,
            object_id=klas.pk,
            omschrijving=f"{klas.naam}, {periode.naam if periode else '-'}",
        )
    return render(
        request,
        "leerlingen/soda/invullen.html",
        {
            "klas": klas,
            "perioden": perioden,
            "periode": periode,
            "lesopdrachten": lesopdrachten,
            "lesopdracht": lesopdracht,
            "waarden": waarden,
            "rijen": _rijen(leerlingen, _scores(periode, lesopdracht, leerlingen), form),
            "form": form,
            "kan_overzicht": policies.can_view_soda_klas(user, klas),
        },
    )


@require_POST
def soda_cel(request, pk):
    """One cell of the grid, saved as the teacher goes (htmx): the answer is
    the cell's status, with a saved mark or the reason in Dutch. Without
    htmx, back to the grid."""
    user = request.user
    klas = policies.get_soda_invulklas_for_user(user, pk)
    lesopdrachten = list(
        policies.soda_lesopdrachten_visible_to(user).filter(klas=klas).select_related("vak", "klas")
    )
    periode = _gekozen(request, _begonnen_perioden(klas))
    lesopdracht = _gekozen(request, lesopdrachten, "lesopdracht")
    if periode is None or lesopdracht is None:
        raise Http404
    _schaal_obj, waarden = _schaal(klas.schooljaar.school_id)
    form = CelForm(request.POST, waarden=waarden)
    fout = ""
    cel = None
    if form.is_valid():
        leerling_id, criterium = form.cleaned_data["leerling"], form.cleaned_data["criterium"]
        cel = {
            "naam": celnaam(leerling_id, criterium),
            "origineel_naam": origineelnaam(leerling_id, criterium),
        }
        inschrijving = (
            Inschrijving.objects.actief()
            .filter(klas=klas, leerling_id=leerling_id)
            .select_related("leerling")
            .first()
        )
        if inschrijving is None:
            fout = _("Deze leerling zit niet (meer) in deze klas.")
        else:
            try:
                soda_score_bewaren(
                    leerling=inschrijving.leerling,
                    periode=periode,
                    lesopdracht=lesopdracht,
                    waarden={criterium: form.cleaned_data["waarde"]},
                    door=user,
                )
            except ValidationError as exc:
                fout = " ".join(exc.messages)
        waarde = form.cleaned_data.get("waarde")
        cel["opgeslagen"] = "" if fout else (str(waarde.pk) if waarde else "")
        if fout:
            cel["opgeslagen"] = request.POST.get(cel["origineel_naam"], "")
    else:
        fout = " ".join(str(m) for fouten in form.errors.values() for m in fouten)
    if not request.htmx:
        if fout:
            messages.error(request, fout)
        return redirect(
            reverse("leerlingen:soda_invullen", args=[klas.pk])
            + f"?periode={periode.pk}&lesopdracht={lesopdracht.pk}"
        )
    return render(
        request,
        "leerlingen/soda/_cel_status.html",
        {"cel": cel, "fout": fout, "bewaard": not fout},
    )


# --- the class's overview ---------------------------------------------------------


@require_GET
def soda_klas(request, pk):
    """The class's SODA reports for the class teacher and the care team: in
    the chosen period, per student and criterion the scores per subject with
    their median; and each student's medians over the periods (the trend).
    A fixed number of queries, whatever the number of students, subjects
    or periods."""
    user = request.user
    klas = policies.get_soda_klas_for_user(user, pk)
    perioden = _begonnen_perioden(klas)
    periode = _gekozen(request, perioden)
    leerlingen = klas.huidige_leerlingen()
    school_id = klas.schooljaar.school_id
    gevonden = soda_lezen.samenvattingen(
        SodaScore.objects.filter(leerling_id__in=[leerling.pk for leerling in leerlingen]),
        perioden,
        soda_lezen.schaalwaarden([school_id]),
    )
    rijen = []
    for leerling in leerlingen:
        trend = [gevonden.get((leerling.pk, p.pk)) or soda_lezen.Samenvatting(p) for p in perioden]
        huidig = gevonden.get((leerling.pk, periode.pk)) if periode else None
        rijen.append(
            {
                "leerling": leerling,
                "huidig": huidig or (soda_lezen.Samenvatting(periode) if periode else None),
                "trend": trend,
                "lijn": _lijn(trend),
            }
        )
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="soda-klas",
        leerlingen=leerlingen,
        school_id=school_id,
        object_id=klas.pk,
        omschrijving=f"{klas.naam}, {periode.naam if periode else '-'}",
    )
    return render(
        request,
        "leerlingen/soda/klas.html",
        {
            "klas": klas,
            "perioden": perioden,
            "periode": periode,
            "rijen": rijen,
            "criteria": SodaCriterium.choices,
            "kan_instellen": policies.can_manage_soda(user, school_id),
        },
    )


# The trend as a small inline SVG: per period the lowest of the four
# medians, on the scale's order (higher is better), no JavaScript library.
LIJN_BREEDTE, LIJN_HOOGTE, LIJN_STAP = 90, 24, 30


def _lijn(trend: list) -> dict | None:
    punten = []
    for i, samenvatting in enumerate(trend):
        medianen = [k.mediaan for k in samenvatting.kolomlijst if k.mediaan is not None]
        if medianen:
            punten.append((i, min(m.volgorde for m in medianen), samenvatting.laag))
    if not punten:
        return None
    hoogste = max(4, *(p[1] for p in punten))
    coord = [
        (
            6 + i * LIJN_STAP,
            LIJN_HOOGTE - 4 - (volgorde - 1) * (LIJN_HOOGTE - 8) / max(hoogste - 1, 1),
            laag,
        )
        for i, volgorde, laag in punten
    ]
    return {
        "breedte": max(LIJN_BREEDTE, 12 + LIJN_STAP * (len(trend) - 1)),
        "hoogte": LIJN_HOOGTE,
        "punten": " ".join(f"{x:.0f},{y:.0f}" for x, y, _laag in coord),
        "stippen": [{"x": f"{x:.0f}", "y": f"{y:.0f}", "laag": laag} for x, y, laag in coord],
    }


# --- the student page ---------------------------------------------------------------


def sectie(request, leerling) -> dict:
    """The student's SODA reports: the medians per period this school year
    (and the last one's), for whoever reads the student's care."""
    if not policies.can_view_soda(request.user, leerling):
        return {}
    perioden = list(
        SodaPeriode.objects.filter(
            schooljaar__school_id=leerling.school_id, scores__leerling=leerling
        )
        .distinct()
        .select_related("schooljaar")
        .order_by("-schooljaar__begin", "-volgorde")[:6]
    )
    if not perioden:
        return {"onderdeel": "soda", "trend": [], "lijn": None, "criteria": SodaCriterium.choices}
    perioden.reverse()
    gevonden = soda_lezen.samenvattingen(
        SodaScore.objects.filter(leerling=leerling),
        perioden,
        soda_lezen.schaalwaarden([leerling.school_id]),
    )
    trend = [gevonden.get((leerling.pk, p.pk)) or soda_lezen.Samenvatting(p) for p in perioden]
    return {
        "onderdeel": "soda",
        "trend": trend,
        "lijn": _lijn(trend),
        "criteria": SodaCriterium.choices,
    }


urlpatterns = [
    path("scholen/<int:pk>/soda/", soda_instellingen, name="soda_instellingen"),
    path("scholen/<int:pk>/soda/schaal/", soda_schaal, name="soda_schaal"),
    path("soda/perioden/<int:pk>/", soda_periode, name="soda_periode"),
    path("klassen/<int:pk>/soda/", soda_klas, name="soda_klas"),
    path("klassen/<int:pk>/soda/invullen/", soda_invullen, name="soda_invullen"),
    path("klassen/<int:pk>/soda/cel/", soda_cel, name="soda_cel"),
]
