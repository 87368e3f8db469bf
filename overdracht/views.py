"""The transfer's pages: the coordinator's list, preparing one for a
student, its page (preview with the items to leave out, the steps, the
PDF and the signed file once released), and the import at the receiving
school. Who may do what: overdracht.policies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leerlingen.policies import get_leerling_for_user
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.paginering import pagineren
from zorg.versies import VerouderdeVersie

from . import inhoud as inhoudmodule
from . import ondertekening, policies, services
from .forms import (
    ImportBevestigenForm,
    ImportForm,
    InformerenForm,
    InhoudForm,
    OverdrachtForm,
    ReactieForm,
    VersieForm,
)
from .models import Overdracht


def _lezen(user, leerling, onderwerp, object_id="", omschrijving=""):
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp=onderwerp,
        leerlingen=[leerling],
        object_id=object_id,
        omschrijving=omschrijving,
    )


def sectie(request, leerling) -> dict:
    """On the student page: the transfers to a next school and those
    received from the previous one, for the care team."""
    user = request.user
    if not policies.can_view_overdrachten_van(user, leerling):
        return {}
    return {
        "onderdeel": "overdrachten",
        "template": "overdracht/_sectie.html",
        "overdrachten": list(
            policies.overdrachten_visible_to(user)
            .filter(leerling=leerling)
            .only("pk", "school_naam", "status", "aangemaakt", "vrijgegeven_op", "leerling_id")
        ),
        # The summary the previous school sent is the start of this record:
        # readable here (the page's audit names this section).
        "ontvangen": [
            (o, inhoudmodule.voor_weergave(o.inhoud.get("samenvatting", {})))
            for o in policies.ontvangen_overdrachten_visible_to(user).filter(leerling=leerling)
        ],
        "mag_voorbereiden": policies.can_prepare_overdracht(user, leerling),
    }


@require_GET
def lijst(request):
    """The transfers of the schools whose care the user leads."""
    user = request.user
    if not policies.can_view_overdrachten(user):
        raise Http404
    # select_related: the student's name and school on every row, in the
    # page's one query (no query per row).
    overdrachten = (
        policies.overdrachten_visible_to(user)
        .select_related("leerling__school")
        .defer("inhoud", "bezwaar_inhoud", "weggelaten")
    )
    pagina = pagineren(request, overdrachten)
    return render(
        request,
        "overdracht/lijst.html",
        {
            "pagina": pagina,
            "overdrachten": pagina.object_list,
            "mag_importeren": policies.can_import_overdracht(user),
        },
    )


@require_http_methods(["GET", "POST"])
def nieuw(request, pk):
    user = request.user
    leerling = get_leerling_for_user(user, pk)
    if not policies.can_prepare_overdracht(user, leerling):
        raise Http404
    if request.method == "POST":
        form = OverdrachtForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                overdracht, nieuw_ = eenmalig_bewaren(
                    form,
                    user,
                    lambda: services.overdracht_voorbereiden(
                        leerling=leerling,
                        school_naam=d["school_naam"],
                        school_instellingsnummer=d["school_instellingsnummer"],
                        school_adres=d["school_adres"],
                        door=user,
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request,
                    _("De overdracht is aangemaakt. Kijk de samenvatting na.")
                    if nieuw_
                    else AL_BEWAARD,
                )
                return redirect("overdracht:detail", overdracht.pk)
    else:
        form = OverdrachtForm()
    return render(request, "overdracht/nieuw.html", {"leerling": leerling, "form": form})


def _detail(request, overdracht: Overdracht, *, forms=None, status=200):
    """The transfer's page; `forms` are bound forms of a refused step, shown
    with their errors in place of fresh ones."""
    user = request.user
    overdracht = policies.get_overdracht_for_user(user, overdracht.pk)
    leerling = overdracht.leerling
    mag_beheren = policies.can_manage_overdracht(user, overdracht)
    bewerkbaar = overdracht.status in (Overdracht.Status.CONCEPT, Overdracht.Status.BEZWAAR)
    forms = forms or {}
    context = {
        "overdracht": overdracht,
        "leerling": leerling,
        "mag_beheren": mag_beheren,
        "bewerkbaar": bewerkbaar,
        "bezwaartermijn": services.BEZWAARTERMIJN,
        "termijn_einde": services.termijn_einde(overdracht),
        "weigering": services.vrijgeven_geweigerd(overdracht),
        "sleutel_ingesteld": ondertekening.sleutel_ingesteld(),
        "eigen_vingerafdruk": (
            ondertekening.eigen_vingerafdruk() if ondertekening.sleutel_ingesteld() else ""
        ),
    }
    if bewerkbaar:
        volledig = inhoudmodule.samenvatting(leerling, op=timezone.localdate())
        sleutels = sorted(inhoudmodule.sleutels(volledig))
        context["samenvatting"] = inhoudmodule.voor_weergave(volledig)
        context["weggelaten"] = set(overdracht.weggelaten)
        context["inhoud_form"] = forms.get("inhoud") or InhoudForm(
            sleutels=sleutels,
            initial={
                "versie": overdracht.versie,
                "opnemen": [s for s in sleutels if s not in context["weggelaten"]],
            },
        )
        context["informeren_form"] = forms.get("informeren") or InformerenForm(
            initial={"versie": overdracht.versie}
        )
        omschrijving = "voorbeeld"
    else:
        context["samenvatting"] = inhoudmodule.voor_weergave(overdracht.inhoud or {})
        context["weggelaten"] = set()
        omschrijving = ""
    if overdracht.status == Overdracht.Status.GEINFORMEERD:
        context["reactie_form"] = forms.get("reactie") or ReactieForm(
            initial={"versie": overdracht.versie}
        )
    context["versie_form"] = forms.get("versie") or VersieForm(
        initial={"versie": overdracht.versie}
    )
    _lezen(user, leerling, services.ONDERWERP, overdracht.pk, omschrijving)
    return render(request, "overdracht/detail.html", context, status=status)


@require_GET
def detail(request, pk):
    return _detail(request, policies.get_overdracht_for_user(request.user, pk))


def _om_te_beheren(request, pk) -> Overdracht:
    overdracht = policies.get_overdracht_for_user(request.user, pk)
    if not policies.can_prepare_overdracht(request.user, overdracht.leerling):
        raise Http404
    return overdracht


def _stap(request, pk, naam, form, uitvoeren, gelukt):
    """Run one step from a POSTed form: back to the page with a message, or
    the page again with the form's errors (409 for another's change)."""
    overdracht = _om_te_beheren(request, pk)
    if form.is_valid():
        try:
            uitvoeren(overdracht, form.cleaned_data)
        except VerouderdeVersie as fout:
            form.add_error(None, fout.bericht)
            return _detail(request, overdracht, forms={naam: form}, status=409)
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(request, gelukt)
            return redirect("overdracht:detail", overdracht.pk)
    return _detail(request, overdracht, forms={naam: form})


@require_POST
def inhoud_kiezen(request, pk):
    overdracht = _om_te_beheren(request, pk)
    volledig = inhoudmodule.samenvatting(overdracht.leerling, op=timezone.localdate())
    sleutels = sorted(inhoudmodule.sleutels(volledig))
    return _stap(
        request,
        pk,
        "inhoud",
        InhoudForm(request.POST, sleutels=sleutels),
        lambda o, d: services.overdracht_inhoud_kiezen(
            overdracht=o,
            versie=d["versie"],
            weggelaten=[s for s in sleutels if s not in set(d["opnemen"])],
            door=request.user,
        ),
        _("De keuze is bewaard."),
    )


@require_POST
def informeren(request, pk):
    return _stap(
        request,
        pk,
        "informeren",
        InformerenForm(request.POST),
        lambda o, d: services.overdracht_ouders_informeren(
            overdracht=o,
            versie=d["versie"],
            geinformeerd_op=d["geinformeerd_op"],
            door=request.user,
        ),
        _("Vastgelegd dat de ouders geïnformeerd zijn. De samenvatting ligt nu vast."),
    )


@require_POST
def reactie(request, pk):
    return _stap(
        request,
        pk,
        "reactie",
        ReactieForm(request.POST),
        lambda o, d: services.overdracht_reactie_vastleggen(
            overdracht=o,
            versie=d["versie"],
            bezwaar=d["antwoord"] == "bezwaar",
            op=d["op"],
            opmerking=d["opmerking"],
            door=request.user,
        ),
        _("Het antwoord van de ouders is bewaard."),
    )


@require_POST
def vrijgeven(request, pk):
    return _stap(
        request,
        pk,
        "versie",
        VersieForm(request.POST),
        lambda o, d: services.overdracht_vrijgeven(
            overdracht=o, versie=d["versie"], door=request.user
        ),
        _("De overdracht is vrijgegeven: maak de PDF of download het bestand."),
    )


@require_POST
def intrekken(request, pk):
    return _stap(
        request,
        pk,
        "versie",
        VersieForm(request.POST),
        lambda o, d: services.overdracht_intrekken(
            overdracht=o, versie=d["versie"], door=request.user
        ),
        _("De overdracht is ingetrokken."),
    )


@require_GET
def bestand(request, pk):
    """The signed file of a released transfer, to hand to the next school."""
    user = request.user
    overdracht = policies.get_vrijgegeven_overdracht_for_user(user, pk)
    if not ondertekening.sleutel_ingesteld():
        messages.error(
            request,
            _(
                "Deze installatie heeft geen sleutel om overdrachten te ondertekenen "
                "(ZORG_OVERDRACHT_SLEUTEL). Vraag de beheerder van de server om die in te stellen."
            ),
        )
        return redirect("overdracht:detail", overdracht.pk)
    tekst = services.overdrachtsbestand(overdracht)
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.DOWNLOADEN,
        onderwerp=services.ONDERWERP,
        leerlingen=[overdracht.leerling],
        object_id=overdracht.pk,
        omschrijving="ondertekend bestand",
    )
    antwoord = HttpResponse(tekst, content_type="application/json; charset=utf-8")
    antwoord["Content-Disposition"] = f'attachment; filename="overdracht-{overdracht.kenmerk}.json"'
    return antwoord


@require_http_methods(["GET", "POST"])
def importeren(request):
    """Step 1: upload and verify (nothing saved). Step 2 (`bevestigen` in
    the POST): verify the same document again and attach it."""
    user = request.user
    if not policies.can_import_overdracht(user):
        raise Http404
    leerlingen = policies.import_leerlingen_visible_to(user).select_related("school")
    form = ImportForm()
    bevestigen = None
    gecontroleerd = None
    fouten: list[str] = []
    if request.method == "POST" and "document" in request.POST:
        bevestigen = ImportBevestigenForm(request.POST, leerlingen=leerlingen)
        if bevestigen.is_valid():
            d = bevestigen.cleaned_data
            try:
                ontvangen_, nieuw_ = eenmalig_bewaren(
                    bevestigen,
                    user,
                    lambda: services.overdracht_importeren(
                        tekst=d["document"], leerling=d["leerling"], door=user
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(bevestigen, fout)
            else:
                messages.success(
                    request,
                    _("De overdracht is ingevoerd bij de leerling.") if nieuw_ else AL_BEWAARD,
                )
                return redirect("overdracht:ontvangen", ontvangen_.pk)
        # Refused: the preview again when the document still holds, to
        # choose again; else back to the upload with the reason.
        try:
            gecontroleerd = services.importbestand_controleren(
                tekst=request.POST.get("document", ""), school_ids=policies.import_scholen(user)
            )
        except ValidationError as fout:
            fouten = [m for lijst in fout.message_dict.values() for m in lijst]
            bevestigen = None
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            inhoud = form.cleaned_data["bestand"].read(ondertekening.MAX_GROOTTE + 1)
            try:
                gecontroleerd = services.importbestand_controleren(
                    tekst=inhoud, school_ids=policies.import_scholen(user)
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                bevestigen = ImportBevestigenForm(
                    initial={"document": inhoud.decode("utf-8")}, leerlingen=leerlingen
                )
    return render(
        request,
        "overdracht/importeren.html",
        {
            "form": form,
            "fouten": fouten,
            "bevestigen": bevestigen,
            "gecontroleerd": gecontroleerd,
            "samenvatting": (
                inhoudmodule.voor_weergave(gecontroleerd["inhoud"]["samenvatting"])
                if gecontroleerd
                else None
            ),
        },
    )


@require_GET
def ontvangen(request, pk):
    user = request.user
    o = policies.get_ontvangen_overdracht_for_user(user, pk)
    _lezen(user, o.leerling, services.ONDERWERP_ONTVANGEN, o.pk)
    return render(
        request,
        "overdracht/ontvangen.html",
        {
            "ontvangen": o,
            "leerling": o.leerling,
            "bestand": o.inhoud,
            "samenvatting": inhoudmodule.voor_weergave(o.inhoud.get("samenvatting", {})),
        },
    )


urlpatterns = [
    path("overdrachten/", lijst, name="lijst"),
    path("overdrachten/importeren/", importeren, name="importeren"),
    path("overdrachten/ontvangen/<int:pk>/", ontvangen, name="ontvangen"),
    path("leerlingen/<int:pk>/overdracht/nieuw/", nieuw, name="nieuw"),
    path("overdrachten/<int:pk>/", detail, name="detail"),
    path("overdrachten/<int:pk>/inhoud/", inhoud_kiezen, name="inhoud"),
    path("overdrachten/<int:pk>/informeren/", informeren, name="informeren"),
    path("overdrachten/<int:pk>/reactie/", reactie, name="reactie"),
    path("overdrachten/<int:pk>/vrijgeven/", vrijgeven, name="vrijgeven"),
    path("overdrachten/<int:pk>/intrekken/", intrekken, name="intrekken"),
    path("overdrachten/<int:pk>/bestand/", bestand, name="bestand"),
]
