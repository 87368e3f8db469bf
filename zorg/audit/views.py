"""The school's audit trail for its director and functional administrator:
who read or changed what, filtered by person and period, on screen or as a
CSV. Reading it and exporting it are themselves in the trail."""

import datetime

from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zorg.exporteren import csv_antwoord, csv_veilig
from zorg.paginering import pagineren

from . import policies
from .forms import TrailFilterForm
from .models import Actie, AuditEvent
from .services import audit_events

# A CSV beyond this many rows asks for a narrower filter instead.
EXPORT_MAX = 100_000


def _gefilterd(request):
    """The visible events, filtered by the form when it is valid, newest
    first; and the form (its errors shown, the filter ignored)."""
    form = TrailFilterForm(request.GET or None)
    events = policies.auditevents_visible_to(request.user)
    beschrijving = []
    if form.is_bound and not form.is_valid():
        # A filter with errors shows them, and no events rather than all.
        return form, events.none(), ""
    if form.is_valid():
        data = form.cleaned_data
        if data["persoon"]:
            term = data["persoon"]
            events = events.filter(
                Q(gebruiker__email__icontains=term)
                | Q(gebruiker__first_name__icontains=term)
                | Q(gebruiker__last_name__icontains=term)
            )
            beschrijving.append(f"persoon: {term}")
        # Whole local days, as bounds on the indexed timestamp.
        if data["van"]:
            events = events.filter(tijdstip__gte=_begin_van(data["van"]))
            beschrijving.append(f"van {data['van'].isoformat()}")
        if data["tot"]:
            events = events.filter(
                tijdstip__lt=_begin_van(data["tot"] + datetime.timedelta(days=1))
            )
            beschrijving.append(f"tot {data['tot'].isoformat()}")
    events = events.select_related("gebruiker").order_by("-tijdstip", "-id")
    return form, events, ", ".join(beschrijving)


def _begin_van(dag: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(dag, datetime.time.min))


def _vastleggen(request, actie, omschrijving: str) -> None:
    """In the trail of each school read, in one INSERT."""
    AuditEvent.objects.bulk_create(
        [
            event
            for school_id in sorted(policies.audit_school_ids(request.user))
            for event in audit_events(
                gebruiker=request.user,
                actie=actie,
                onderwerp="audittrail",
                omschrijving=omschrijving or "alles",
                school_id=school_id,
            )
        ]
    )


@require_GET
def trail(request):
    if not policies.can_view_audittrail(request.user):
        raise Http404
    form, events, beschrijving = _gefilterd(request)
    # The trail outlives the students it names (retention, issue 18): the
    # student's school through the join is None for one that was destroyed,
    # and the page says so, without a query per row.
    events = events.annotate(leerling_school_id=F("leerling__school_id"))
    pagina = pagineren(request, events)
    _vastleggen(request, Actie.LEZEN, beschrijving)
    return render(request, "audit/trail.html", {"form": form, "pagina": pagina})


@require_GET
def trail_export(request):
    if not policies.can_view_audittrail(request.user):
        raise Http404
    form, events, beschrijving = _gefilterd(request)
    if form.errors:
        # The page shows what is wrong with the filter.
        return redirect(f"{reverse('audit:trail')}?{request.GET.urlencode()}")
    stamp = timezone.localdate().isoformat()
    response, writer = csv_antwoord(f"audittrail-{stamp}.csv")
    writer.writerow(
        [
            _("Tijdstip"),
            _("Gebruiker"),
            _("E-mailadres"),
            _("Actie"),
            _("Onderwerp"),
            _("Object"),
            _("Leerling-id"),
            _("School-id"),
            _("Omschrijving"),
            _("Velden"),
            _("IP-adres"),
            _("Methode"),
            _("Pagina"),
        ]
    )
    acties = dict(Actie.choices)
    for aantal, event in enumerate(events[: EXPORT_MAX + 1].iterator(chunk_size=2000), 1):
        if aantal > EXPORT_MAX:
            writer.writerow(
                [_("Meer dan %(max)s regels: kies een kortere periode.") % {"max": EXPORT_MAX}]
            )
            break
        gebruiker = event.gebruiker
        writer.writerow(
            [
                timezone.localtime(event.tijdstip).isoformat(timespec="seconds"),
                csv_veilig(gebruiker.get_full_name() if gebruiker else ""),
                csv_veilig(gebruiker.email if gebruiker else ""),
                str(acties.get(event.actie, event.actie)),
                csv_veilig(event.onderwerp),
                csv_veilig(event.object_id),
                event.leerling_id or "",
                event.school_id or "",
                csv_veilig(event.omschrijving),
                csv_veilig(", ".join(map(str, event.velden or []))),
                event.ip or "",
                event.methode,
                csv_veilig(event.pad),
            ]
        )
    _vastleggen(request, Actie.EXPORTEREN, beschrijving)
    return response


app_name = "audit"

urlpatterns = [
    path("audittrail/", trail, name="trail"),
    path("audittrail/export.csv", trail_export, name="trail_export"),
]
