"""The care-policy report on screen (a school's and a group's) and the
team's reflection on its care policy: the four quality expectations of a
school year with last year's choices beside them, an edit page per
expectation, and an action's page for its owner. Every page read is
audited; the services audit the writes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.models import Zorgfase
from zorg.accounts.models import Schooljaar
from zorg.audit.models import Actie, AuditEvent
from zorg.audit.services import audit_events, audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.exporteren import csv_antwoord
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie, conflict_tonen

from . import grafieken, policies, services
from .cache import groepsweergave_bewaard, schoolweergave_bewaard, seconden
from .export import FORMATEN, XLSX_TYPE, csv_schrijven, groepsexport, schoolexport, xlsx_maken
from .forms import ActieForm, AfhandelenForm, ReflectieForm, VersieForm
from .kleine_aantallen import KLEIN
from .models import OMSCHRIJVINGEN, VRAGEN, Reflectie, Reflectieactie, Verwachting
from .rapport import Rapport, fasenamen, rapport_opbouwen, titel


def _reflecties(user, jaar) -> dict[str, Reflectie]:
    """The school year's reflections by expectation, each with its actions
    and their owners: two queries whatever the number of actions."""
    if jaar is None:
        return {}
    acties = Reflectieactie.objects.select_related("eigenaar").order_by("vervaldatum", "pk")
    return {
        r.verwachting: r
        for r in policies.reflecties_visible_to(user)
        .filter(schooljaar=jaar)
        .select_related("beslist_door")
        .prefetch_related(Prefetch("acties", queryset=acties))
    }


def _verwachting(verwachting: str) -> Verwachting:
    if verwachting not in Verwachting.values:
        raise Http404
    return Verwachting(verwachting)


def _lezen(request, jaar, object_id, onderwerp="reflectie") -> None:
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp=onderwerp,
        school_id=jaar.school_id,
        object_id=object_id,
    )


@require_GET
def reflectie_overzicht(request, pk, jaar_pk):
    jaar = policies.get_rapport_schooljaar_for_user(request.user, pk, jaar_pk)
    vorig = jaar.vorige()
    huidige = _reflecties(request.user, jaar)
    vorige = _reflecties(request.user, vorig)
    rijen = [
        {
            "verwachting": v,
            "omschrijving": OMSCHRIJVINGEN[v],
            "reflectie": huidige.get(v.value),
            "vorige": vorige.get(v.value),
            "mag_bewerken": policies.can_edit_reflectie(
                request.user, huidige.get(v.value), jaar.school_id
            ),
        }
        for v in Verwachting
    ]
    _lezen(request, jaar, jaar.pk)
    return render(
        request,
        "zorgbeleid/reflectie_overzicht.html",
        {
            "school": jaar.school,
            "jaar": jaar,
            "vorig": vorig,
            "rijen": rijen,
            "jaren": Schooljaar.objects.filter(school=jaar.school).order_by("-begin"),
        },
    )


def _bewerken_context(request, jaar, verwachting, reflectie, **extra) -> dict:
    user = request.user
    mag_bewerken = policies.can_edit_reflectie(user, reflectie, jaar.school_id)
    context = {
        "school": jaar.school,
        "jaar": jaar,
        "verwachting": verwachting,
        "omschrijving": OMSCHRIJVINGEN[verwachting],
        "vragen": VRAGEN[verwachting],
        "reflectie": reflectie,
        "acties": list(reflectie.acties.select_related("eigenaar")) if reflectie else [],
        "mag_bewerken": mag_bewerken,
        "mag_definitief": reflectie is not None
        and policies.can_finalize_reflectie(user, reflectie),
        "mag_heropenen": reflectie is not None and policies.can_reopen_reflectie(user, reflectie),
        "mag_acties": reflectie is not None
        and policies.can_manage_reflectieacties(user, reflectie),
        "versie_form": VersieForm(initial={"versie": reflectie.versie}) if reflectie else None,
    }
    if "form" not in extra and mag_bewerken:
        initial = (
            {
                "keuze": reflectie.keuze,
                "redenering": reflectie.redenering,
                "versie": reflectie.versie,
            }
            if reflectie
            else {}
        )
        extra["form"] = ReflectieForm(initial=initial)
    if "actie_form" not in extra and context["mag_acties"]:
        extra["actie_form"] = ActieForm(
            eigenaars=list(policies.mogelijke_actie_eigenaars(jaar.school_id))
        )
    return {**context, **extra}


def _huidige_reflectie(user, jaar, verwachting) -> Reflectie | None:
    return (
        policies.reflecties_visible_to(user)
        .filter(schooljaar=jaar, verwachting=verwachting)
        .select_related("beslist_door", "gewijzigd_door")
        .first()
    )


@require_http_methods(["GET", "POST"])
def reflectie_bewerken(request, pk, jaar_pk, verwachting):
    jaar = policies.get_rapport_schooljaar_for_user(request.user, pk, jaar_pk)
    verwachting = _verwachting(verwachting)
    reflectie = _huidige_reflectie(request.user, jaar, verwachting)
    extra: dict = {}
    status = 200
    if request.method == "POST":
        if not policies.can_write_reflecties(request.user, jaar.school_id):
            raise Http404
        form = ReflectieForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data

            def bewaren():
                return services.reflectie_bewaren(
                    schooljaar=jaar,
                    verwachting=verwachting,
                    keuze=d["keuze"],
                    redenering=d["redenering"],
                    versie=d["versie"],
                    door=request.user,
                )

            try:
                if d["versie"] is None:
                    _resultaat, nieuw = eenmalig_bewaren(form, request.user, bewaren)
                else:
                    bewaren()
                    nieuw = True
            except VerouderdeVersie as exc:
                form, extra["conflict"] = conflict_tonen(request, exc, ReflectieForm)
                reflectie = exc.huidig
                status = 409
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De reflectie is bewaard.") if nieuw else AL_BEWAARD)
                return redirect(
                    "zorgbeleid:reflectie_bewerken",
                    pk=jaar.school_id,
                    jaar_pk=jaar.pk,
                    verwachting=verwachting.value,
                )
        extra["form"] = form
    else:
        _lezen(request, jaar, reflectie.pk if reflectie else "")
    return render(
        request,
        "zorgbeleid/reflectie_bewerken.html",
        _bewerken_context(request, jaar, verwachting, reflectie, **extra),
        status=status,
    )


def _terug(jaar, verwachting):
    return redirect(
        "zorgbeleid:reflectie_bewerken",
        pk=jaar.school_id,
        jaar_pk=jaar.pk,
        verwachting=verwachting,
    )


def _bestaande_reflectie(request, pk, jaar_pk, verwachting):
    jaar = policies.get_rapport_schooljaar_for_user(request.user, pk, jaar_pk)
    reflectie = _huidige_reflectie(request.user, jaar, _verwachting(verwachting))
    if reflectie is None:
        raise Http404
    return jaar, reflectie


def _status_wijzigen(request, pk, jaar_pk, verwachting, *, mag, service, gelukt):
    jaar, reflectie = _bestaande_reflectie(request, pk, jaar_pk, verwachting)
    if not mag(request.user, reflectie):
        raise Http404
    form = VersieForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
        return _terug(jaar, verwachting)
    try:
        service(reflectie=reflectie, versie=form.cleaned_data["versie"], door=request.user)
    except VerouderdeVersie as exc:
        messages.error(request, exc.bericht)
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(request, gelukt)
    return _terug(jaar, verwachting)


@require_POST
def reflectie_definitief(request, pk, jaar_pk, verwachting):
    return _status_wijzigen(
        request,
        pk,
        jaar_pk,
        verwachting,
        mag=policies.can_finalize_reflectie,
        service=services.reflectie_definitief_maken,
        gelukt=_("De reflectie is definitief."),
    )


@require_POST
def reflectie_heropenen(request, pk, jaar_pk, verwachting):
    return _status_wijzigen(
        request,
        pk,
        jaar_pk,
        verwachting,
        mag=policies.can_reopen_reflectie,
        service=services.reflectie_heropenen,
        gelukt=_("De reflectie is opnieuw een ontwerp."),
    )


@require_POST
def actie_toevoegen(request, pk, jaar_pk, verwachting):
    jaar, reflectie = _bestaande_reflectie(request, pk, jaar_pk, verwachting)
    if not policies.can_write_reflecties(request.user, jaar.school_id):
        raise Http404
    eigenaars = list(policies.mogelijke_actie_eigenaars(jaar.school_id))
    form = ActieForm(request.POST, eigenaars=eigenaars)
    if form.is_valid():
        d = form.cleaned_data
        try:
            _actie, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: services.reflectieactie_toevoegen(
                    reflectie=reflectie,
                    omschrijving=d["omschrijving"],
                    eigenaar=form.gekozen_eigenaar(),
                    vervaldatum=d["vervaldatum"],
                    door=request.user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(request, _("De actie is toegevoegd.") if nieuw else AL_BEWAARD)
            return _terug(jaar, verwachting)
    return render(
        request,
        "zorgbeleid/reflectie_bewerken.html",
        _bewerken_context(
            request, jaar, Verwachting(reflectie.verwachting), reflectie, actie_form=form
        ),
    )


@require_POST
def actie_verwijderen(request, pk):
    actie = policies.get_reflectieactie_for_user(request.user, pk)
    reflectie = actie.reflectie
    if not policies.can_manage_reflectieacties(request.user, reflectie):
        raise Http404
    form = VersieForm(request.POST)
    if form.is_valid():
        try:
            services.reflectieactie_verwijderen(
                actie=actie, versie=form.cleaned_data["versie"], door=request.user
            )
        except ValidationError as fout:
            messages.error(request, " ".join(fout.messages))
        else:
            messages.success(request, _("De actie is verwijderd."))
    else:
        messages.error(request, _("Het formulier is onvolledig. Laad de pagina opnieuw."))
    return redirect(
        "zorgbeleid:reflectie_bewerken",
        pk=reflectie.school_id,
        jaar_pk=reflectie.schooljaar_id,
        verwachting=reflectie.verwachting,
    )


@require_http_methods(["GET", "POST"])
def actie_detail(request, pk):
    actie = policies.get_reflectieactie_for_user(request.user, pk)
    mag_afhandelen = policies.can_update_reflectieactie(request.user, actie)
    open_ = actie.status == Reflectieactie.Status.OPEN
    form = AfhandelenForm(initial={"versie": actie.versie}) if mag_afhandelen and open_ else None
    verouderd = None
    status = 200
    if request.method == "POST":
        if not mag_afhandelen:
            raise Http404
        form = AfhandelenForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                bijgewerkt = services.reflectieactie_afhandelen(
                    actie=actie,
                    status=d["status"],
                    resultaat=d["resultaat"],
                    versie=d["versie"],
                    door=request.user,
                )
            except VerouderdeVersie as exc:
                verouderd = exc
                status = 409
                actie = policies.get_reflectieactie_for_user(request.user, pk)
                form = None
                if actie.status == Reflectieactie.Status.OPEN:
                    form, _conflict = conflict_tonen(request, exc, AfhandelenForm, huidig=actie)
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request,
                    _("De actie is afgerond.")
                    if bijgewerkt.status == Reflectieactie.Status.AFGEROND
                    else _("De actie is geannuleerd."),
                )
                return redirect("zorgbeleid:actie_detail", pk=actie.pk)
    else:
        _lezen(request, actie.reflectie.schooljaar, actie.pk, onderwerp="reflectieactie")
    reflectie = actie.reflectie
    return render(
        request,
        "zorgbeleid/actie_detail.html",
        {
            "actie": actie,
            "reflectie": reflectie,
            "form": form,
            "verouderd": verouderd,
            "reflectie_url": reverse(
                "zorgbeleid:reflectie_bewerken",
                args=[reflectie.school_id, reflectie.schooljaar_id, reflectie.verwachting],
            )
            if policies.can_view_reflectie_van_actie(request.user, actie)
            else "",
        },
        status=status,
    )


# --- the exports -------------------------------------------------------------------------


def _downloaden(request, export, formaat: str, *, audit) -> HttpResponse:
    """The export as a file in `formaat` (404 for any other), audited and
    kept by no cache."""
    if formaat not in FORMATEN:
        raise Http404
    if formaat == "csv":
        response, writer = csv_antwoord(f"{export.bestandsnaam}.csv")
        csv_schrijven(export, writer)
    else:
        response = HttpResponse(xlsx_maken(export), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{export.bestandsnaam}.xlsx"'
        add_never_cache_headers(response)
    audit(omschrijving=f"{formaat.upper()}-export {export.schooljaar}")
    return response


@require_GET
def rapport_export(request, pk, jaar_pk, formaat):
    """The school's report of a school year as CSV or XLSX, protected."""
    jaar = policies.get_rapport_schooljaar_for_user(request.user, pk, jaar_pk)
    if formaat not in FORMATEN:
        raise Http404
    export = schoolexport(request.user, jaar)
    return _downloaden(
        request,
        export,
        formaat,
        audit=lambda omschrijving: audit_vastleggen(
            gebruiker=request.user,
            actie=Actie.EXPORTEREN,
            onderwerp="zorgbeleid",
            school_id=jaar.school_id,
            object_id=jaar.pk,
            omschrijving=omschrijving,
        ),
    )


