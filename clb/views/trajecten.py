"""The CLB's own side: referrals coming in, the HGD trajectories with both
layers (shared with the school and CLB-only), and closing them.

Only CLB staff reach these pages, and only for their CLB (clb.policies); to
everyone else, school staff included, every URL here answers 404, exactly
as for a thing that does not exist. Every read of care data is audited,
with the students concerned and without any CLB-only text.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Min, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.models import Aanmelding, Inschrijving, Leerling
from leerlingen.policies import in_clb_bereik
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.forms import EenmaligForm
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import policies
from ..forms.trajecten import (
    AanvaardenForm,
    AfsluitenForm,
    BehoefteForm,
    BetrokkeneForm,
    DoelBewerkenForm,
    DoelForm,
    LaagForm,
    NotitieForm,
    TrajectFilterForm,
    TrajectForm,
)
from ..models import (
    Behoefte,
    Betrokkene,
    Doel,
    HGDTraject,
    Laag,
    Trajectnotitie,
)
from ..services import trajecten as services

# Referrals accepted this recently still show under the waiting ones.
RECENT_AANVAARD_DAGEN = 30
RECENT_AANVAARD_MAX = 10
# The entries whose layer the CLB switches, by the `soort` a form posts.
LAAG_MODELLEN = {"doel": Doel, "behoefte": Behoefte, "notitie": Trajectnotitie}


# --- helpers ---------------------------------------------------------------------


def _alleen_clb(user) -> None:
    if not policies.is_clb_medewerker(user):
        raise Http404


def _leerling_met_klas():
    """Students with their current class, for a Prefetch on `leerling`."""
    leerlingen = Leerling.objects.met_huidige_klas().select_related("school")
    return Prefetch("leerling", queryset=leerlingen)


def _audit_lezen(user, leerlingen, onderwerp: str, object_id="", omschrijving=""):
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp=onderwerp,
        leerlingen=list({ll.pk: ll for ll in leerlingen}.values()),
        object_id=object_id,
        omschrijving=omschrijving,
    )


class _Bewaard:
    """What `_bewaren` did with a POST: the form to show again, the
    service's result when it saved, and a conflict with its 409 status when
    someone else saved first."""

    def __init__(self, form, *, resultaat=None, gelukt=False, conflict=None, herhaald=False):
        self.form = form
        self.resultaat = resultaat
        self.gelukt = gelukt
        # A repeat of a create form: `resultaat` is what the first created.
        self.herhaald = herhaald
        self.conflict = conflict
        self.status = 409 if conflict else 200


def _bewaren(request, form_klasse, opslaan, weergave=None) -> _Bewaard:
    """Validate the POSTed form and hand its data to `opslaan` (the
    service). A service's rule errors land beside their fields. For a
    version-checked form (`weergave` given): when someone else saved since
    the form was loaded, the saved state is shown, the input kept, and the
    form carries the new version so a second save is a deliberate choice.
    A create form (`EenmaligForm`) saves once, however often it is sent."""
    form = form_klasse(request.POST)
    if not form.is_valid():
        return _Bewaard(form)
    nieuw = True
    try:
        if isinstance(form, EenmaligForm):
            resultaat, nieuw = eenmalig_bewaren(
                form, request.user, lambda: opslaan(form.cleaned_data)
            )
        else:
            resultaat = opslaan(form.cleaned_data)
    except VerouderdeVersie as exc:
        if weergave is None:
            raise
        form, conflict = conflict_tonen(request, exc, form_klasse)
        conflict["opgeslagen"] = weergave(exc.huidig)
        return _Bewaard(form, conflict=conflict)
    except ValidationError as fout:
        fouten_op_form(form, fout)
        return _Bewaard(form)
    return _Bewaard(form, resultaat=resultaat, gelukt=True, herhaald=not nieuw)


def detail_url(traject_id: int, anker: str = "") -> str:
    url = reverse("clb:traject_detail", args=[traject_id])
    return f"{url}#{anker}" if anker else url


def _traject_om_te_bewerken(request, pk) -> HGDTraject | None:
    """The trajectory of the user's CLB (404 otherwise); None, with a
    message, when it is closed: the caller redirects to its page."""
    traject = policies.get_traject_voor_clb(request.user, pk)
    if not policies.can_edit_traject(request.user, traject):
        messages.info(request, services.afgesloten_bericht())
        return None
    return traject


def _formulier(request, traject, form, *, titel, knop, uitleg="", conflict=None, status=200):
    """The shared page of the trajectory's forms."""
    return render(
        request,
        "clb/trajecten/formulier.html",
        {
            "traject": traject,
            "leerling": traject.leerling,
            "form": form,
            "titel": titel,
            "knop": knop,
            "uitleg": uitleg,
            "conflict": conflict,
        },
        status=status,
    )


