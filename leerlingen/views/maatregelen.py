"""Measures (maatregelen): a student's reasonable adjustments, their
evaluations, the school's catalogue, and the class measures overview that
answers a teacher's daily question "which measures must I apply for the
students in front of me now?".

Who sees what: the class team (teachers of the student) sees the measures in
force today, because they must apply them; the care team (care
coordinators, director, CLB) sees every measure with its evaluations; only
care coordinators and the director record, change, evaluate and stop them.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zorg.accounts.policies import zorgteam_scholen_visible_to
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form
from zorg.versies import VerouderdeVersie, conflict_tonen

from .. import domeinen, policies
from ..forms.maatregelen import (
    CatalogusItemForm,
    CatalogusKeuzeForm,
    EvaluatieForm,
    MaatregelForm,
    NieuweMaatregelForm,
    StopForm,
    initial_uit_catalogus,
)
from ..models import (
    Bereik,
    Inschrijving,
    Maatregel,
    MaatregelCatalogusItem,
    MaatregelEvaluatie,
    MaatregelSoort,
    Vak,
)
from ..services import maatregelen as services
from ..services.maatregelen import OPEN_STATUSSEN, VELDEN

SOORT_VOLGORDE = {soort: i for i, soort in enumerate(MaatregelSoort.values)}
# The statuses a new measure (or a proposal being edited) may take, as offered.
OPEN_STATUSSEN_IN_VOLGORDE = (Maatregel.Status.ACTIEF, Maatregel.Status.VOORGESTELD)


# --- what a user may see -------------------------------------------------------


def _vakken_prefetch():
    return Prefetch("vakken", queryset=Vak.objects.order_by("naam"))


def _leerling_om_te_beheren(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_manage_maatregelen(request.user, leerling):
        raise Http404
    return leerling


def _zorgteam_scholen(user) -> list:
    scholen = list(zorgteam_scholen_visible_to(user).order_by("naam"))
    if not scholen:
        raise Http404
    return scholen


# --- a student's measures -----------------------------------------------------


def _vakken_van(leerling) -> list[Vak]:
    return list(Vak.objects.filter(school_id=leerling.school_id).order_by("naam"))


@require_http_methods(["GET", "POST"])
def maatregel_nieuw(request, pk):
    leerling = _leerling_om_te_beheren(request, pk)
    catalogus = list(
        MaatregelCatalogusItem.objects.filter(school_id=leerling.school_id, actief=True)
    )
    vakken = _vakken_van(leerling)
    keuze = CatalogusKeuzeForm(
        request.GET if "catalogus" in request.GET else None, catalogus=catalogus
    )
    formkwargs = {
        "vakken": vakken,
        "status_keuzes": list(OPEN_STATUSSEN_IN_VOLGORDE),
        "catalogus": catalogus,
    }
    if request.method == "POST":
        form = NieuweMaatregelForm(request.POST, **formkwargs)
        if form.is_valid():
            try:
                maatregel, nieuw = eenmalig_bewaren(
                    form,
                    request.user,
                    lambda: services.maatregel_maken(
                        leerling=leerling,
                        gegevens=form.gegevens(status=Maatregel.Status.VOORGESTELD),
                        catalogus_item=form.catalogus_item(),
                        door=request.user,
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De maatregel is bewaard.") if nieuw else AL_BEWAARD)
                return redirect(maatregel_url(maatregel))
    else:
        vandaag = timezone.localdate()
        initial = {
            "begin": vandaag,
            "evaluatiedatum": services.voorgestelde_evaluatiedatum(
                begin=vandaag, weken=leerling.school.evaluatieperiode_weken
            ),
            "status": Maatregel.Status.ACTIEF,
        }
        if keuze.is_valid() and keuze.cleaned_data["catalogus"]:
            item = next(i for i in catalogus if i.pk == keuze.cleaned_data["catalogus"])
            initial.update(initial_uit_catalogus(item))
        form = NieuweMaatregelForm(initial=initial, **formkwargs)
    context = {"leerling": leerling, "form": form, "keuze": keuze, "catalogus": catalogus}
    if request.htmx and request.method == "GET":
        return render(request, "leerlingen/maatregelen/maatregel_nieuw.html#formulier", context)
    return render(request, "leerlingen/maatregelen/maatregel_nieuw.html", context)


def maatregel_url(maatregel) -> str:
    return reverse("leerlingen:maatregel_detail", args=[maatregel.leerling_id, maatregel.pk])


@require_GET
def maatregel_detail(request, pk, m_pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    maatregel = policies.get_maatregel_for_user(request.user, leerling, m_pk)
    zorgteam = policies.can_view_zorgteam(request.user, leerling)
    evaluaties = []
    if zorgteam:
        # Oldest first: the history of the measure, read top to bottom.
        evaluaties = list(
            MaatregelEvaluatie.objects.filter(maatregel=maatregel)
            .select_related("door")
            .order_by("datum", "aangemaakt")
        )
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="maatregel",
        leerlingen=[leerling],
        object_id=maatregel.pk,
    )
    return render(
        request,
        "leerlingen/maatregelen/maatregel_detail.html",
        {
            "leerling": leerling,
            "maatregel": maatregel,
            "vakken": list(maatregel.vakken.all()),
            "evaluaties": evaluaties,
            "zorgteam": zorgteam,
            "kan_beheren": policies.can_manage_maatregelen(request.user, leerling),
            "is_open": maatregel.status in OPEN_STATUSSEN,
            "vandaag": timezone.localdate(),
        },
    )


def _status_keuzes(maatregel) -> list[str] | None:
    """A proposal may be started by editing it; other statuses change only
    by evaluating or stopping."""
    if maatregel.status == Maatregel.Status.VOORGESTELD:
        return list(OPEN_STATUSSEN_IN_VOLGORDE)
    return None


def _initial(maatregel, vakken) -> dict:
    return {
        **{veld: getattr(maatregel, veld) for veld in VELDEN if veld != "vakken"},
        "vakken": [vak.pk for vak in vakken],
    }


def _weergave(veld: str, waarde) -> str:
    """A field's value as the conflict table shows it."""
    if waarde is None or waarde == "" or waarde == ():
        return "–"
    if isinstance(waarde, bool):
        return _("ja") if waarde else _("nee")
    if veld == "soort":
        return str(MaatregelSoort(waarde).label)
    if veld == "bereik":
        return str(Bereik(waarde).label)
    if veld == "status":
        return str(Maatregel.Status(waarde).label)
    if veld == "domeinen":
        return ", ".join(domeinen.labels(waarde))
    if veld == "vakken":
        return ", ".join(sorted(vak.naam for vak in waarde))
    if hasattr(waarde, "isoformat"):
        return date_format(waarde, "d/m/Y")
    return str(waarde)