@require_GET
def groepsrapport_export(request, pk, jaarnaam, formaat):
    """The group's report of a school year over its schools, protected, for
    its group director. The audit trail names every school counted."""
    groep = policies.get_groep_for_user(request.user, pk)
    if formaat not in FORMATEN:
        raise Http404
    try:
        export = groepsexport(groep, jaarnaam)
    except LookupError as exc:
        raise Http404 from exc

    def audit(omschrijving):
        AuditEvent.objects.bulk_create(
            event
            for school_id in export.scholen
            for event in audit_events(
                gebruiker=request.user,
                actie=Actie.EXPORTEREN,
                onderwerp="zorgbeleid_groep",
                school_id=school_id,
                object_id=groep.pk,
                omschrijving=omschrijving,
            )
        )

    return _downloaden(request, export, formaat, audit=audit)


# --- the report ---------------------------------------------------------------------


def _cel(cel) -> str:
    """A cell as shown: a count as is, a share or median with one decimal,
    a hidden small number as "< 5", nothing as a dash."""
    if cel is None:
        return "–"
    if cel == KLEIN or isinstance(cel, str):
        return str(cel)
    if isinstance(cel, float):
        return number_format(cel, 1)
    return str(cel)


def _secties(rapport: Rapport) -> list[dict]:
    """The sections with their tables as the template shows them: cells as
    text, and the chart where the table asks for one (and can have one)."""
    return [
        {
            "sectie": sectie,
            "tabellen": [
                {
                    "tabel": tabel,
                    "rijen": [
                        (r.label, [_cel(c) for c in r.cellen], r.totaal) for r in tabel.rijen
                    ],
                    "svg": grafieken.svg(tabel, id=f"grafiek-{tabel.sleutel}"),
                }
                for tabel in sectie.tabellen
            ],
        }
        for sectie in rapport.secties
    ]


