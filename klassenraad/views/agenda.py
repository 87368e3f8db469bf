"""A meeting's agenda: the proposals Zorg generates (each with why it is
there), taking them onto the agenda, adding a student by hand, and taking
one off again. For the school's care team, while the meeting is open; a
closed meeting's agenda is shown read-only."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from leerlingen.models import Inschrijving
from leerlingen.policies import leerlingen_visible_to
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen
from zorg.eenmalig.services import AL_BEWAARD, eenmalig_bewaren
from zorg.formulieren import fouten_op_form

from .. import policies
from ..agenda import agendavoorstel
from ..forms.agenda import ZOEK_MAX, AgendaKeuzeForm, ToevoegenForm
from ..models import Agendapunt, Agendareden, Beslissing, OverlegSoort
from ..services import agenda as services

ZOEKRESULTATEN = 20
# The proposals below the pre-selection shown at a time, one line each.
OOK_PER_KEER = 50
# The kinds of meeting Zorg proposes an agenda for.
GEGENEREERD = frozenset({OverlegSoort.CEL, OverlegSoort.BEGELEIDEND, OverlegSoort.PORTRET})


def _te_beheren(request, pk):
    """The meeting, for its school's care team; 404 for everyone else, as
    for a meeting that does not exist."""
    overleg = policies.get_overleg_for_user(request.user, pk)
    if not policies.can_manage_overleg(request.user, overleg):
        raise Http404
    return overleg


def _labels() -> dict[str, str]:
    """The reasons' names in the active language, looked up once a request."""
    return {soort.value: capfirst(str(soort.label)) for soort in Agendareden}


def _redenen(paren, labels: dict[str, str]) -> list[dict]:
    return [
        {
            "soort": soort,
            "label": labels.get(soort, soort),
            "stijl": _stijl(soort),
            "tekst": tekst,
        }
        for soort, tekst in paren
    ]


def _agenda(overleg, kan_wijzigen: bool, labels: dict[str, str]) -> list[dict]:
    """The agenda as it stands, with each student's class now and whether the
    item may still be taken off (one query)."""
    punten = (
        Agendapunt.objects.filter(overleg=overleg)
        .select_related("leerling")
        .annotate(
            heeft_beslissing=Exists(Beslissing.objects.filter(agendapunt=OuterRef("pk"))),
            klas_naam=Subquery(
                Inschrijving.objects.actief()
                .filter(leerling=OuterRef("leerling_id"))
                .values("klas__naam")[:1]
            ),
        )
        .order_by("volgorde", "pk")
    )
    return [
        {
            "punt": punt,
            "leerling": punt.leerling,
            "klas_naam": punt.klas_naam or "",
            "redenen": _redenen(
                [
                    (reden.get("soort", ""), reden.get("tekst", ""))
                    for reden in punt.redenen
                    if isinstance(reden, dict)
                ],
                labels,
            ),
            "kan_verwijderen": kan_wijzigen
            and not punt.heeft_beslissing
            and not punt.notities.strip(),
        }
        for punt in punten
    ]


def _bovenaan(voorstellen, voorselectie: int | None, op_agenda: int) -> set[int]:
    """The new proposals ticked beforehand: in rank order, as many as the
    agenda still has room for (`voorselectie` minus who is on it already);
    all of them without a limit."""
    nieuw = [v.leerling.pk for v in voorstellen if not v.al_op_agenda]
    if voorselectie is None:
        return set(nieuw)
    return set(nieuw[: max(0, voorselectie - op_agenda)])


def _onderscheiden(rijen: list[dict]) -> None:
    """Students with the same full name (two Anas Bouzid in 3ECO) are told
    apart on the page: beside the class, each gets their student number,
    or without one their birth date, in `onderscheid`."""
    namen = Counter(rij["leerling"].volledige_naam.casefold() for rij in rijen)
    for rij in rijen:
        rij["onderscheid"] = (
            onderscheid(rij["leerling"])
            if namen[rij["leerling"].volledige_naam.casefold()] > 1
            else ""
        )