def _verschillen(form, huidig, gegevens) -> list[dict]:
    """The fields where the newer saved measure and the user's input differ."""
    rijen = []
    for veld in VELDEN:
        opgeslagen = list(huidig.vakken.all()) if veld == "vakken" else getattr(huidig, veld)
        ingevuld = getattr(gegevens, veld)
        if veld == "vakken":
            opgeslagen, ingevuld = tuple(opgeslagen), tuple(ingevuld)
            gelijk = {v.pk for v in opgeslagen} == {v.pk for v in ingevuld}
        else:
            gelijk = opgeslagen == ingevuld
        if not gelijk:
            label = form.fields[veld].label if veld in form.fields else veld
            rijen.append(
                {
                    "label": label,
                    "opgeslagen": _weergave(veld, opgeslagen),
                    "ingevuld": _weergave(veld, ingevuld),
                }
            )
    return rijen


@require_http_methods(["GET", "POST"])
def maatregel_bewerken(request, pk, m_pk):
    leerling = _leerling_om_te_beheren(request, pk)
    maatregel = policies.get_maatregel_for_user(request.user, leerling, m_pk)
    vakken = _vakken_van(leerling)
    conflict = None
    status_code = 200
    if request.method == "POST":
        form = MaatregelForm(
            request.POST,
            vakken=vakken,
            status_keuzes=_status_keuzes(maatregel),
            versie=maatregel.versie,
        )
        if form.is_valid():
            gegevens = form.gegevens(status=maatregel.status)
            try:
                services.maatregel_wijzigen(
                    maatregel_id=maatregel.pk,
                    versie=form.cleaned_data["versie"],
                    gegevens=gegevens,
                    door=request.user,
                )
            except VerouderdeVersie as exc:
                huidig = policies.get_maatregel_for_user(request.user, leerling, exc.huidig.pk)
                verschillen = _verschillen(form, huidig, gegevens)
                # Saving again applies the user's input over the newer one.
                form, conflict = conflict_tonen(
                    request,
                    exc,
                    MaatregelForm,
                    huidig=huidig,
                    vakken=vakken,
                    status_keuzes=_status_keuzes(huidig),
                    versie=huidig.versie,
                )
                conflict["verschillen"] = verschillen
                maatregel = huidig
                status_code = 409
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(request, _("De wijzigingen zijn bewaard."))
                return redirect(maatregel_url(maatregel))
    else:
        form = MaatregelForm(
            initial=_initial(maatregel, maatregel.vakken.all()),
            vakken=vakken,
            status_keuzes=_status_keuzes(maatregel),
            versie=maatregel.versie,
        )
    return render(
        request,
        "leerlingen/maatregelen/maatregel_bewerken.html",
        {"leerling": leerling, "maatregel": maatregel, "form": form, "conflict": conflict},
        status=status_code,
    )


