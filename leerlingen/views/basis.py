from django.db.models import Count, Value
from django.db.models.functions import Concat
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zorg.audit.models import Actie, AuditEvent
from zorg.audit.services import audit_vastleggen
from zorg.exporteren import csv_antwoord, csv_veilig
from zorg.paginering import pagineren

from .. import policies
from ..models import Inschrijving, Ouder, inschrijving_actief_q

ZOEK_MAX = 100
# A school has a few dozen classes; a school group can have hundreds.
KLASSEN_PER_PAGINA = 100


def _aantal_actief():
    """Students currently in a class (classes listed are of the current year),
    by the rule of Inschrijving.objects.actief()."""
    return Count(
        "inschrijvingen",
        filter=inschrijving_actief_q(timezone.localdate(), prefix="inschrijvingen__"),
    )


def _zoekterm(request) -> str:
    # Over-long input is cut and control characters (a NUL byte would make
    # PostgreSQL refuse the query) dropped: a search box must never 500.
    term = "".join(c for c in request.GET.get("q", "") if c.isprintable())
    return term.strip()[:ZOEK_MAX]


@require_GET
def klas_lijst(request):
    klassen = (
        policies.klassen_visible_to(request.user)
        .select_related("schooljaar__school", "campus")
        .annotate(aantal_leerlingen=_aantal_actief())
        .order_by("schooljaar__school__naam", "leerjaar", "naam")
    )
    lesklassen = policies.lesklassen(request.user)
    pagina = pagineren(request, klassen, per_pagina=KLASSEN_PER_PAGINA)
    return render(
        request,
        "leerlingen/klas_lijst.html",
        {"pagina": pagina, "mijn_klas_ids": lesklassen.alle_ids},
    )


@require_GET
def klas_detail(request, pk):
    klas = policies.get_klas_for_user(request.user, pk)
    inschrijvingen = (
        Inschrijving.objects.actief()
        .filter(klas=klas)
        .select_related("leerling__zorgfase")
        .order_by("leerling__achternaam", "leerling__voornaam")
    )
    leerlingen = [i.leerling for i in inschrijvingen]
    toon_zorg = policies.can_view_zorg_in_klas(request.user, klas)
    # Writing observations is for the class's teachers and the care team;
    # the CLB reads the class but keeps its own notes.
    kan_observeren = policies.can_observe_in_klas(request.user, klas)
    # One row per student on the list (one INSERT): the class list is in
    # the trail of each student it names.
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="klaslijst",
        leerlingen=leerlingen,
        school_id=klas.schooljaar.school_id,
        object_id=klas.pk,
        omschrijving=klas.naam,
    )
    return render(
        request,
        "leerlingen/klas_detail.html",
        {
            "klas": klas,
            "leerlingen": leerlingen,
            "toon_zorg": toon_zorg,
            "kan_observeren": kan_observeren,
            "kan_maatregelen_zien": policies.can_view_klas_maatregelen(request.user, klas),
            "kan_soda_invullen": policies.can_fill_soda(request.user, klas),
            "kan_soda_zien": policies.can_view_soda_klas(request.user, klas),
            "titularissen": list(klas.klastitularissen.all()),
        },
    )


# The list counts no further than this many students (the pages stop there:
# beyond, one searches or opens a class), a search no further than this many
# matches.
LIJST_GRENS = 1_000
ZOEK_GRENS = 500


def _naamvolgorde(term: str) -> tuple:
    """Name order. For a search whose every word has three letters or more
    (what the trigram indexes can find), the surname is ordered as an
    expression: PostgreSQL then finds the matches through those indexes and
    sorts just them, instead of walking every student of the school in name
    order until a page of matches is found (for a surname late in the
    alphabet, most of a school group's 100,000 students: issue 19)."""
    woorden = term.split()[:5]
    if woorden and all(len(woord) >= 3 for woord in woorden):
        return (Concat("achternaam", Value("")), "voornaam", "pk")
    return ("achternaam", "voornaam", "pk")


