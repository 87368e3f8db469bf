"""Meetings: the list, planning, the meeting page (agenda, profiles, notes,
decisions, action items), the general minutes, starting and closing,
amendments, and the printable minutes.

Every read goes through klassenraad.policies: the meetings a user sees, and
within a meeting the agenda items they see (a teacher only those of the
students they teach now). What a page shows about a student beside the
item (a profile, the timeline) follows the reader's visibility levels
(klassenraad.profielen). Someone who may not see a meeting, or may not do
an action on it, gets 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.models import Inschrijving, Klas
from zorg.accounts.models import School
from zorg.accounts.policies import zorgteam_scholen_visible_to
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, al_verstuurd, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from ..forms.overleggen import (
    AanvullingForm,
    NieuwOverlegForm,
    NotitiesForm,
    NotulenForm,
    OverlegForm,
    PortrettenPlannenForm,
    initial_van,
)
from ..models import (
    Aanvulling,
    Agendapunt,
    Agendareden,
    Beslissing,
    Overleg,
    OverlegSoort,
)
from ..profielen import profielen
from ..services import overleggen as services

PER_PAGINA = 25
# A form's field for each key of the service's errors.
VELD_VAN = {"moment": "datum"}


def _detail_url(overleg, anker: str = "") -> str:
    url = reverse("klassenraad:overleg_detail", args=[overleg.pk])
    return f"{url}#{anker}" if anker else url


def _overleg_om_te_beheren(request, pk) -> Overleg:
    overleg = policies.get_overleg_for_user(request.user, pk)
    if not policies.can_manage_overleg(request.user, overleg):
        raise Http404
    return overleg


def _overleg_om_te_bewerken(request, pk) -> Overleg:
    overleg = policies.get_overleg_for_user(request.user, pk)
    if not policies.can_edit_overleg(request.user, overleg):
        raise Http404
    return overleg


# --- the list ------------------------------------------------------------------------


def _filter(request, scholen: list[School]) -> dict:
    soort = request.GET.get("soort", "")
    if soort not in OverlegSoort.values:
        soort = ""
    school_id = None
    if len(scholen) > 1:
        try:
            school_id = int(request.GET.get("school", ""))
        except ValueError:
            school_id = None
        if school_id not in {s.pk for s in scholen}:
            school_id = None
    return {"soort": soort, "school": school_id}


@require_GET
def overleg_lijst(request):
    """The meetings this user sees: the coming ones first (soonest first),
    then the past ones (latest first)."""
    user = request.user
    scholen = list(policies.overleg_scholen_visible_to(user).order_by("naam"))
    gekozen = _filter(request, scholen)
    overleggen = policies.overleggen_visible_to(user).select_related("school", "klas", "voorzitter")
    if gekozen["soort"]:
        overleggen = overleggen.filter(soort=gekozen["soort"])
    if gekozen["school"]:
        overleggen = overleggen.filter(school_id=gekozen["school"])
    vandaag = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    komend = Q(moment__gte=vandaag)
    overleggen = overleggen.annotate(
        komend=Case(
            When(komend, then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    ).order_by(
        Case(When(komend, then=F("moment"))).asc(nulls_last=True),
        F("moment").desc(),
        F("pk").desc(),
    )
    pagina = pagineren(request, overleggen, PER_PAGINA)
    return render(
        request,
        "klassenraad/overleggen/lijst.html",
        {
            "pagina": pagina,
            "scholen": scholen,
            "soorten": OverlegSoort.choices,
            "gekozen": gekozen,
            "kan_plannen": policies.can_plan_overleg(user),
            # Where the care team plans the year's portrait class councils
            # (from `scholen`: the care team's schools are among them).
            "portret_scholen": [s for s in scholen if policies.can_plan_portretten(user, s.pk)],
        },
    )


# --- planning --------------------------------------------------------------------------


def _personeel(school_ids) -> list[tuple]:
    """(user, label) of everyone who may chair or attend a meeting of these
    schools (policies.kiesbare_deelnemers), by name, a CLB worker with their
    CLB's name."""
    result = []
    for user in policies.kiesbare_deelnemers(school_ids):
        label = user.get_full_name() or user.email
        if user.clb_namen:
            label = f"{label} ({', '.join(user.clb_namen)})"
        result.append((user, label))
    return result