@require_http_methods(["GET", "POST"])
def maatregel_evalueren(request, pk, m_pk):
    leerling = _leerling_om_te_beheren(request, pk)
    maatregel = policies.get_maatregel_for_user(request.user, leerling, m_pk)
    form = EvaluatieForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluatie, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: services.maatregel_evalueren(
                    maatregel=maatregel, door=request.user, **form.cleaned_data
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            if not nieuw:
                messages.success(request, AL_BEWAARD)
                return redirect(maatregel_url(maatregel))
            if evaluatie.beslissing == MaatregelEvaluatie.Beslissing.AANPASSEN:
                messages.success(request, _("De evaluatie is bewaard. Pas de maatregel nu aan."))
                return redirect("leerlingen:maatregel_bewerken", pk=leerling.pk, m_pk=maatregel.pk)
            messages.success(request, _("De evaluatie is bewaard."))
            return redirect(maatregel_url(maatregel))
    return render(
        request,
        "leerlingen/maatregelen/maatregel_evalueren.html",
        {
            "leerling": leerling,
            "maatregel": maatregel,
            "form": form,
            "kan": maatregel.status == Maatregel.Status.ACTIEF,
        },
    )


@require_http_methods(["GET", "POST"])
def maatregel_stoppen(request, pk, m_pk):
    leerling = _leerling_om_te_beheren(request, pk)
    maatregel = policies.get_maatregel_for_user(request.user, leerling, m_pk)
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.maatregel_stoppen(maatregel=maatregel, door=request.user, **form.cleaned_data)
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(request, _("De maatregel is stopgezet."))
            return redirect(maatregel_url(maatregel))
    return render(
        request,
        "leerlingen/maatregelen/maatregel_stoppen.html",
        {
            "leerling": leerling,
            "maatregel": maatregel,
            "form": form,
            "kan": maatregel.status in OPEN_STATUSSEN,
        },
    )


# --- the catalogue -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def maatregel_catalogus(request):
    scholen = _zorgteam_scholen(request.user)
    form = CatalogusItemForm(request.POST or None, scholen=scholen)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item, nieuw = eenmalig_bewaren(
                form,
                request.user,
                lambda: services.catalogus_item_maken(
                    school_id=form.school_id(),
                    soort=d["soort"],
                    titel=d["titel"],
                    omschrijving=d["omschrijving"],
                    bereik=d["bereik"],
                    domeinen=d["domeinen"],
                    door=request.user,
                ),
            )
        except ValidationError as fout:
            fouten_op_form(form, fout)
        else:
            messages.success(
                request,
                _("‘%(titel)s’ staat nu in de catalogus.") % {"titel": item.titel}
                if nieuw
                else AL_BEWAARD,
            )
            return redirect("leerlingen:maatregel_catalogus")
    items = list(
        MaatregelCatalogusItem.objects.filter(school__in=scholen)
        .select_related("school")
        .order_by("school__naam", "-actief", "soort", "titel")
    )
    return render(
        request,
        "leerlingen/maatregelen/catalogus.html",
        {"items": items, "form": form, "meerdere_scholen": len(scholen) > 1},
    )


@require_POST
def catalogus_item_deactiveren(request, item_pk):
    item = policies.get_catalogus_item_for_user(request.user, item_pk)
    services.catalogus_item_deactiveren(item=item, door=request.user)
    messages.success(request, _("‘%(titel)s’ is niet langer te kiezen.") % {"titel": item.titel})
    return redirect("leerlingen:maatregel_catalogus")


@require_POST
def catalogus_item_activeren(request, item_pk):
    item = policies.get_catalogus_item_for_user(request.user, item_pk)
    services.catalogus_item_activeren(item=item, door=request.user)
    messages.success(request, _("‘%(titel)s’ is weer te kiezen.") % {"titel": item.titel})
    return redirect("leerlingen:maatregel_catalogus")


# --- the class measures overview ---------------------------------------------


def _bereik_tekst(maatregel) -> str:
    if maatregel.bereik == Bereik.GEKOZEN_VAKKEN:
        return ", ".join(vak.naam for vak in maatregel.vakken.all())
    return str(maatregel.get_bereik_display())


def _per_soort(maatregelen) -> list[dict]:
    groepen: dict[str, list] = {}
    for m in sorted(maatregelen, key=lambda m: (SOORT_VOLGORDE[m.soort], m.titel.lower())):
        groepen.setdefault(m.soort, []).append(m)
    return [
        {"soort": MaatregelSoort(soort).label, "code": soort, "maatregelen": lijst}
        for soort, lijst in groepen.items()
    ]


def klas_maatregelen_overzicht(user, klas) -> dict:
    """The measures in force today for the students of `klas` that `user`
    applies (the class page, its printable page and its PDF): per student,
    grouped by kind. A subject teacher gets those for every subject, for
    tests and exams, and for the subjects they teach in this class; the
    class teacher and the care team all of them."""
    alles = policies.can_view_alle_klas_maatregelen(user, klas)
    leerlingen = {}
    for inschrijving in (
        Inschrijving.objects.actief()
        .filter(klas=klas)
        .select_related("leerling")
        .order_by("leerling__achternaam", "leerling__voornaam", "leerling__pk")
    ):
        leerlingen.setdefault(inschrijving.leerling_id, inschrijving.leerling)
    maatregelen = policies.klas_maatregelen_visible_to(user, klas)
    per_leerling: dict[int, list] = {}
    for m in maatregelen.prefetch_related(_vakken_prefetch()):
        m.bereik_tekst = _bereik_tekst(m)
        per_leerling.setdefault(m.leerling_id, []).append(m)
    blokken = [
        {"leerling": leerling, "groepen": _per_soort(per_leerling[leerling_id])}
        for leerling_id, leerling in leerlingen.items()
        if leerling_id in per_leerling
    ]
    return {
        "klas": klas,
        "blokken": blokken,
        "zonder": len(leerlingen) - len(blokken),
        "aantal_leerlingen": len(leerlingen),
        "alles": alles,
        "vandaag": timezone.localdate(),
    }


@require_GET
def klas_maatregelen(request, pk):
    """The class's measures overview, on screen or to print."""
    user = request.user
    klas = policies.get_klas_maatregelen_for_user(user, pk)
    context = klas_maatregelen_overzicht(user, klas)
    afdruk = request.GET.get("print") == "1"
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="klas_maatregelen",
        leerlingen=[blok["leerling"] for blok in context["blokken"]],
        school_id=klas.schooljaar.school_id,
        object_id=klas.pk,
        omschrijving=f"{klas.naam}{' (afdruk)' if afdruk else ''}",
    )
    template = "klas_maatregelen_print.html" if afdruk else "klas_maatregelen.html"
    return render(request, f"leerlingen/maatregelen/{template}", context)


