"""The school's structure pages: campuses, school years, classes with their
class teachers and teaching assignments, subjects, and the measure
catalogue. The administrator changes them, the director reads them; every
list is a fixed number of queries, whatever its length."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.models import inschrijving_actief_q
from leerlingen.services.maatregelen import catalogus_item_maken
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies as kalender_policies
from . import policies, services
from .forms import (
    CampusToevoegenForm,
    CampusWijzigenForm,
    CatalogusItemToevoegenForm,
    CatalogusItemWijzigenForm,
    KlasToevoegenForm,
    KlasWijzigenForm,
    LesopdrachtForm,
    SchooljaarForm,
    VakToevoegenForm,
    VakWijzigenForm,
)

FORMULIER = "beheer/structuur/formulier.html"


def _bewerkbaar(request, school_id: int) -> None:
    """Someone who only reads the structure gets the 404 of a page that
    does not exist for a form or button meant for its editors."""
    if not policies.can_edit_structuur(request.user, school_id):
        raise Http404


def _formulier(request, form, *, titel, school, terug, knop=None, conflict=None, uitleg=""):
    return render(
        request,
        FORMULIER,
        {
            "form": form,
            "titel": titel,
            "school": school,
            "terug": terug,
            "knop": knop or _("Bewaren"),
            "conflict": conflict,
            "uitleg": uitleg,
        },
    )


def _bewaard(request, gewijzigd, bericht: str) -> None:
    if gewijzigd:
        messages.success(request, bericht)
    else:
        messages.info(request, _("Er was niets gewijzigd."))


def _toevoegen(request, form, *, maken, gelukt, naar, **pagina):
    """A create form of these pages: saved once per key (a double click or a
    resubmit answers with what the first made), the service's refusal shown
    on the form. `maken(**cleaned_data)` creates, `gelukt(made)` is the
    message, `naar(made)` where to go then; `pagina`: `_formulier`'s."""
    if request.method == "POST" and form.is_valid():
        try:
            gemaakt, nieuw = eenmalig_bewaren(
                form, request.user, lambda: maken(**form.cleaned_data)
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(request, gelukt(gemaakt) if nieuw else AL_BEWAARD)
            return naar(gemaakt)
    return _formulier(request, form, knop=_("Toevoegen"), **pagina)


def _wijzigen(request, form_class, *, initial, wijzigen, bewaard, naar, opties=None, **pagina):
    """An edit form of these pages, version-checked: someone else's save in
    between shows what they saved beside what was typed, nothing is
    overwritten. `initial()` fills the form, `wijzigen(**cleaned_data)`
    saves (the changed fields), `bewaard(form)` is the message, `naar` where
    to go then; `opties`: the form's own arguments."""
    opties = opties or {}
    conflict = None
    if request.method == "POST":
        form = form_class(request.POST, **opties)
        if form.is_valid():
            try:
                gewijzigd = wijzigen(**form.cleaned_data)
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, form_class, **opties)
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                _bewaard(request, gewijzigd, bewaard(form))
                return naar
    else:
        form = form_class(initial=initial(), **opties)
    return _formulier(request, form, conflict=conflict, **pagina)


# --- the overview -----------------------------------------------------------------


@require_GET
def structuur_start(request):
    scholen = list(policies.structuur_scholen_visible_to(request.user))
    if not scholen:
        raise Http404
    if len(scholen) == 1:
        return redirect("beheer:structuur", pk=scholen[0].pk)
    return render(
        request, "beheer/structuur/scholen.html", {"scholen": scholen, "naar": "beheer:structuur"}
    )


@require_GET
def structuur(request, pk):
    """A school's campuses, school years and subjects, each with how much
    uses it: one query per list, whatever their length (no count per row)."""
    school = policies.get_structuur_school_for_user(request.user, pk)
    campussen = list(
        policies.campussen_visible_to(request.user)
        .filter(school=school)
        .annotate(aantal_klassen=Count("klassen"))
        .order_by("naam")
    )
    jaren = list(
        policies.schooljaren_visible_to(request.user)
        .filter(school=school)
        .annotate(aantal_klassen=Count("klassen"))
        .order_by("-begin")
    )
    vakken = list(
        policies.vakken_visible_to(request.user)
        .filter(school=school)
        .annotate(aantal_lesopdrachten=Count("lesopdrachten"))
        .order_by("naam")
    )
    return render(
        request,
        "beheer/structuur/overzicht.html",
        {
            "school": school,
            "campussen": campussen,
            "jaren": jaren,
            "vakken": vakken,
            "mag_wijzigen": policies.can_edit_structuur(request.user, school.pk),
            "toon_catalogus": policies.can_view_catalogus(request.user, school.pk),
            "toon_kalender": kalender_policies.can_view_kalender(request.user, school),
        },
    )