def onderscheid(leerling) -> str:
    if leerling.leerlingnummer:
        return _("nr. %(nummer)s") % {"nummer": leerling.leerlingnummer}
    return _("°%(datum)s") % {"datum": leerling.geboortedatum.strftime("%d/%m/%Y")}


def _getal(waarde, standaard: int) -> int:
    """A count from the query string; anything else gives the default."""
    try:
        return max(0, int(waarde))
    except (TypeError, ValueError):
        return standaard


def _stijl(soort: str) -> str:
    return "text-bg-danger" if soort == Agendareden.RODE_VLAG else "text-bg-light border"


def _kentekens(paren, labels: dict[str, str]) -> list[dict]:
    """The reasons of a proposal below the pre-selection as short badges:
    each kind once, with how many (the full texts are the ranking's, not
    needed to tick a box)."""
    aantallen = Counter(soort for soort, _tekst in paren)
    return [
        {"label": labels.get(soort, soort), "stijl": _stijl(soort), "aantal": aantal}
        for soort, aantal in aantallen.items()
    ]


@require_http_methods(["GET", "POST"])
def agenda_voorstel(request, pk):
    """The agenda and the proposals. The students on the agenda and those
    ticked beforehand are shown in full; the rest ("ook voorgesteld", up to
    hundreds in a busy week at a big school) one line each, `OOK_PER_KEER`
    at a time: "toon meer" adds the next ones in place with htmx, or reloads
    the page with more of them (`?toon=`) without JavaScript. Every proposal
    stays a valid choice of the form, shown or not."""
    user = request.user
    overleg = _te_beheren(request, pk)
    kan_wijzigen = policies.can_edit_overleg(user, overleg)
    voorstel = agendavoorstel(overleg) if kan_wijzigen else None
    voorstellen = voorstel.voorstellen if voorstel else []
    form = AgendaKeuzeForm(
        request.POST if request.method == "POST" else None, voorstellen=voorstellen
    )
    if request.method == "POST":
        if not kan_wijzigen:
            messages.error(request, _("Dit overleg is afgesloten: de agenda verandert niet meer."))
            return redirect("klassenraad:agenda_voorstel", pk=overleg.pk)
        if form.is_valid():
            try:
                punten = services.agenda_aanvaarden(
                    overleg=overleg, leerling_ids=form.cleaned_data["leerling"], door=user
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                if punten:
                    messages.success(
                        request,
                        ngettext(
                            "%(aantal)d leerling staat nu op de agenda.",
                            "%(aantal)d leerlingen staan nu op de agenda.",
                            len(punten),
                        )
                        % {"aantal": len(punten)},
                    )
                else:
                    messages.info(request, _("De gekozen leerlingen stonden al op de agenda."))
                return redirect("klassenraad:agenda_voorstel", pk=overleg.pk)
    labels = _labels()
    agenda = _agenda(overleg, kan_wijzigen, labels)
    bovenaan = _bovenaan(voorstellen, voorstel.voorselectie if voorstel else None, len(agenda))
    if form.is_bound:
        aangevinkt = {str(waarde) for waarde in request.POST.getlist("leerling")}
    else:
        aangevinkt = {str(pk) for pk in bovenaan}
    # Flat rows: a busy week proposes hundreds of students, and every lookup
    # the template saves counts. The reasons are laid out for the rows shown.
    rijen = []
    ook = []
    for v in voorstellen:
        rij = {
            "voorstel": v,
            "leerling": v.leerling,
            "pk": v.leerling.pk,
            "naam": v.leerling.volledige_naam,
            "klas": v.klas_naam or "–",
            "op_agenda": v.al_op_agenda,
            "aangevinkt": str(v.leerling.pk) in aangevinkt,
            "bovenaan": v.al_op_agenda or v.leerling.pk in bovenaan,
        }
        if rij["bovenaan"]:
            rij["redenen"] = _redenen(v.redenen, labels)
            rijen.append(rij)
        else:
            ook.append(rij)
    # Over every list: a namesake on the agenda and one proposed are told apart too.
    _onderscheiden(agenda + rijen + ook)
    # How many of the rest are shown: as asked (?toon=), and after a refused
    # choice at least up to the last one ticked, so no tick disappears.
    toon = _getal(request.GET.get("toon"), OOK_PER_KEER)
    laatste_aangevinkt = max((i + 1 for i, rij in enumerate(ook) if rij["aangevinkt"]), default=0)
    toon = max(toon, laatste_aangevinkt, OOK_PER_KEER)
    # htmx asks for the next ones only (?vanaf=): those rows, not the page.
    alleen_meer = bool(request.htmx) and request.method == "GET" and "vanaf" in request.GET
    vanaf = min(_getal(request.GET.get("vanaf"), 0), toon) if alleen_meer else 0
    ook_getoond = ook[vanaf:toon]
    for rij in ook_getoond:
        rij["kentekens"] = _kentekens(rij["voorstel"].redenen, labels)
    meer = None
    if toon < len(ook):
        meer = {
            "vanaf": toon,
            "toon": toon + OOK_PER_KEER,
            "aantal": min(OOK_PER_KEER, len(ook) - toon),
            "resterend": len(ook) - toon,
            "eerste": ook[toon]["pk"],
        }
    # The students whose names this answer shows, one row each in the trail
    # (the page itself is logged even when it names nobody).
    getoond = ook_getoond if alleen_meer else agenda + rijen + ook_getoond
    gelezen = {rij["leerling"].pk: rij["leerling"] for rij in getoond}
    if gelezen or not alleen_meer:
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.LEZEN,
            onderwerp="agendavoorstel",
            leerlingen=list(gelezen.values()),
            school_id=overleg.school_id,
            object_id=overleg.pk,
        )
    context = {
        "overleg": overleg,
        "ook_getoond": ook_getoond,
        "meer": meer,
        # The link that asked is replaced: the keyboard goes on at the first new row.
        "alleen_meer": alleen_meer,
    }
    if alleen_meer:
        return render(request, "klassenraad/agenda/voorstel.html#ook_rijen", context)
    return render(
        request,
        "klassenraad/agenda/voorstel.html",
        context
        | {
            "agenda": agenda,
            "rijen": rijen,
            "ook_voorgesteld": ook,
            "voorselectie": voorstel.voorselectie if voorstel else None,
            "nieuw": sum(1 for v in voorstellen if not v.al_op_agenda),
            "form": form,
            "kan_wijzigen": kan_wijzigen,
            "genereert": overleg.soort in GEGENEREERD,
            # Red flags and signals count from the previous meeting of the kind.
            "toon_periode": overleg.soort in (OverlegSoort.CEL, OverlegSoort.BEGELEIDEND),
            "sinds": voorstel.sinds if voorstel else None,
            "vorige": voorstel.vorige if voorstel else None,
            "sinds_begin_schooljaar": voorstel.sinds_begin_schooljaar if voorstel else False,
        },
    )