urlpatterns = [
    path("leerlingen/<int:pk>/maatregelen/nieuw/", maatregel_nieuw, name="maatregel_nieuw"),
    path(
        "leerlingen/<int:pk>/maatregelen/<int:m_pk>/",
        maatregel_detail,
        name="maatregel_detail",
    ),
    path(
        "leerlingen/<int:pk>/maatregelen/<int:m_pk>/bewerken/",
        maatregel_bewerken,
        name="maatregel_bewerken",
    ),
    path(
        "leerlingen/<int:pk>/maatregelen/<int:m_pk>/evalueren/",
        maatregel_evalueren,
        name="maatregel_evalueren",
    ),
    path(
        "leerlingen/<int:pk>/maatregelen/<int:m_pk>/stoppen/",
        maatregel_stoppen,
        name="maatregel_stoppen",
    ),
    path("maatregelen/catalogus/", maatregel_catalogus, name="maatregel_catalogus"),
    path(
        "maatregelen/catalogus/<int:item_pk>/deactiveren/",
        catalogus_item_deactiveren,
        name="catalogus_item_deactiveren",
    ),
    path(
        "maatregelen/catalogus/<int:item_pk>/activeren/",
        catalogus_item_activeren,
        name="catalogus_item_activeren",
    ),
    path("klassen/<int:pk>/maatregelen/", klas_maatregelen, name="klas_maatregelen"),
]