def _naar_overzicht(school_id, anker=""):
    response = redirect("beheer:structuur", pk=school_id)
    if anker:
        response["Location"] += f"#{anker}"
    return response


# --- campuses ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def campus_toevoegen(request, pk):
    school = policies.get_structuur_school_for_user(request.user, pk)
    _bewerkbaar(request, school.pk)
    return _toevoegen(
        request,
        CampusToevoegenForm(request.POST or None),
        maken=lambda **gegevens: services.campus_toevoegen(
            school=school, door=request.user, **gegevens
        ),
        gelukt=lambda campus: _("‘%(naam)s’ is toegevoegd.") % {"naam": campus.naam},
        naar=lambda _campus: _naar_overzicht(school.pk, "campussen"),
        titel=_("Campus toevoegen"),
        school=school,
        terug=_terug(school),
    )


def _terug(school):
    return reverse("beheer:structuur", args=[school.pk])


@require_http_methods(["GET", "POST"])
def campus_wijzigen(request, pk):
    campus = policies.get_campus_for_user(request.user, pk)
    _bewerkbaar(request, campus.school_id)
    return _wijzigen(
        request,
        CampusWijzigenForm,
        initial=lambda: {"naam": campus.naam, "adres": campus.adres, "versie": campus.versie},
        wijzigen=lambda **gegevens: services.campus_wijzigen(
            campus=campus, door=request.user, **gegevens
        ),
        bewaard=lambda _form: _("De campus is bewaard."),
        naar=_naar_overzicht(campus.school_id, "campussen"),
        titel=_("Campus wijzigen: %(naam)s") % {"naam": campus.naam},
        school=campus.school,
        terug=_terug(campus.school),
    )


@require_POST
def campus_verwijderen(request, pk):
    campus = policies.get_campus_for_user(request.user, pk)
    _bewerkbaar(request, campus.school_id)
    try:
        services.campus_verwijderen(campus=campus, door=request.user)
    except services.InGebruik as fout:
        messages.error(request, fout.messages[0])
    else:
        messages.success(request, _("‘%(naam)s’ is verwijderd.") % {"naam": campus.naam})
    return _naar_overzicht(campus.school_id, "campussen")


# --- subjects -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def vak_toevoegen(request, pk):
    school = policies.get_structuur_school_for_user(request.user, pk)
    _bewerkbaar(request, school.pk)
    return _toevoegen(
        request,
        VakToevoegenForm(request.POST or None),
        maken=lambda **gegevens: services.vak_toevoegen(
            school=school, door=request.user, **gegevens
        ),
        gelukt=lambda vak: _("Het vak %(naam)s is toegevoegd.") % {"naam": vak.naam},
        naar=lambda _vak: _naar_overzicht(school.pk, "vakken"),
        titel=_("Vak toevoegen"),
        school=school,
        terug=_terug(school),
    )


@require_http_methods(["GET", "POST"])
def vak_wijzigen(request, pk):
    vak = policies.get_vak_for_user(request.user, pk)
    _bewerkbaar(request, vak.school_id)
    return _wijzigen(
        request,
        VakWijzigenForm,
        initial=lambda: {"naam": vak.naam, "versie": vak.versie},
        wijzigen=lambda **gegevens: services.vak_wijzigen(vak=vak, door=request.user, **gegevens),
        bewaard=lambda _form: _("Het vak is bewaard."),
        naar=_naar_overzicht(vak.school_id, "vakken"),
        titel=_("Vak wijzigen: %(naam)s") % {"naam": vak.naam},
        school=vak.school,
        terug=_terug(vak.school),
    )


@require_POST
def vak_verwijderen(request, pk):
    vak = policies.get_vak_for_user(request.user, pk)
    _bewerkbaar(request, vak.school_id)
    try:
        services.vak_verwijderen(vak=vak, door=request.user)
    except services.InGebruik as fout:
        messages.error(request, fout.messages[0])
    else:
        messages.success(request, _("Het vak %(naam)s is verwijderd.") % {"naam": vak.naam})
    return _naar_overzicht(vak.school_id, "vakken")