@require_GET
def leerling_lijst(request):
    """The student list and the quick search: the same view, with a partial
    for htmx so the search box updates in place and the page still works
    without JavaScript."""
    term = _zoekterm(request)
    zichtbaar = policies.leerlingen_visible_to(request.user)
    zichtbaar = zichtbaar.zoeken(term) if term else zichtbaar.ingeschreven()
    leerlingen = (
        zichtbaar.select_related("school").met_huidige_klas().order_by(*_naamvolgorde(term))
    )
    pagina = pagineren(request, leerlingen, grens=ZOEK_GRENS if term else LIJST_GRENS)
    # The students this page names, in the trail of each (one INSERT); the
    # search term too, so "who looked for this name" has an answer.
    if pagina.object_list:
        audit_vastleggen(
            gebruiker=request.user,
            actie=Actie.LEZEN,
            onderwerp="leerlingenlijst",
            leerlingen=pagina.object_list,
            omschrijving=(f"zoeken: {term}" if term else "lijst") + f", pagina {pagina.number}",
        )
    context = {
        "pagina": pagina,
        "q": term,
        "kan_exporteren": policies.can_export_leerlingen(request.user),
        "meerdere_scholen": len(_school_ids(pagina)) > 1,
    }
    if request.htmx and request.htmx.target == "zoekresultaten":
        return render(request, "leerlingen/leerling_lijst.html#resultaten", context)
    return render(request, "leerlingen/leerling_lijst.html", context)


def _school_ids(pagina) -> set[int]:
    return {leerling.school_id for leerling in pagina.object_list}


@require_GET
def leerling_export(request):
    """A CSV of the students this user may export, each row audited (in one
    INSERT)."""
    if not policies.can_export_leerlingen(request.user):
        raise Http404
    leerlingen = list(
        policies.leerlingen_exporteerbaar_voor(request.user)
        .ingeschreven()
        .select_related("school")
        .met_huidige_klas()
        .order_by("school__naam", "achternaam", "voornaam")
    )
    stamp = timezone.localdate().isoformat()
    response, writer = csv_antwoord(f"leerlingen-{stamp}.csv")
    writer.writerow(
        [
            _("School"),
            _("Leerlingnummer"),
            _("Achternaam"),
            _("Voornaam"),
            _("Geboortedatum"),
            _("Klas"),
        ]
    )
    for leerling in leerlingen:
        writer.writerow(
            [
                leerling.school.naam,
                leerling.leerlingnummer,
                csv_veilig(leerling.achternaam),
                csv_veilig(leerling.voornaam),
                leerling.geboortedatum.isoformat(),
                leerling.huidige_klas_naam or "",
            ]
        )
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.EXPORTEREN,
        onderwerp="leerlingenlijst",
        leerlingen=leerlingen,
        omschrijving="CSV-export",
    )
    return response


@require_GET
def leerling_detail(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    user = request.user
    inschrijvingen = list(
        Inschrijving.objects.filter(leerling=leerling)
        .select_related("klas__schooljaar")
        .order_by("-begin", "-pk")
    )
    vandaag = timezone.localdate()
    leerling._huidige_klas_ids = {i.klas_id for i in inschrijvingen if i.is_actief(vandaag)}
    toon_zorg = policies.can_view_zorg(user, leerling)
    toon_contact = policies.can_view_contactgegevens(user, leerling)
    ouders = list(Ouder.objects.filter(leerling=leerling)) if toon_contact else []
    secties = [sectie for sectie in _secties(request, leerling) if sectie]
    onderdelen = ["basisgegevens", "inschrijvingen"]
    if toon_contact:
        onderdelen.append("ouders")
    if toon_zorg:
        onderdelen.append("zorgfase")
    onderdelen += [
        sectie["onderdeel"] for sectie in secties if sectie["onderdeel"] not in onderdelen
    ]
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.LEZEN,
        onderwerp="leerling",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving=", ".join(onderdelen),
    )
    return render(
        request,
        "leerlingen/leerling_detail.html",
        {
            "leerling": leerling,
            "inschrijvingen": inschrijvingen,
            "ouders": ouders,
            "toon_zorg": toon_zorg,
            "toon_contact": toon_contact,
            "toon_audit": policies.can_view_audit(user, leerling),
            "kan_zorgdossier": policies.can_view_zorgdossier(user, leerling),
            "toon_klaslink": bool(leerling.huidige_klas_id)
            and policies.can_view_klas(user, leerling.huidige_klas_id, leerling.school_id),
            "secties": secties,
        },
    )


def _secties(request, leerling):
    """Each part of the care record contributes its own section to the
    student page, in this order, or nothing when the user may not see it."""
    from ..secties import secties
    from . import (
        afwezigheden,
        documenten,
        gesprekken,
        intake,
        maatregelen,
        observaties,
        remediering,
        soda,
        tijdlijn,
        vlaggen,
        zorgfase,
    )

    ingebouwd = [
        (module.__name__.rsplit(".", 1)[-1], module.sectie)
        for module in (
            zorgfase,
            maatregelen,
            remediering,
            vlaggen,
            soda,
            observaties,
            gesprekken,
            intake,
            documenten,
            afwezigheden,
            tijdlijn,
        )
    ]
    for sectie in secties(ingebouwd):
        context = sectie(request, leerling)
        if context:
            template = context.get("template") or (
                f"leerlingen/secties/{context['onderdeel']}.html"
            )
            yield {**context, "template": template}