def _weergave(vergelijking, *, beschermd: bool, fasen: dict[str, str]) -> dict:
    """The report's sections with their tables and charts rendered: the same
    for every reader of the page in one language, so kept with the figures
    (zorgbeleid.cache). Plain strings, lists and dicts: they pickle."""
    opgebouwd = rapport_opbouwen(vergelijking, beschermd=beschermd, fasen=fasen)
    return {
        "schooljaar": opgebouwd.schooljaar,
        "vorig_schooljaar": opgebouwd.vorig_schooljaar,
        # The schools counted: the group's page audits the read in each.
        "scholen": list(vergelijking.dit_jaar.scholen),
        "secties": [
            {
                "sleutel": s["sectie"].sleutel,
                "titel": str(s["sectie"].titel),
                "verwachtingen": list(s["sectie"].verwachtingen),
                "tabellen": str(
                    render_to_string("zorgbeleid/_rapport_tabellen.html", {"sectie": s})
                ),
            }
            for s in _secties(opgebouwd)
        ],
    }


def _bewaarde_weergave(bewaren, *args, beschermd: bool, fasen: dict[str, str]):
    """The kept sections (`bewaren`: zorgbeleid.cache's school or group
    variant) and the moment of their figures; the phase names are part of
    the key (they are in the tables)."""
    weergave, moment = bewaren(
        *args,
        lambda vergelijking: _weergave(vergelijking, beschermd=beschermd, fasen=fasen),
        dict,
        variant=repr(sorted((k, str(v)) for k, v in fasen.items())),
    )
    secties = [{**s, "tabellen": mark_safe(s["tabellen"])} for s in weergave["secties"]]  # noqa: S308
    return {**weergave, "secties": secties}, moment