# --- school years -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def schooljaar_wijzigen(request, pk):
    jaar = policies.get_schooljaar_for_user(request.user, pk)
    _bewerkbaar(request, jaar.school_id)
    return _wijzigen(
        request,
        SchooljaarForm,
        initial=lambda: {"begin": jaar.begin, "einde": jaar.einde, "versie": jaar.versie},
        wijzigen=lambda **gegevens: services.schooljaar_wijzigen(
            schooljaar=jaar, door=request.user, **gegevens
        ),
        bewaard=lambda _form: _("Schooljaar %(naam)s is bewaard.") % {"naam": jaar.naam},
        naar=_naar_overzicht(jaar.school_id, "schooljaren"),
        titel=_("Schooljaar %(naam)s wijzigen") % {"naam": jaar.naam},
        school=jaar.school,
        terug=_terug(jaar.school),
        uitleg=_(
            "Een schooljaar duurt hoogstens dertien maanden en overlapt geen ander schooljaar "
            "van de school."
        ),
    )


# --- classes ----------------------------------------------------------------------


@require_GET
def klassen(request, pk):
    """A school year's classes with their campus, class teachers and number
    of students enrolled now: a fixed number of queries (the count is one
    annotation, the class teachers one prefetch), whatever the classes."""
    jaar = policies.get_schooljaar_for_user(request.user, pk)
    vandaag = timezone.localdate()
    rijen = list(
        policies.klassen_visible_to(request.user)
        .filter(schooljaar=jaar)
        .select_related("campus")
        .prefetch_related("klastitularissen")
        .annotate(
            aantal_leerlingen=Count(
                "inschrijvingen",
                filter=inschrijving_actief_q(vandaag, "inschrijvingen__"),
                distinct=True,
            ),
            aantal_lesopdrachten=Count("lesopdrachten", distinct=True),
        )
        .order_by("leerjaar", "naam")
    )
    return render(
        request,
        "beheer/structuur/klassen.html",
        {
            "school": jaar.school,
            "jaar": jaar,
            "klassen": rijen,
            "jaren": list(
                policies.schooljaren_visible_to(request.user)
                .filter(school_id=jaar.school_id)
                .order_by("-begin")
            ),
            # A past year's classes are history: shown, not changed.
            "gearchiveerd": (gearchiveerd := services.is_gearchiveerd(jaar)),
            "mag_wijzigen": policies.can_edit_structuur(request.user, jaar.school_id)
            and not gearchiveerd,
        },
    )


def _klasform_opties(request, school_id: int, klas=None) -> dict:
    return {
        "campussen": policies.campussen_visible_to(request.user)
        .filter(school_id=school_id)
        .order_by("naam"),
        "leerkrachten": policies.kiesbare_klastitularissen(school_id, klas),
    }


@require_http_methods(["GET", "POST"])
def klas_toevoegen(request, pk):
    jaar = policies.get_schooljaar_for_user(request.user, pk)
    _bewerkbaar(request, jaar.school_id)
    opties = _klasform_opties(request, jaar.school_id)
    return _toevoegen(
        request,
        KlasToevoegenForm(request.POST or None, **opties),
        maken=lambda **gegevens: services.klas_toevoegen(
            schooljaar=jaar, kiesbaar=opties["leerkrachten"], door=request.user, **gegevens
        ),
        gelukt=lambda klas: _("Klas %(naam)s is toegevoegd.") % {"naam": klas.naam},
        naar=lambda klas: redirect("beheer:klas", pk=klas.pk),
        titel=_("Klas toevoegen aan %(jaar)s") % {"jaar": jaar.naam},
        school=jaar.school,
        terug=_klassen_url(jaar.pk),
    )


def _klassen_url(jaar_pk):
    return reverse("beheer:klassen", args=[jaar_pk])