def _klassen(school_ids) -> list[Klas]:
    return list(
        Klas.objects.filter(schooljaar__is_huidig=True, schooljaar__school_id__in=list(school_ids))
        .select_related("schooljaar")
        .order_by("schooljaar__school__naam", "leerjaar", "naam")
    )


@require_http_methods(["GET", "POST"])
def overleg_nieuw(request):
    user = request.user
    if not policies.can_plan_overleg(user):
        raise Http404
    scholen = list(zorgteam_scholen_visible_to(user).order_by("naam"))
    formkwargs = {
        "scholen": scholen,
        "klassen": _klassen(s.pk for s in scholen),
        "personeel": _personeel(s.pk for s in scholen),
    }
    if request.method == "POST":
        form = NieuwOverlegForm(request.POST, **formkwargs)
        if form.is_valid():
            try:
                overleg, nieuw = eenmalig_bewaren(
                    form, user, lambda: services.overleg_plannen(door=user, **form.gegevens())
                )
            except ValidationError as fout:
                fouten_op_form(form, fout, VELD_VAN)
            else:
                messages.success(request, _("Het overleg is gepland.") if nieuw else AL_BEWAARD)
                if overleg.soort == OverlegSoort.CEL:
                    # The care cell's agenda is proposed from the care record.
                    return redirect("klassenraad:agenda_voorstel", pk=overleg.pk)
                return redirect(_detail_url(overleg))
    else:
        initial = {
            "school": scholen[0].pk,
            "datum": timezone.localdate(),
            "voorzitter": user.pk,
            "deelnemers": [user.pk],
        }
        if request.GET.get("soort") in OverlegSoort.values:
            initial["soort"] = request.GET["soort"]
        if request.GET.get("klas", "").isdigit():
            initial["klas"] = int(request.GET["klas"])
        form = NieuwOverlegForm(initial=initial, **formkwargs)
    return render(request, "klassenraad/overleggen/nieuw.html", {"form": form})


def _planning_weergave(overleg: Overleg, deelnemers) -> list[dict]:
    """The saved planning, as a conflict shows it."""
    return [
        {"label": _("Soort overleg"), "waarde": overleg.get_soort_display()},
        {"label": _("Klas"), "waarde": overleg.klas.naam if overleg.klas_id else "–"},
        {
            "label": _("Datum en uur"),
            "waarde": timezone.localtime(overleg.moment).strftime("%d/%m/%Y %H:%M"),
        },
        {"label": _("Voorzitter"), "waarde": str(overleg.voorzitter)},
        {"label": _("Deelnemers"), "waarde": ", ".join(str(u) for u in deelnemers) or "–"},
        {"label": _("Externe deelnemers"), "waarde": overleg.externen or "–"},
    ]


@require_http_methods(["GET", "POST"])
def overleg_bewerken(request, pk):
    overleg = _overleg_om_te_bewerken(request, pk)
    formkwargs = {
        "scholen": [overleg.school],
        "klassen": _klassen([overleg.school_id]),
        "personeel": _personeel([overleg.school_id]),
    }
    conflict = None
    if request.method == "POST":
        form = OverlegForm(request.POST, versie=overleg.versie, **formkwargs)
        if form.is_valid():
            try:
                services.overleg_wijzigen(
                    overleg=overleg,
                    versie=form.cleaned_data["versie"],
                    door=request.user,
                    **{k: v for k, v in form.gegevens().items() if k != "school"},
                )
            except VerouderdeVersie as exc:
                huidig = policies.get_overleg_for_user(request.user, overleg.pk)
                form, conflict = conflict_tonen(
                    request,
                    exc,
                    OverlegForm,
                    huidig=huidig,
                    bericht=_(
                        "Iemand anders wijzigde dit overleg intussen. Je wijzigingen zijn nog "
                        "niet bewaard: hieronder staat wat nu opgeslagen is. Je invoer staat "
                        "nog in het formulier; bewaar opnieuw om ze toe te passen."
                    ),
                    versie=huidig.versie,
                    **formkwargs,
                )
                conflict["opgeslagen"] = _planning_weergave(huidig, list(huidig.deelnemers.all()))
                overleg = huidig
            except ValidationError as fout:
                fouten_op_form(form, fout, VELD_VAN)
            else:
                messages.success(request, _("De wijzigingen zijn bewaard."))
                return redirect(_detail_url(overleg))
    else:
        deelnemer_ids = overleg.deelnemers.values_list("pk", flat=True)
        form = OverlegForm(
            initial=initial_van(overleg, deelnemer_ids), versie=overleg.versie, **formkwargs
        )
    return render(
        request,
        "klassenraad/overleggen/bewerken.html",
        {"overleg": overleg, "form": form, "conflict": conflict},
    )