def _zoekterm(waarde: str) -> str:
    # Control characters (a NUL byte makes PostgreSQL refuse the query) are
    # dropped and over-long input cut: a search box must never 500.
    return "".join(c for c in (waarde or "") if c.isprintable()).strip()[:ZOEK_MAX]


def _kandidaten(user, overleg):
    """The students this user may put on this meeting's agenda: of its
    school, and for a class council those in its class now."""
    leerlingen = leerlingen_visible_to(user).filter(school_id=overleg.school_id)
    if overleg.is_klassenraad:
        leerlingen = leerlingen.filter(
            pk__in=Inschrijving.objects.actief()
            .filter(klas_id=overleg.klas_id)
            .values("leerling_id")
        )
    return leerlingen


@require_http_methods(["GET", "POST"])
def agenda_toevoegen(request, pk):
    user = request.user
    overleg = _te_beheren(request, pk)
    if not policies.can_edit_overleg(user, overleg):
        messages.error(request, _("Dit overleg is afgesloten: de agenda verandert niet meer."))
        return redirect("klassenraad:agenda_voorstel", pk=overleg.pk)
    bron = request.POST if request.method == "POST" else request.GET
    term = _zoekterm(bron.get("q", ""))
    form = ToevoegenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        leerling = _kandidaten(user, overleg).filter(pk=form.cleaned_data["leerling"]).first()
        if leerling is None:
            form.add_error("leerling", _("Kies een leerling uit de zoekresultaten."))
        else:
            try:
                _punt, nieuw = eenmalig_bewaren(
                    form,
                    user,
                    lambda: services.leerling_toevoegen(
                        overleg=overleg,
                        leerling=leerling,
                        reden=form.cleaned_data["reden"],
                        door=user,
                    ),
                )
            except ValidationError as fout:
                fouten_op_form(form, fout)
            else:
                messages.success(
                    request,
                    _("%(naam)s staat nu op de agenda.") % {"naam": leerling.volledige_naam}
                    if nieuw
                    else AL_BEWAARD,
                )
                return redirect("klassenraad:agenda_voorstel", pk=overleg.pk)
    resultaten = []
    meer = False
    if term:
        gevonden = list(
            _kandidaten(user, overleg)
            .zoeken(term)
            .met_huidige_klas()
            .annotate(
                op_agenda=Exists(
                    Agendapunt.objects.filter(overleg_id=overleg.pk, leerling=OuterRef("pk"))
                )
            )
            .order_by("achternaam", "voornaam", "pk")[: ZOEKRESULTATEN + 1]
        )
        meer = len(gevonden) > ZOEKRESULTATEN
        resultaten = gevonden[:ZOEKRESULTATEN]
        # The students the search names, in the trail of each (one INSERT).
        if resultaten:
            audit_vastleggen(
                gebruiker=user,
                actie=Actie.LEZEN,
                onderwerp="agenda_zoeken",
                leerlingen=resultaten,
                object_id=overleg.pk,
                omschrijving=f"zoeken: {term}",
            )
        namen = Counter(leerling.volledige_naam.casefold() for leerling in resultaten)
        for leerling in resultaten:
            leerling.onderscheid = (
                onderscheid(leerling) if namen[leerling.volledige_naam.casefold()] > 1 else ""
            )
    gekozen = str(form.data.get("leerling", "")) if form.is_bound else ""
    return render(
        request,
        "klassenraad/agenda/toevoegen.html",
        {
            "overleg": overleg,
            "form": form,
            "q": term,
            "resultaten": resultaten,
            "meer": meer,
            "gekozen": gekozen,
            "zoek_max": ZOEK_MAX,
        },
    )


@require_POST
def agendapunt_verwijderen(request, pk, punt):
    user = request.user
    overleg = _te_beheren(request, pk)
    agendapunt = policies.get_agendapunt_for_user(user, overleg, punt)
    agendapunt.overleg = overleg
    try:
        services.agendapunt_verwijderen(agendapunt=agendapunt, door=user)
    except ValidationError as fout:
        messages.error(request, " ".join(fout.messages))
    else:
        messages.success(
            request,
            _("%(naam)s staat niet meer op de agenda.")
            % {"naam": agendapunt.leerling.volledige_naam},
        )
    return redirect("klassenraad:agenda_voorstel", pk=overleg.pk)


urlpatterns = [
    path("overleggen/<int:pk>/agenda/", agenda_voorstel, name="agenda_voorstel"),
    path("overleggen/<int:pk>/agenda/toevoegen/", agenda_toevoegen, name="agenda_toevoegen"),
    path(
        "overleggen/<int:pk>/punten/<int:punt>/verwijderen/",
        agendapunt_verwijderen,
        name="agendapunt_verwijderen",
    ),
]