def _berekend(moment) -> dict:
    """When the page's figures were computed and how often at most they are
    computed again (zorgbeleid/_berekend.html says it)."""
    duur = seconden()
    return {"moment": moment, "seconden": duur, "minuten": duur // 60}


def _rapport_lezen(request, *, onderwerp, school_ids, object_id, omschrijving) -> None:
    """One event per school whose figures were read (as the exports do): a
    group's report shows in the trail of each school it counts."""
    AuditEvent.objects.bulk_create(
        event
        for school_id in school_ids
        for event in audit_events(
            gebruiker=request.user,
            actie=Actie.LEZEN,
            onderwerp=onderwerp,
            school_id=school_id,
            object_id=object_id,
            omschrijving=omschrijving,
        )
    )


@require_GET
def rapport(request, pk, jaar_pk):
    """A school's report of a school year: the exact figures beside last
    year's, for the care team (marked internal), with the team's choices for
    the expectations each section supports, and last year's choices with
    what became of their actions."""
    jaar = policies.get_rapport_schooljaar_for_user(request.user, pk, jaar_pk)
    school = jaar.school
    # The figures and their tables may be up to ZORGBELEID_CIJFERS_SECONDEN
    # old (zorgbeleid.cache); the reflections and actions beside them are
    # read live.
    opgebouwd, berekend = _bewaarde_weergave(
        schoolweergave_bewaard, school, jaar, beschermd=False, fasen=fasenamen(school.schooltype)
    )
    vorig = jaar.vorige()
    huidige = _reflecties(request.user, jaar)
    vorige = _reflecties(request.user, vorig)
    reflecties = {
        v.value: {
            "verwachting": v,
            "reflectie": huidige.get(v.value),
            "vorige": vorige.get(v.value),
            "mag_bewerken": policies.can_edit_reflectie(
                request.user, huidige.get(v.value), school.pk
            ),
        }
        for v in Verwachting
    }
    secties = opgebouwd["secties"]
    for sectie in secties:
        sectie["reflecties"] = [reflecties[v] for v in sectie["verwachtingen"]]
    jaren = Schooljaar.objects.filter(school=school).filter(
        Q(begin__lte=timezone.localdate()) | Q(pk=jaar.pk)
    )
    _rapport_lezen(
        request,
        onderwerp="zorgbeleid",
        school_ids=[school.pk],
        object_id=jaar.pk,
        omschrijving=jaar.naam,
    )
    return render(
        request,
        "zorgbeleid/rapport.html",
        {
            "titel": titel(),
            "rapport": opgebouwd,
            "secties": secties,
            "school": school,
            "schooljaar": jaar,
            "vorig": vorig,
            "groep": None,
            "jaarnaam": jaar.naam,
            "jaren": list(jaren.order_by("-begin")),
            "berekend": _berekend(berekend),
        },
    )


def _groepsfasen(jaren) -> dict[str, str]:
    """The phase names of the group's schools: their school type's when they
    share one; else the numbers, which mean the same step in every type."""
    types = {jaar.school.schooltype for jaar in jaren}
    if len(types) == 1:
        return fasenamen(types.pop())
    nummers = (
        Zorgfase.objects.filter(schooltype__in=types)
        .order_by("nummer")
        .values_list("nummer", flat=True)
        .distinct()
    )
    return {str(n): _("fase %(nummer)s") % {"nummer": n} for n in nummers}


@require_GET
def groep_rapport(request, pk, jaarnaam):
    """A group's report of a school year (by name: each school counts with
    its own year of that name): small numbers always hidden, as they would
    identify a student across schools; links to each school's report."""
    groep = policies.get_groep_for_user(request.user, pk)
    jaren = list(
        Schooljaar.objects.filter(
            school__in=policies.rapport_scholen_visible_to(request.user),
            school__scholengemeenschap=groep,
            naam=jaarnaam,
        )
        .select_related("school")
        .order_by("school__naam", "school_id")
    )
    try:
        opgebouwd, berekend = _bewaarde_weergave(
            groepsweergave_bewaard, groep, jaarnaam, beschermd=True, fasen=_groepsfasen(jaren)
        )
    except LookupError:
        raise Http404 from None
    jaarnamen = sorted(
        set(
            Schooljaar.objects.filter(school__scholengemeenschap=groep).values_list(
                "naam", flat=True
            )
        ),
        reverse=True,
    )
    _rapport_lezen(
        request,
        onderwerp="zorgbeleid_groep",
        school_ids=opgebouwd["scholen"],
        object_id=groep.pk,
        omschrijving=jaarnaam,
    )
    return render(
        request,
        "zorgbeleid/groep_rapport.html",
        {
            "titel": titel(),
            "rapport": opgebouwd,
            "secties": opgebouwd["secties"],
            "school": None,
            "schooljaar": None,
            "groep": groep,
            "jaarnaam": jaarnaam,
            "jaren": jaren,
            "jaarnamen": jaarnamen,
            "berekend": _berekend(berekend),
        },
    )


@require_GET
def rapport_start(request):
    """The reports the user may open: per school its school years, and for a
    group director per group its school years by name."""
    if not policies.can_view_zorgbeleid(request.user):
        raise Http404
    jaren = Schooljaar.objects.order_by("-begin")
    scholen = list(
        policies.rapport_scholen_visible_to(request.user)
        .prefetch_related(Prefetch("schooljaren", queryset=jaren))
        .order_by("naam", "pk")
    )
    groepen = list(policies.groepen_visible_to(request.user).order_by("naam", "pk"))
    namen: dict[int, set[str]] = {g.pk: set() for g in groepen}
    if groepen:
        for groep_id, naam in Schooljaar.objects.filter(
            school__scholengemeenschap__in=groepen
        ).values_list("school__scholengemeenschap_id", "naam"):
            namen[groep_id].add(naam)
    if not scholen and not groepen:
        raise Http404
    return render(
        request,
        "zorgbeleid/rapport_start.html",
        {
            "titel": titel(),
            "scholen": scholen,
            "groepen": [(g, sorted(namen[g.pk], reverse=True)) for g in groepen],
        },
    )