# --- referrals ---------------------------------------------------------------------


@require_GET
def aanmelding_lijst(request):
    """The waiting referrals of the schools the user's CLB serves, the
    oldest first; below them the referrals the CLB accepted lately. A fixed
    number of queries, whatever the number of referrals."""
    user = request.user
    _alleen_clb(user)
    alle = policies.aanmeldingen_voor_clb(user)
    wachtend = (
        alle.filter(status=Aanmelding.Status.OPEN)
        .select_related("aangemaakt_door")
        .prefetch_related(_leerling_met_klas())
        .order_by("datum", "aangemaakt", "pk")
    )
    pagina = pagineren(request, wachtend)
    sinds = timezone.localdate() - datetime.timedelta(days=RECENT_AANVAARD_DAGEN)
    aanvaard = list(
        alle.filter(
            status=Aanmelding.Status.AANVAARD,
            hgd_traject__clb_id__in=policies.clbs_van(user),
            hgd_traject__geopend_op__gte=sinds,
        )
        .select_related("hgd_traject__begeleider")
        .prefetch_related(_leerling_met_klas())
        .order_by("-hgd_traject__geopend_op", "-pk")[:RECENT_AANVAARD_MAX]
    )
    getoond = [a.leerling for a in pagina.object_list] + [a.leerling for a in aanvaard]
    _audit_lezen(user, getoond, "aanmelding", omschrijving="aanmeldingen")
    return render(
        request,
        "clb/aanmeldingen/lijst.html",
        {
            "pagina": pagina,
            "aanvaard": aanvaard,
            "recent_dagen": RECENT_AANVAARD_DAGEN,
            "meerdere_scholen": policies.heeft_meerdere_clb_scholen(user),
        },
    )


def _medewerkers(clb, leerling) -> list:
    """The CLB's active staff who may read the student's record
    (leerlingen.policies.zorg_lezers): who may lead the trajectory."""
    return list(
        policies.mogelijke_begeleiders(clb, leerling)
        .order_by("first_name", "last_name", "email", "pk")
        .distinct()
    )