@require_GET
def klas(request, pk):
    """One class: its teachers and their subjects (one row per teaching
    assignment, a fixed number of queries)."""
    klas = policies.get_klas_for_user(request.user, pk)
    opdrachten = list(
        policies.lesopdrachten_visible_to(request.user)
        .filter(klas=klas)
        .select_related("leerkracht", "vak")
        .order_by("vak__naam", "leerkracht__last_name", "leerkracht__first_name", "pk")
    )
    return render(
        request,
        "beheer/structuur/klas.html",
        {
            "school": klas.schooljaar.school,
            "klas": klas,
            "klastitularissen": list(
                klas.klastitularissen.order_by("last_name", "first_name", "pk")
            ),
            "opdrachten": opdrachten,
            "gearchiveerd": (gearchiveerd := services.is_gearchiveerd(klas.schooljaar)),
            "mag_wijzigen": policies.can_edit_structuur(request.user, klas.schooljaar.school_id)
            and not gearchiveerd,
        },
    )


@require_http_methods(["GET", "POST"])
def klas_wijzigen(request, pk):
    klas = policies.get_klas_for_user(request.user, pk)
    school_id = klas.schooljaar.school_id
    _bewerkbaar(request, school_id)
    opties = _klasform_opties(request, school_id, klas)
    return _wijzigen(
        request,
        KlasWijzigenForm,
        opties=opties,
        initial=lambda: {
            "naam": klas.naam,
            "leerjaar": klas.leerjaar,
            "campus": klas.campus_id,
            "klastitularissen": list(klas.klastitularissen.values_list("pk", flat=True)),
            "versie": klas.versie,
        },
        wijzigen=lambda **gegevens: services.klas_wijzigen(
            klas=klas, kiesbaar=opties["leerkrachten"], door=request.user, **gegevens
        ),
        bewaard=lambda form: (
            _("Klas %(naam)s is bewaard.") % {"naam": form.cleaned_data["naam"].strip()}
        ),
        naar=redirect("beheer:klas", pk=klas.pk),
        titel=_("Klas %(naam)s wijzigen") % {"naam": klas.naam},
        school=klas.schooljaar.school,
        terug=_klas_url(klas.pk),
        uitleg=_(
            "Een klastitularis ziet de hele klas en haar zorgbeeld. Wie je hier weghaalt, "
            "verliest die toegang."
        ),
    )


def _klas_url(pk):
    return reverse("beheer:klas", args=[pk])


@require_POST
def klas_verwijderen(request, pk):
    klas = policies.get_klas_for_user(request.user, pk)
    _bewerkbaar(request, klas.schooljaar.school_id)
    try:
        services.klas_verwijderen(klas=klas, door=request.user)
    except services.InGebruik as fout:
        messages.error(request, fout.messages[0])
        return redirect("beheer:klas", pk=klas.pk)
    messages.success(request, _("Klas %(naam)s is verwijderd.") % {"naam": klas.naam})
    return redirect("beheer:klassen", pk=klas.schooljaar_id)