# --- the meeting page and the minutes ----------------------------------------------------


def _redenen(punt: Agendapunt) -> list[dict]:
    labels = dict(Agendareden.choices)
    result = []
    for reden in punt.redenen or []:
        if not isinstance(reden, dict):
            continue
        result.append(
            {
                "soort": str(labels.get(reden.get("soort"), reden.get("soort", ""))),
                "tekst": str(reden.get("tekst", "")),
            }
        )
    return result


def _klassen_vooraf(punten: list[Agendapunt]) -> None:
    """The current classes of every student on the list in one query, where
    leerlingen.policies looks for them: asking can_add_notitie per item
    then costs no query per item."""
    per_leerling: dict[int, set[int]] = {p.leerling_id: set() for p in punten}
    for leerling_id, klas_id in (
        Inschrijving.objects.actief()
        .filter(leerling_id__in=list(per_leerling))
        .values_list("leerling_id", "klas_id")
    ):
        per_leerling[leerling_id].add(klas_id)
    for p in punten:
        p.leerling._huidige_klas_ids = per_leerling[p.leerling_id]


def _verslag(user, overleg: Overleg, *, met_profielen: bool) -> dict:
    """Everything of `overleg` this user may read, evaluated, in a fixed
    number of queries: the attendees, the visible agenda items with their
    decisions, action items and amendments, the general amendments and (on
    the meeting page) each student's profile."""
    deelnemers = list(overleg.deelnemers.order_by("last_name", "first_name", "pk"))
    punten = list(
        policies.agendapunten_visible_to(user, overleg)
        .select_related("leerling__zorgfase")
        .prefetch_related(
            Prefetch(
                "beslissingen",
                queryset=Beslissing.objects.select_related("door").order_by("aangemaakt", "pk"),
            )
        )
        .order_by("volgorde", "leerling__achternaam", "leerling__voornaam", "pk")
    )
    leerling_ids = [p.leerling_id for p in punten]
    actiepunten: dict[int, list] = {}
    aanvullingen_per_punt: dict[int, list] = {}
    algemene_aanvullingen = []
    if punten:
        for a in (
            policies.actiepunten_visible_to(user)
            .filter(overleg=overleg, leerling_id__in=leerling_ids)
            .select_related("eigenaar")
            .order_by("vervaldatum", "pk")
        ):
            actiepunten.setdefault(a.leerling_id, []).append(a)
    punt_ids = {p.pk for p in punten}
    ziet_notulen = policies.ziet_algemene_notulen(user, overleg)
    over_punten = Q(agendapunt_id__in=punt_ids)
    for a in (
        Aanvulling.objects.filter(overleg=overleg)
        .filter(over_punten | Q(agendapunt__isnull=True) if ziet_notulen else over_punten)
        .select_related("door")
        .order_by("aangemaakt", "pk")
    ):
        if a.agendapunt_id is None:
            algemene_aanvullingen.append(a)
        else:
            aanvullingen_per_punt.setdefault(a.agendapunt_id, []).append(a)
    per_leerling = profielen(user, overleg, leerling_ids) if met_profielen else {}
    notitie_per_punt = not overleg.is_afgesloten and not policies.can_manage_overleg(user, overleg)
    if notitie_per_punt and overleg.is_klassenraad and punten:
        _klassen_vooraf(punten)
    for p in punten:
        p.overleg = overleg
        p.redenlijst = _redenen(p)
        p.beslissingenlijst = list(p.beslissingen.all())
        p.actiepuntenlijst = actiepunten.get(p.leerling_id, [])
        p.aanvullingenlijst = aanvullingen_per_punt.get(p.pk, [])
        p.kan_notitie = policies.can_add_notitie(user, overleg, p)
        p.profiel = per_leerling.get(p.leerling_id)
    alle_aanvullingen = sorted(
        algemene_aanvullingen + [a for lijst in aanvullingen_per_punt.values() for a in lijst],
        key=lambda a: (a.aangemaakt, a.pk),
    )
    namen = {p.pk: p.leerling.volledige_naam for p in punten}
    for a in alle_aanvullingen:
        a.leerling_naam = namen.get(a.agendapunt_id, "")
    # Decisions about the whole class come first (the class level first).
    klasbeslissingen = list(
        policies.klasbeslissingen_visible_to(user, overleg)
        .select_related("door")
        .order_by("aangemaakt", "pk")
    )
    return {
        "overleg": overleg,
        "deelnemers": deelnemers,
        "klasbeslissingen": klasbeslissingen,
        "punten": punten,
        "aanvullingen": alle_aanvullingen,
        "ziet_notulen": ziet_notulen,
        "vandaag": timezone.localdate(),
    }