# The page of the record an audit event names, per subject: (URL name, the
# URL's kwargs from the student's pk and the event's object id, and the
# anchor of the section on that page, if any).
AUDIT_RECORDS = {
    "maatregel": ("leerlingen:maatregel_detail", lambda pk, obj: {"pk": pk, "m_pk": obj}, ""),
    # An evaluation's event names its measure.
    "maatregelevaluatie": (
        "leerlingen:maatregel_detail",
        lambda pk, obj: {"pk": pk, "m_pk": obj},
        "",
    ),
    "gesprek": ("leerlingen:gesprek_detail", lambda pk, obj: {"pk": pk, "gesprek_pk": obj}, ""),
    "vlag": ("leerlingen:vlag_detail", lambda pk, obj: {"pk": obj}, ""),
    "intake": ("leerlingen:intake", lambda pk, obj: {"pk": pk}, ""),
    "remediering": ("leerlingen:remediering_detail", lambda pk, obj: {"pk": obj}, ""),
    "ouderbrief": (
        "leerlingen:ouderbrief_detail",
        lambda pk, obj: {"pk": pk, "brief_pk": obj},
        "",
    ),
    # A score has no page of its own: the student's SODA section shows it.
    "soda": ("leerlingen:leerling_detail", lambda pk, obj: {"pk": pk}, "#soda"),
    "afwezigheid": ("leerlingen:leerling_afwezigheden", lambda pk, obj: {"pk": pk}, ""),
    # A class day's saving names the class; the student's absences are the record.
    "afwezigheden": ("leerlingen:leerling_afwezigheden", lambda pk, obj: {"pk": pk}, ""),
}


def _record_links(user, leerling, events) -> None:
    """Link each event to its record where the reader may open it: the
    director reads the care record, so the trail leads there; the
    functional administrator reads no care content and gets no link."""
    niveaus = policies.zichtbaarheden(user, leerling)
    urls = {}
    for event in events:
        event.record_url = ""
        if not niveaus or event.onderwerp not in AUDIT_RECORDS or not event.object_id:
            continue
        naam, kwargs, anker = AUDIT_RECORDS[event.onderwerp]
        try:
            urls[event.pk] = reverse(naam, kwargs=kwargs(leerling.pk, event.object_id)) + anker
        except NoReverseMatch:
            continue
    open_urls = policies.te_openen_links(user, niveaus, urls.values())
    for event in events:
        if urls.get(event.pk) in open_urls:
            event.record_url = urls[event.pk]


@require_GET
def leerling_audit(request, pk):
    leerling = policies.get_leerling_for_user(request.user, pk)
    if not policies.can_view_audit(request.user, leerling):
        raise Http404
    events = (
        AuditEvent.objects.filter(leerling_id=leerling.pk)
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")
    )
    pagina = pagineren(request, events)
    _record_links(request.user, leerling, pagina.object_list)
    audit_vastleggen(
        gebruiker=request.user,
        actie=Actie.LEZEN,
        onderwerp="audittrail",
        leerlingen=[leerling],
        object_id=leerling.pk,
    )
    return render(
        request, "leerlingen/leerling_audit.html", {"leerling": leerling, "pagina": pagina}
    )


def mijn_klassen(user):
    """The classes a teacher teaches or leads, for the start page."""
    ids = policies.lesklassen(user).alle_ids
    if not ids:
        return []
    return list(
        policies.klassen_visible_to(user)
        .filter(pk__in=ids)
        .select_related("schooljaar__school")
        .annotate(aantal_leerlingen=_aantal_actief())
        .order_by("leerjaar", "naam")
    )


urlpatterns = [
    path("klassen/", klas_lijst, name="klas_lijst"),
    path("klassen/<int:pk>/", klas_detail, name="klas_detail"),
    path("leerlingen/", leerling_lijst, name="leerling_lijst"),
    path("leerlingen/export.csv", leerling_export, name="leerling_export"),
    path("leerlingen/<int:pk>/", leerling_detail, name="leerling_detail"),
    path("leerlingen/<int:pk>/audit/", leerling_audit, name="leerling_audit"),
]