# --- teaching assignments --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def lesopdracht_toevoegen(request, pk):
    klas = policies.get_klas_for_user(request.user, pk)
    school_id = klas.schooljaar.school_id
    _bewerkbaar(request, school_id)
    leerkrachten = policies.kiesbare_leerkrachten(school_id)
    form = LesopdrachtForm(
        request.POST or None,
        leerkrachten=leerkrachten,
        vakken=policies.vakken_visible_to(request.user)
        .filter(school_id=school_id)
        .order_by("naam"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            _opdracht, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: services.lesopdracht_toevoegen(
                    klas=klas, kiesbaar=leerkrachten, door=request.user, **form.cleaned_data
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(request, _("De lesopdracht is toegevoegd.") if nieuw else AL_BEWAARD)
            return redirect("beheer:klas", pk=klas.pk)
    return _formulier(
        request,
        form,
        titel=_("Lesopdracht in %(klas)s toevoegen") % {"klas": klas.naam},
        school=klas.schooljaar.school,
        terug=_klas_url(klas.pk),
        knop=_("Toevoegen"),
        uitleg=_("Een leerkracht met een lesopdracht in deze klas ziet haar leerlingen."),
    )


@require_POST
def lesopdracht_verwijderen(request, pk, opdracht):
    klas = policies.get_klas_for_user(request.user, pk)
    _bewerkbaar(request, klas.schooljaar.school_id)
    try:
        gevonden = policies.get_lesopdracht_for_user(request.user, klas, opdracht)
    except Http404:
        # Removed meanwhile (a second click, a colleague): nothing left to do.
        messages.info(request, _("Deze lesopdracht bestond al niet meer."))
        return redirect("beheer:klas", pk=klas.pk)
    try:
        services.lesopdracht_verwijderen(opdracht=gevonden, door=request.user)
    except services.InGebruik as fout:
        messages.error(request, fout.messages[0])
        return redirect("beheer:klas", pk=klas.pk)
    messages.success(
        request,
        _("%(naam)s geeft %(vak)s niet meer in %(klas)s.")
        % {
            "naam": gevonden.leerkracht.get_full_name() or gevonden.leerkracht.email,
            "vak": gevonden.vak.naam,
            "klas": klas.naam,
        },
    )
    return redirect("beheer:klas", pk=klas.pk)


# --- the measure catalogue -------------------------------------------------------


@require_GET
def catalogus_start(request):
    scholen = list(policies.catalogus_scholen_visible_to(request.user))
    if not scholen:
        raise Http404
    if len(scholen) == 1:
        return redirect("beheer:catalogus", pk=scholen[0].pk)
    return render(
        request, "beheer/structuur/scholen.html", {"scholen": scholen, "naar": "beheer:catalogus"}
    )


@require_GET
def catalogus(request, pk):
    """The school's measure catalogue, active items first: one query."""
    school = policies.get_catalogus_school_for_user(request.user, pk)
    items = list(
        policies.beheer_catalogus_items_visible_to(request.user)
        .filter(school=school)
        .order_by("-actief", "soort", "titel")
    )
    return render(
        request,
        "beheer/structuur/catalogus.html",
        {
            "school": school,
            "items": items,
            "mag_wijzigen": policies.can_edit_catalogus(request.user, school.pk),
            "toon_structuur": policies.can_view_structuur(request.user, school.pk),
        },
    )


def _catalogus_url(school_id):
    return reverse("beheer:catalogus", args=[school_id])


def _catalogus_bewerkbaar(request, school_id):
    if not policies.can_edit_catalogus(request.user, school_id):
        raise Http404


@require_http_methods(["GET", "POST"])
def catalogus_item_toevoegen(request, pk):
    school = policies.get_catalogus_school_for_user(request.user, pk)
    _catalogus_bewerkbaar(request, school.pk)
    return _toevoegen(
        request,
        CatalogusItemToevoegenForm(request.POST or None),
        maken=lambda **gegevens: catalogus_item_maken(
            school_id=school.pk,
            door=request.user,
            **services.catalogus_gegevens_controleren(school_id=school.pk, gegevens=gegevens),
        ),
        gelukt=lambda item: _("‘%(titel)s’ staat nu in de catalogus.") % {"titel": item.titel},
        naar=lambda _item: redirect("beheer:catalogus", pk=school.pk),
        titel=_("Maatregel toevoegen aan de catalogus"),
        school=school,
        terug=_catalogus_url(school.pk),
    )


@require_http_methods(["GET", "POST"])
def catalogus_item_wijzigen(request, pk):
    item = policies.get_beheer_catalogus_item_for_user(request.user, pk)
    _catalogus_bewerkbaar(request, item.school_id)
    return _wijzigen(
        request,
        CatalogusItemWijzigenForm,
        initial=lambda: (
            {veld: getattr(item, veld) for veld in services.CATALOGUS_VELDEN}
            | {"versie": item.versie}
        ),
        wijzigen=lambda **gegevens: services.catalogus_item_wijzigen(
            item=item, versie=gegevens["versie"], gegevens=gegevens, door=request.user
        ),
        bewaard=lambda _form: _("De maatregel in de catalogus is bewaard."),
        naar=redirect("beheer:catalogus", pk=item.school_id),
        titel=_("Maatregel uit de catalogus wijzigen"),
        school=item.school,
        terug=_catalogus_url(item.school_id),
        uitleg=_("Maatregelen die al uit dit item gemaakt werden, houden hun eigen tekst."),
    )


@require_POST
def catalogus_item_actief(request, pk):
    """Offer an item again, or no longer: `actief` in the POST says which."""
    item = policies.get_beheer_catalogus_item_for_user(request.user, pk)
    _catalogus_bewerkbaar(request, item.school_id)
    actief = request.POST.get("actief") == "1"
    services.catalogus_item_actief_zetten(item=item, actief=actief, door=request.user)
    if actief:
        messages.success(request, _("‘%(titel)s’ is weer te kiezen.") % {"titel": item.titel})
    else:
        messages.success(
            request, _("‘%(titel)s’ is niet langer te kiezen.") % {"titel": item.titel}
        )
    return redirect("beheer:catalogus", pk=item.school_id)