def _audit_lezen(user, overleg: Overleg, punten, omschrijving: str) -> None:
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="overleg",
        leerlingen=[p.leerling for p in punten],
        school_id=overleg.school_id,
        object_id=overleg.pk,
        omschrijving=omschrijving,
    )


@require_GET
def overleg_detail(request, pk):
    user = request.user
    overleg = policies.get_overleg_for_user(user, pk)
    context = _verslag(user, overleg, met_profielen=True)
    kan_bewerken = policies.can_edit_overleg(user, overleg)
    kan_beheren = policies.can_manage_overleg(user, overleg)
    context.update(
        {
            "kan_beheren": kan_beheren,
            "kan_bewerken": kan_bewerken,
            "kan_agenda": kan_bewerken
            and overleg.soort in (OverlegSoort.CEL, OverlegSoort.BEGELEIDEND),
            "kan_starten": kan_bewerken and overleg.status == Overleg.Status.GEPLAND,
            "kan_beslissen": policies.can_record_beslissing(user, overleg),
            "kan_remediering": policies.can_select_remediering(user, overleg),
            "kan_aanvullen": kan_beheren and overleg.is_afgesloten,
            "ziet_alles": policies.ziet_volledige_agenda(user, overleg),
        }
    )
    if context["kan_aanvullen"]:
        context["aanvulling_form"] = AanvullingForm(punten=context["punten"])
    _audit_lezen(user, overleg, context["punten"], "overleg")
    return render(request, "klassenraad/overleggen/detail.html", context)


def afdrukbaar_verslag(user, overleg: Overleg) -> dict:
    """The minutes on paper (the printable page and the PDF): everything of
    `overleg` this user may read, without the students' profiles."""
    context = _verslag(user, overleg, met_profielen=False)
    context["ziet_alles"] = policies.ziet_volledige_agenda(user, overleg)
    return context


@require_GET
def overleg_verslag(request, pk):
    """The minutes on paper: only what this reader may see."""
    user = request.user
    overleg = policies.get_overleg_for_user(user, pk)
    context = afdrukbaar_verslag(user, overleg)
    _audit_lezen(user, overleg, context["punten"], "verslag")
    return render(request, "klassenraad/overleggen/verslag.html", context)


@require_http_methods(["GET", "POST"])
def overleg_notulen(request, pk):
    """The general minutes, version-checked: when someone else saved them
    since this edit began, both texts are shown and nothing is lost."""
    overleg = _overleg_om_te_beheren(request, pk)
    conflict = None
    niet_bewaard = ""
    if request.method == "POST":
        form = NotulenForm(request.POST)
        if form.is_valid():
            try:
                services.notulen_opslaan(
                    overleg=overleg,
                    notulen=form.cleaned_data["notulen"],
                    versie=form.cleaned_data["versie"],
                    door=request.user,
                )
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, NotulenForm)
                conflict["opgeslagen"] = exc.huidig.notulen
                overleg.notulen, overleg.versie = exc.huidig.notulen, exc.huidig.versie
            except ValidationError as fout:
                fouten_op_form(form, fout, VELD_VAN)
                niet_bewaard = form.cleaned_data.get("notulen", "")
            else:
                messages.success(request, _("De notulen zijn bewaard."))
                return redirect(_detail_url(overleg, "notulen"))
        else:
            niet_bewaard = request.POST.get("notulen", "")
    else:
        form = NotulenForm(initial={"notulen": overleg.notulen, "versie": overleg.versie})
        audit_vastleggen(
            gebruiker=request.user,
            actie=Actie.LEZEN,
            onderwerp="overleg",
            school_id=overleg.school_id,
            object_id=overleg.pk,
            omschrijving="notulen",
        )
    return render(
        request,
        "klassenraad/overleggen/notulen.html",
        {
            "overleg": overleg,
            "form": form,
            "conflict": conflict,
            "afgesloten": overleg.is_afgesloten,
            "niet_bewaard": niet_bewaard if overleg.is_afgesloten else "",
            "afgesloten_bericht": services.afgesloten_bericht(),
        },
    )