@require_http_methods(["GET", "POST"])
def aanmelding_aanvaarden(request, pk):
    """Show a referral (the question for help, where it came from) and accept
    it, choosing the CLB lead among the CLB's active staff."""
    user = request.user
    aanmelding = policies.get_aanmelding_voor_clb(user, pk)
    leerling = (
        Leerling.objects.met_huidige_klas().select_related("school").get(pk=aanmelding.leerling_id)
    )
    aanmelding.leerling = leerling
    clb = services.clb_voor_school(user, leerling.school_id)
    if clb is None:  # pragma: no cover - the policy only hands out served schools
        raise Http404
    medewerkers = _medewerkers(clb, leerling)
    is_open = aanmelding.status == Aanmelding.Status.OPEN
    form = AanvaardenForm(
        request.POST or None,
        medewerkers=medewerkers,
        initial={"begeleider": user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            traject, nieuw = eenmalig_bewaren(
                form,
                user,
                lambda: services.aanmelding_aanvaarden(
                    aanmelding=aanmelding, begeleider=form.gekozen_begeleider(), door=user
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(
                request,
                _("De aanmelding is aanvaard: het HGD-traject start met de intake.")
                if nieuw
                else AL_BEWAARD,
            )
            return redirect(detail_url(traject.pk))
    traject_id = None
    if not is_open:
        traject_id = (
            policies.trajecten_voor_clb(user)
            .filter(aanmelding_id=aanmelding.pk)
            .values_list("pk", flat=True)
            .first()
        )
    if request.method == "GET":
        _audit_lezen(user, [leerling], "aanmelding", aanmelding.pk, "aanmelding")
    return render(
        request,
        "clb/aanmeldingen/aanvaarden.html",
        {
            "aanmelding": aanmelding,
            "leerling": leerling,
            "clb": clb,
            "form": form,
            "is_open": is_open,
            "traject_id": traject_id,
        },
    )


# --- trajectories ------------------------------------------------------------------


@require_GET
def traject_lijst(request):
    """The trajectories of the user's CLB: running (default), closed or all;
    optionally only those the user leads. A fixed number of queries."""
    user = request.user
    _alleen_clb(user)
    filter_form = TrajectFilterForm(request.GET or None, initial={"status": "lopend"})
    status, mijn = filter_form.waarden()
    trajecten = policies.trajecten_voor_clb(user)
    if status != TrajectFilterForm.ALLE:
        trajecten = trajecten.filter(status=status)
    if mijn:
        trajecten = trajecten.filter(begeleider=user)
    trajecten = (
        trajecten.select_related("begeleider")
        .prefetch_related(_leerling_met_klas())
        .annotate(
            volgende_evaluatie=Min(
                "doelen__evaluatiedatum", filter=Q(doelen__status=Doel.Status.LOPEND)
            )
        )
        .order_by("-geopend_op", "-pk")
    )
    pagina = pagineren(request, trajecten)
    vandaag = timezone.localdate()
    for traject in pagina.object_list:
        traject.te_evalueren = (
            traject.status == HGDTraject.Status.LOPEND
            and traject.volgende_evaluatie is not None
            and traject.volgende_evaluatie <= vandaag
        )
    _audit_lezen(
        user,
        [t.leerling for t in pagina.object_list],
        "hgd_traject",
        omschrijving=f"lijst {status}{' mijn' if mijn else ''}",
    )
    return render(
        request,
        "clb/trajecten/lijst.html",
        {
            "pagina": pagina,
            "filter_form": filter_form,
            "status": status,
            "mijn": mijn,
            "meerdere_scholen": policies.heeft_meerdere_clb_scholen(user),
        },
    )


def _behoeftegroepen(behoeften) -> list[dict]:
    """The needs per kind (educational, upbringing, support) and per whose
    (the student, the context): six groups, in this order."""
    groepen = []
    for soort in Behoefte.Soort:
        for van in Behoefte.Van:
            groepen.append(
                {
                    "soort": soort.label,
                    "van": van.label,
                    "items": [b for b in behoeften if b.soort == soort and b.van == van],
                }
            )
    return groepen


def _notitiegroepen(notities) -> list[dict]:
    return [
        {
            "soort": soort.value,
            "label": soort.label,
            "standaard_gedeeld": services.standaard_laag(soort) == Laag.GEDEELD,
            "items": [n for n in notities if n.soort == soort],
        }
        for soort in Trajectnotitie.Soort
    ]


def traject_overzicht(traject: HGDTraject) -> dict:
    """Everything of a trajectory, both layers (the CLB's page and its PDF
    report): its frame, goals, needs, notes and people involved, evaluated,
    in a fixed number of queries whatever the number of entries. Only for
    CLB staff of the trajectory's CLB (`policies.get_traject_voor_clb`)."""
    leerling = traject.leerling
    aanmelding = Aanmelding.objects.select_related("aangemaakt_door").get(pk=traject.aanmelding_id)
    klas = (
        Inschrijving.objects.actief()
        .filter(leerling_id=leerling.pk)
        .values_list("klas__naam", flat=True)
        .first()
    )
    doelen = list(
        Doel.objects.filter(traject=traject).select_related("door").order_by("evaluatiedatum", "pk")
    )
    behoeften = list(
        Behoefte.objects.filter(traject=traject)
        .select_related("door")
        .order_by("soort", "van", "pk")
    )
    notities = list(
        Trajectnotitie.objects.filter(traject=traject)
        .select_related("door")
        .order_by("-datum", "-aangemaakt", "-pk")
    )
    betrokkenen = list(Betrokkene.objects.filter(traject=traject).order_by("soort", "naam", "pk"))
    vandaag = timezone.localdate()
    lopend = traject.status == HGDTraject.Status.LOPEND
    for doel in doelen:
        open_ = lopend and doel.status == Doel.Status.LOPEND
        doel.achterstallig = open_ and doel.evaluatiedatum < vandaag
        doel.te_evalueren = open_ and doel.evaluatiedatum == vandaag
    return {
        "traject": traject,
        "leerling": leerling,
        "klas": klas,
        "aanmelding": aanmelding,
        "stappen": traject.stappen(),
        "doelen": doelen,
        "behoeftegroepen": _behoeftegroepen(behoeften),
        "aantal_behoeften": len(behoeften),
        "notitiegroepen": _notitiegroepen(notities),
        "betrokkenen": betrokkenen,
        "vandaag": vandaag,
        "gedeeld": Laag.GEDEELD,
        "enkel_clb": Laag.CLB,
    }


@require_GET
def traject_detail(request, pk):
    """Everything of a trajectory, both layers, each entry marked with who
    reads it; forms to add entries and to switch an entry's layer. A fixed
    number of queries, whatever the number of entries."""
    user = request.user
    traject = policies.get_traject_voor_clb(user, pk)
    context = traject_overzicht(traject)
    context["kan_bewerken"] = policies.can_edit_traject(user, traject)
    context["ziet_dossier"] = in_clb_bereik(user, traject.leerling)
    _audit_lezen(user, [traject.leerling], "hgd_traject", traject.pk, "CLB-dossier")
    return render(request, "clb/trajecten/detail.html", context)


def _traject_weergave(traject: HGDTraject) -> list[dict]:
    return [
        {"label": _("Stap"), "waarde": traject.get_stap_display()},
        {"label": _("Hulpvraag"), "waarde": traject.hulpvraag},
        {"label": _("Perspectief op lange termijn"), "waarde": traject.perspectief or "–"},
    ]


@require_http_methods(["GET", "POST"])
def traject_bewerken(request, pk):
    """The stage, the question for help and the perspective,
    version-checked: when someone else saved them since this edit began, the
    saved state is shown and the input kept."""
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    return _schrijfpagina(
        request,
        traject,
        TrajectForm,
        lambda d: services.traject_wijzigen(
            traject=traject,
            versie=d["versie"],
            stap=d["stap"],
            hulpvraag=d["hulpvraag"],
            perspectief=d["perspectief"],
            door=request.user,
        ),
        weergave=_traject_weergave,
        bericht=_("Het traject is bijgewerkt."),
        anker=_geen_anker,
        leeg=lambda: TrajectForm(
            initial={
                "stap": traject.stap,
                "hulpvraag": traject.hulpvraag,
                "perspectief": traject.perspectief,
                "versie": traject.versie,
            }
        ),
        audit=("hgd_traject", traject.pk, "bewerken"),
        titel=_("Stap, hulpvraag en perspectief"),
        knop=_("Wijzigingen bewaren"),
        uitleg=_("De stap, de hulpvraag en het perspectief zijn gedeeld met de school."),
    )


def _schrijfpagina(
    request, traject, form_klasse, opslaan, *, bericht, anker, leeg, audit, weergave=None, **pagina
):
    """A form that writes to a running trajectory. POST: `opslaan(data)`
    calls the service (through `_bewaren`, with the version check when
    `weergave` is given); on success the message (`bericht`, or
    `bericht(result)`) and back to the trajectory page at `anker(result)`.
    GET: the form `leeg()` and the read audited as (subject, id, what)."""
    if request.method == "POST":
        bewaard = _bewaren(request, form_klasse, opslaan, weergave)
        if bewaard.gelukt:
            resultaat = bewaard.resultaat
            if bewaard.herhaald:
                messages.success(request, AL_BEWAARD)
            else:
                messages.success(request, bericht(resultaat) if callable(bericht) else bericht)
            return redirect(detail_url(traject.pk, anker(resultaat)))
        form, conflict, status = bewaard.form, bewaard.conflict, bewaard.status
    else:
        form, conflict, status = leeg(), None, 200
        _audit_lezen(request.user, [traject.leerling], *audit)
    return _formulier(request, traject, form, conflict=conflict, status=status, **pagina)


def _geen_anker(_resultaat) -> str:
    return ""


@require_http_methods(["GET", "POST"])
def doel_nieuw(request, pk):
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    return _schrijfpagina(
        request,
        traject,
        DoelForm,
        lambda d: services.doel_toevoegen(traject=traject, door=request.user, **d),
        leeg=DoelForm,
        bericht=_("Het doel is bewaard."),
        anker=lambda doel: f"doel-{doel.pk}",
        audit=("hgd_traject", traject.pk, "nieuw doel"),
        titel=_("Nieuw doel"),
        knop=_("Doel bewaren"),
        uitleg=_(
            "Een doel op middellange of korte termijn, met de datum waarop je het evalueert. "
            "Een gedeeld doel lezen de leerkrachten en het zorgteam van de leerling."
        ),
    )


def _doel_weergave(doel: Doel) -> list[dict]:
    return [
        {"label": _("Status"), "waarde": doel.get_status_display()},
        {"label": _("Doel"), "waarde": doel.omschrijving},
        {"label": _("Evaluatiedatum"), "waarde": doel.evaluatiedatum.strftime("%d/%m/%Y")},
        {"label": _("Wie mag dit lezen?"), "waarde": doel.get_laag_display()},
    ]


@require_http_methods(["GET", "POST"])
def doel_bewerken(request, pk, doel):
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    try:
        item = Doel.objects.get(pk=doel, traject=traject)
    except Doel.DoesNotExist as exc:
        raise Http404 from exc
    item.traject = traject
    return _schrijfpagina(
        request,
        traject,
        DoelBewerkenForm,
        lambda d: services.doel_wijzigen(doel=item, door=request.user, **d),
        weergave=_doel_weergave,
        bericht=_("Het doel is bijgewerkt."),
        anker=lambda _doel: f"doel-{item.pk}",
        leeg=lambda: DoelBewerkenForm(
            initial={
                "status": item.status,
                "omschrijving": item.omschrijving,
                "evaluatiedatum": item.evaluatiedatum,
                "laag": item.laag,
                "versie": item.versie,
            }
        ),
        audit=("hgd_doel", item.pk, "doel bewerken"),
        titel=_("Doel bewerken"),
        knop=_("Wijzigingen bewaren"),
        uitleg=_("Evalueer het doel: bereikt, bijgestuurd of niet bereikt, of een nieuwe datum."),
    )


@require_http_methods(["GET", "POST"])
def behoefte_nieuw(request, pk):
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    return _schrijfpagina(
        request,
        traject,
        BehoefteForm,
        lambda d: services.behoefte_toevoegen(traject=traject, door=request.user, **d),
        leeg=BehoefteForm,
        bericht=_("De behoefte is bewaard."),
        anker=lambda behoefte: f"behoefte-{behoefte.pk}",
        audit=("hgd_traject", traject.pk, "nieuwe behoefte"),
        titel=_("Nieuwe behoefte"),
        knop=_("Behoefte bewaren"),
        uitleg=_(
            "Een onderwijs-, opvoedings- of ondersteuningsbehoefte, van de leerling of van de "
            "context (leerkrachten, ouders, school). Een gedeelde behoefte leest het zorgteam."
        ),
    )


@require_http_methods(["GET", "POST"])
def notitie_nieuw(request, pk):
    """An advice, agreement, consultation held, note, investigation or
    third-party information. Without a choice the layer follows the kind:
    advice and agreements shared, the rest CLB-only."""
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    return _schrijfpagina(
        request,
        traject,
        NotitieForm,
        lambda d: services.notitie_toevoegen(
            traject=traject,
            soort=d["soort"],
            datum=d["datum"],
            tekst=d["tekst"],
            deelnemers=d["deelnemers"],
            laag=d["laag"] or None,
            door=request.user,
        ),
        bericht=_notitie_bewaard,
        anker=lambda notitie: f"notitie-{notitie.pk}",
        leeg=lambda: NotitieForm(
            initial={"datum": timezone.localdate()}, soort=request.GET.get("soort")
        ),
        audit=("hgd_traject", traject.pk, "nieuwe notitie"),
        titel=_("Nieuwe notitie"),
        knop=_("Notitie bewaren"),
        uitleg=_(
            "Advies en afspraken deel je standaard met de school; notities, onderzoek en "
            "informatie van derden blijven standaard enkel bij het CLB."
        ),
    )


def _notitie_bewaard(notitie) -> str:
    if notitie.laag == Laag.GEDEELD:
        return _("Bewaard en gedeeld met de school.")
    return _("Bewaard, enkel voor het CLB.")


@require_http_methods(["GET", "POST"])
def betrokkene_nieuw(request, pk):
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    return _schrijfpagina(
        request,
        traject,
        BetrokkeneForm,
        lambda d: services.betrokkene_toevoegen(traject=traject, door=request.user, **d),
        leeg=BetrokkeneForm,
        bericht=_("De betrokkene is toegevoegd."),
        anker=lambda _betrokkene: "betrokkenen",
        audit=("hgd_traject", traject.pk, "nieuwe betrokkene"),
        titel=_("Nieuwe betrokkene"),
        knop=_("Betrokkene toevoegen"),
        uitleg=_("Wie neemt deel aan het traject? Het zorgteam van de school ziet de betrokkenen."),
    )


@require_POST
def laag_wijzigen(request, pk):
    """Share one entry with the school or make it the CLB's only. The entry
    must belong to this trajectory (404 otherwise); an unknown layer is
    refused with a message."""
    user = request.user
    traject = policies.get_traject_voor_clb(user, pk)
    form = LaagForm(request.POST)
    form.is_valid()
    soort, item_id = form.cleaned_data.get("soort"), form.cleaned_data.get("id")
    item = None
    if soort and item_id:
        try:
            item = LAAG_MODELLEN[soort].objects.get(pk=item_id, traject=traject)
        except LAAG_MODELLEN[soort].DoesNotExist as exc:
            raise Http404 from exc
        item.traject = traject
    if item is not None and form.is_valid():
        try:
            services.laag_wijzigen(item=item, laag=form.cleaned_data["laag"], door=user)
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if item.laag == Laag.GEDEELD:
                bericht = _("Gedeeld met de school.")
            else:
                bericht = _("Dit is nu enkel voor het CLB: de school ziet het niet meer.")
            messages.success(request, bericht)
            return redirect(detail_url(traject.pk, f"{soort}-{item.pk}"))
    return render(
        request,
        "clb/trajecten/laag_fout.html",
        {
            "traject": traject,
            "leerling": traject.leerling,
            "fouten": list(dict.fromkeys(f for lijst in form.errors.values() for f in lijst)),
        },
    )


@require_http_methods(["GET", "POST"])
def traject_afsluiten(request, pk):
    """Confirm closing with the outcome and an explanation."""
    traject = _traject_om_te_bewerken(request, pk)
    if traject is None:
        return redirect(detail_url(pk))
    return _schrijfpagina(
        request,
        traject,
        AfsluitenForm,
        lambda d: services.traject_afsluiten(
            traject=traject,
            versie=d["versie"],
            uitkomst=d["uitkomst"],
            toelichting=d["toelichting"],
            door=request.user,
        ),
        weergave=_traject_weergave,
        bericht=_("Het traject is afgesloten."),
        anker=_geen_anker,
        leeg=lambda: AfsluitenForm(initial={"versie": traject.versie}),
        audit=("hgd_traject", traject.pk, "afsluiten"),
        titel=_("Traject afsluiten"),
        knop=_("Traject afsluiten"),
        uitleg=_(
            "Met de uitkomst sluit je het traject en de aanmelding af. Daarna wijzig je het "
            "traject niet meer, en ziet het CLB het dossier van de leerling op school niet "
            "meer tenzij de leerling opnieuw aangemeld wordt of op een cel besproken wordt "
            "waaraan je deelneemt."
        ),
    )


urlpatterns = [
    path("clb/aanmeldingen/", aanmelding_lijst, name="aanmelding_lijst"),
    path(
        "clb/aanmeldingen/<int:pk>/aanvaarden/", aanmelding_aanvaarden, name="aanmelding_aanvaarden"
    ),
    path("clb/trajecten/", traject_lijst, name="traject_lijst"),
    path("clb/trajecten/<int:pk>/", traject_detail, name="traject_detail"),
    path("clb/trajecten/<int:pk>/bewerken/", traject_bewerken, name="traject_bewerken"),
    path("clb/trajecten/<int:pk>/doelen/nieuw/", doel_nieuw, name="doel_nieuw"),
    path("clb/trajecten/<int:pk>/doelen/<int:doel>/", doel_bewerken, name="doel_bewerken"),
    path("clb/trajecten/<int:pk>/behoeften/nieuw/", behoefte_nieuw, name="behoefte_nieuw"),
    path("clb/trajecten/<int:pk>/notities/nieuw/", notitie_nieuw, name="notitie_nieuw"),
    path("clb/trajecten/<int:pk>/betrokkenen/nieuw/", betrokkene_nieuw, name="betrokkene_nieuw"),
    path("clb/trajecten/<int:pk>/laag/", laag_wijzigen, name="laag_wijzigen"),
    path("clb/trajecten/<int:pk>/afsluiten/", traject_afsluiten, name="traject_afsluiten"),
]