def sectie(request, leerling) -> dict:
    """The student page: the measures in force for the class team; for the
    care team also the proposed and ended ones, with their evaluations."""
    user = request.user
    if not policies.can_view_zorg(user, leerling):
        return {}
    return {
        "onderdeel": "maatregelen",
        **maatregelen_gegevens(user, leerling),
        "kan_beheren": policies.can_manage_maatregelen(user, leerling),
        "vandaag": timezone.localdate(),
    }


def maatregelen_gegevens(user, leerling, vanaf: datetime.date | None = None) -> dict:
    """The measures this user reads (the student page and the care file):
    in force, proposed and ended, with the evaluations for the care team;
    from `vanaf` on (a measure ended before it is left out) when given.
    Three queries, however many measures. The caller checked
    `can_view_zorg`."""
    zorgteam = policies.can_view_zorgteam(user, leerling)
    maatregelen = (
        policies.maatregelen_visible_to(user, leerling)
        .select_related("beslist_door")
        .prefetch_related(_vakken_prefetch())
    )
    if vanaf is not None:
        maatregelen = maatregelen.exclude(einde__lt=vanaf)
    if zorgteam:
        maatregelen = maatregelen.prefetch_related(
            Prefetch(
                "evaluaties",
                queryset=MaatregelEvaluatie.objects.select_related("door").order_by("datum", "pk"),
            )
        )
    actief, voorgesteld, afgesloten = [], [], []
    for m in maatregelen.order_by("-begin", "-pk"):
        m.bereik_tekst = _bereik_tekst(m)
        m.evaluatielijst = list(m.evaluaties.all()) if zorgteam else []
        m.laatste_evaluatie = m.evaluatielijst[-1] if m.evaluatielijst else None
        if m.status == Maatregel.Status.ACTIEF:
            actief.append(m)
        elif m.status == Maatregel.Status.VOORGESTELD:
            voorgesteld.append(m)
        else:
            afgesloten.append(m)
    return {
        "actief": actief,
        "voorgesteld": voorgesteld,
        "afgesloten": afgesloten,
        "zorgteam": zorgteam,
    }