@require_http_methods(["GET", "POST"])
def agendapunt_notities(request, pk, punt):
    """The notes about one student: an htmx partial in the meeting page, or
    a page of its own without JavaScript."""
    user = request.user
    overleg = policies.get_overleg_for_user(user, pk)
    agendapunt = policies.get_agendapunt_for_user(user, overleg, punt)
    if not policies.can_add_notitie(user, overleg, agendapunt):
        raise Http404
    agendapunt.overleg = overleg
    conflict = None
    if request.method == "POST":
        form = NotitiesForm(request.POST, punt=agendapunt)
        if form.is_valid():
            try:
                opgeslagen = services.notities_opslaan(
                    agendapunt=agendapunt,
                    notities=form.cleaned_data["notities"],
                    besproken=form.cleaned_data["besproken"],
                    versie=form.cleaned_data["versie"],
                    door=user,
                )
            except VerouderdeVersie as exc:
                form, conflict = conflict_tonen(request, exc, NotitiesForm, punt=agendapunt)
                conflict["opgeslagen"] = exc.huidig.notities
                conflict["besproken"] = exc.huidig.besproken
            except ValidationError as fout:
                fouten_op_form(form, fout, VELD_VAN)
            else:
                if request.htmx:
                    opgeslagen.overleg = overleg
                    opgeslagen.kan_notitie = True
                    return render(
                        request,
                        "klassenraad/overleggen/_notities.html",
                        {"overleg": overleg, "punt": opgeslagen, "bewaard": True},
                    )
                messages.success(
                    request,
                    _("De notities over %(naam)s zijn bewaard.")
                    % {"naam": agendapunt.leerling.volledige_naam},
                )
                return redirect(_detail_url(overleg, f"punt-{agendapunt.pk}"))
    else:
        form = NotitiesForm(
            initial={
                "notities": agendapunt.notities,
                "besproken": agendapunt.besproken,
                "versie": agendapunt.versie,
            },
            punt=agendapunt,
        )
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="agendapunt",
            leerlingen=[agendapunt.leerling],
            object_id=agendapunt.pk,
            omschrijving=f"overleg {overleg.pk}",
        )
    context = {"overleg": overleg, "punt": agendapunt, "form": form, "conflict": conflict}
    template = "klassenraad/overleggen/notities.html"
    if request.htmx:
        template += "#formulier"
    return render(request, template, context)


# --- starting, closing, amendments -------------------------------------------------------


@require_POST
def overleg_starten(request, pk):
    overleg = _overleg_om_te_bewerken(request, pk)
    try:
        services.overleg_starten(overleg=overleg, door=request.user)
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(request, _("Het overleg is gestart."))
    return redirect(_detail_url(overleg))


@require_POST
def overleg_afsluiten(request, pk):
    """Closing asks to confirm first: the first POST shows what will be
    closed, the confirming POST (with the version seen) closes it."""
    overleg = _overleg_om_te_bewerken(request, pk)
    if request.POST.get("bevestigd") != "1":
        # A decision about a student means they were discussed, also for items
        # recorded before a decision ticked `besproken` (computed, not migrated:
        # the page is right whatever the data's age).
        punten = list(
            policies.agendapunten_visible_to(request.user, overleg)
            .select_related("leerling")
            .annotate(heeft_beslissing=Exists(Beslissing.objects.filter(agendapunt=OuterRef("pk"))))
        )
        return render(
            request,
            "klassenraad/overleggen/afsluiten.html",
            {
                "overleg": overleg,
                "aantal_punten": len(punten),
                "niet_besproken": [
                    p.leerling for p in punten if not (p.besproken or p.heeft_beslissing)
                ],
            },
        )
    try:
        versie = int(request.POST.get("versie", ""))
    except ValueError:
        versie = 0
    try:
        services.overleg_afsluiten(overleg=overleg, versie=versie, door=request.user)
    except VerouderdeVersie as exc:
        messages.error(request, exc.bericht)
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(
            request,
            _("Het verslag is afgesloten. Correcties voeg je voortaan toe als aanvulling."),
        )
    return redirect(_detail_url(overleg))


@require_POST
def overleg_aanvulling(request, pk):
    overleg = _overleg_om_te_beheren(request, pk)
    if not overleg.is_afgesloten:
        raise Http404
    punten = list(
        policies.agendapunten_visible_to(request.user, overleg)
        .select_related("leerling")
        .order_by("volgorde", "pk")
    )
    form = AanvullingForm(request.POST, punten=punten)
    if form.is_valid():
        try:
            _aanvulling, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: services.aanvulling_toevoegen(
                    overleg=overleg,
                    tekst=form.cleaned_data["tekst"],
                    agendapunt=form.gekozen_punt(),
                    door=request.user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout, VELD_VAN)
        else:
            messages.success(request, _("De aanvulling is toegevoegd.") if nieuw else AL_BEWAARD)
            return redirect(_detail_url(overleg, "aanvullingen"))
    return render(
        request, "klassenraad/overleggen/aanvulling.html", {"overleg": overleg, "form": form}
    )


@require_http_methods(["GET", "POST"])
def portretten_plannen(request, pk):
    """The portrait class councils of the school year, planned at once: a
    date and an hour for each class that has none yet (after the rollover,
    every class of the new year), chaired by whoever plans them, with the
    class team."""
    user = request.user
    school = policies.get_portret_school_for_user(user, pk)
    klassen = services.klassen_zonder_portret(school)
    form = PortrettenPlannenForm(request.POST or None, klassen=klassen)
    lijst = reverse("klassenraad:overleg_lijst") + f"?soort={OverlegSoort.PORTRET}"
    if request.method == "POST" and al_verstuurd(form, user):
        # The repeat of a submit that planned them: its classes are no
        # longer on the form, which would refuse it as empty.
        messages.info(request, AL_BEWAARD)
        return redirect(lijst)
    if request.method == "POST" and form.is_valid():
        try:
            _eerste, nieuw = eenmalig_bewaren(
                form,
                user,
                lambda: services.portretklassenraden_plannen(
                    school=school, momenten=form.momenten, voorzitter=user, door=user
                )[0],
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if nieuw:
                messages.success(
                    request,
                    ngettext(
                        "%(aantal)d portretklassenraad is gepland.",
                        "%(aantal)d portretklassenraden zijn gepland.",
                        len(form.momenten),
                    )
                    % {"aantal": len(form.momenten)},
                )
            else:
                messages.info(request, AL_BEWAARD)
            return redirect(lijst)
    return render(
        request,
        "klassenraad/overleggen/portretten.html",
        {"school": school, "form": form, "klassen": klassen},
    )


urlpatterns = [
    path("overleggen/", overleg_lijst, name="overleg_lijst"),
    path(
        "overleggen/scholen/<int:pk>/portretklassenraden/",
        portretten_plannen,
        name="portretten_plannen",
    ),
    path("overleggen/nieuw/", overleg_nieuw, name="overleg_nieuw"),
    path("overleggen/<int:pk>/", overleg_detail, name="overleg_detail"),
    path("overleggen/<int:pk>/bewerken/", overleg_bewerken, name="overleg_bewerken"),
    path("overleggen/<int:pk>/starten/", overleg_starten, name="overleg_starten"),
    path("overleggen/<int:pk>/afsluiten/", overleg_afsluiten, name="overleg_afsluiten"),
    path("overleggen/<int:pk>/notulen/", overleg_notulen, name="overleg_notulen"),
    path(
        "overleggen/<int:pk>/punten/<int:punt>/notities/",
        agendapunt_notities,
        name="agendapunt_notities",
    ),
    path("overleggen/<int:pk>/aanvulling/", overleg_aanvulling, name="overleg_aanvulling"),
    path("overleggen/<int:pk>/verslag/", overleg_verslag, name="overleg_verslag"),
]
