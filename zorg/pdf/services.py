"""Asking for a PDF, making it (in the worker), handing it out, and
clearing it away a day later. Every step asks the document kind's policy
(`opzoeken`): a reader who may not see the thing, or no longer may, gets a
404 at the request, a failed job in the worker and a 404 at the download."""

from __future__ import annotations

import datetime
import logging
from types import SimpleNamespace

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from .models import PdfOpdracht
from .opmaak import html_naar_pdf
from .opslag import opslag
from .soorten import Documentsoort, documentsoort

log = logging.getLogger(__name__)

# A finished PDF can be downloaded this long, then it is deleted.
BEWAARTIJD = datetime.timedelta(hours=24)
# Asking again for the same document within this time (a double click, a
# reload of the form's answer) gives the same job.
ZELFDE_BINNEN = datetime.timedelta(minutes=1)
# A job still waiting this long lost its task (Redis was down): queue again.
OPNIEUW_NA = datetime.timedelta(minutes=2)
Status = PdfOpdracht.Status


def soort_of_404(code: str) -> Documentsoort:
    soort = documentsoort(code)
    if soort is None:
        raise Http404
    return soort


@transaction.atomic
def pdf_aanvragen(*, user, soort: Documentsoort, ding, opties: dict) -> tuple[PdfOpdracht, bool]:
    """A job for the PDF of `ding` (which `user` may see: the caller looked
    it up through `soort.opzoeken`), queued after the commit. Returns the
    job and whether it is new: the same request again soon after (a double
    click) gets the job of the first."""
    # One request at a time per person: the second of a double click waits
    # here and then finds the first one's job.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    zelfde = (
        PdfOpdracht.objects.filter(
            aangevraagd_door=user, soort=soort.code, object_id=ding.pk, opties=opties
        )
        .filter(
            Q(status__in=[Status.WACHTEND, Status.BEZIG])
            | Q(status=Status.KLAAR, aangemaakt__gte=timezone.now() - ZELFDE_BINNEN)
        )
        .order_by("-aangemaakt")
        .first()
    )
    if zelfde is not None:
        return zelfde, False
    opdracht = PdfOpdracht.objects.create(
        soort=soort.code,
        object_id=ding.pk,
        opties=opties,
        aangevraagd_door=user,
        school_id=soort.school_id(ding),
        taal=translation.get_language() or settings.LANGUAGE_CODE,
    )
    in_wachtrij_na_commit(opdracht.pk)
    return opdracht, True


def in_wachtrij_na_commit(opdracht_id) -> None:
    """Queue the job once committed. Redis down: the job waits, and the
    periodic `pdf_opruimen` queues it again (the row is the outbox). In the
    embedded mode the task runs right here, after the commit."""

    def versturen():
        from .tasks import pdf_maken

        try:
            pdf_maken.delay(str(opdracht_id))
        except Exception:  # kombu's OperationalError and friends: any broker failure
            log.warning("PDF job %s not queued: the sweep will", opdracht_id)

    transaction.on_commit(versturen)


def _claimen(opdracht_id) -> PdfOpdracht | None:
    """Take the job for this attempt (one UPDATE, committed at once): a
    waiting one, or one whose previous attempt died (its claim expired)."""
    nu = timezone.now()
    geclaimd = (
        PdfOpdracht.objects.filter(pk=opdracht_id)
        .filter(Q(status=Status.WACHTEND) | Q(status=Status.BEZIG, bezig_tot__lt=nu))
        .update(
            status=Status.BEZIG,
            begonnen_op=nu,
            bezig_tot=nu + datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT),
            stap=_("De gegevens worden verzameld."),
        )
    )
    if not geclaimd:
        return None
    return PdfOpdracht.objects.select_related("aangevraagd_door").get(pk=opdracht_id)


def _stap(opdracht: PdfOpdracht, stap: str) -> None:
    PdfOpdracht.objects.filter(pk=opdracht.pk).update(stap=stap[:200])


def _mislukt(opdracht: PdfOpdracht, reden: str) -> None:
    PdfOpdracht.objects.filter(pk=opdracht.pk).update(
        status=Status.MISLUKT, reden=reden[:300], stap="", bezig_tot=None, klaar_op=timezone.now()
    )


def pdf_maken(opdracht_id) -> str:
    """Make the job's PDF (the worker's task). Returns the job's status."""
    opdracht = _claimen(opdracht_id)
    if opdracht is None:
        return "overgeslagen"
    with translation.override(opdracht.taal):
        try:
            return _maken(opdracht)
        except SoftTimeLimitExceeded:
            _mislukt(opdracht, _("Het document was te groot om op tijd klaar te zijn."))
        except Exception:
            log.exception("PDF job %s failed", opdracht.pk)
            _mislukt(opdracht, _("Het document kon niet gemaakt worden. Probeer het opnieuw."))
    return Status.MISLUKT


def _maken(opdracht: PdfOpdracht) -> str:
    user = opdracht.aangevraagd_door
    soort = documentsoort(opdracht.soort)
    try:
        if soort is None or not user.is_active:
            raise Http404
        ding = soort.opzoeken(user, opdracht.object_id)
    except Http404:
        _mislukt(opdracht, _("Je hebt geen toegang (meer) tot wat dit document toont."))
        return Status.MISLUKT
    opmaak = soort.opmaken(user, ding, opdracht.opties)
    nu = timezone.localtime()
    html = render_to_string(
        opmaak.template,
        {
            **opmaak.context,
            "document": {
                "titel": opmaak.titel,
                "school": opmaak.school,
                "door": user,
                "gemaakt_op": nu,
            },
        },
    )
    _stap(opdracht, _("De pagina's worden opgemaakt."))

    def voortgang(paginas: int) -> None:
        _stap(
            opdracht,
            ngettext(
                "%(aantal)d pagina wordt geschreven.",
                "%(aantal)d pagina's worden geschreven.",
                paginas,
            )
            % {"aantal": paginas},
        )

    pdf, paginas, geweigerd = html_naar_pdf(html, voortgang=voortgang)
    naam = opslag().save(f"{opdracht.pk}.pdf", ContentFile(pdf))
    with transaction.atomic():
        PdfOpdracht.objects.filter(pk=opdracht.pk).update(
            status=Status.KLAAR,
            bestand=naam,
            paginas=paginas,
            titel=opmaak.titel[:200],
            leerling_ids=[leerling.pk for leerling in opmaak.leerlingen],
            stap="",
            bezig_tot=None,
            klaar_op=timezone.now(),
        )
        audit_vastleggen(
            gebruiker=user,
            actie=Actie.EXPORTEREN,
            onderwerp=f"pdf_{soort.code}",
            leerlingen=opmaak.leerlingen,
            school_id=getattr(opmaak.school, "pk", None),
            object_id=opdracht.object_id,
            omschrijving=f"PDF {opdracht.pk} ({paginas} p.)",
        )
    if geweigerd:
        log.warning("PDF job %s: %d URLs refused", opdracht.pk, len(geweigerd))
    return Status.KLAAR


def pdf_downloaden(*, user, opdracht: PdfOpdracht):
    """The open file of a finished job, for its requester who may still see
    what it shows (else Http404), with the download in the audit trail."""
    if opdracht.status != Status.KLAAR or not opdracht.bestand:
        raise Http404
    soort = soort_of_404(opdracht.soort)
    soort.opzoeken(user, opdracht.object_id)
    try:
        bestand = opslag().open(opdracht.bestand, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_vastleggen(
        gebruiker=user,
        actie=Actie.DOWNLOADEN,
        onderwerp=f"pdf_{soort.code}",
        leerlingen=[
            SimpleNamespace(pk=pk, school_id=opdracht.school_id) for pk in opdracht.leerling_ids
        ],
        school_id=opdracht.school_id,
        object_id=opdracht.object_id,
        omschrijving=f"PDF {opdracht.pk}",
    )
    return bestand


def pdf_opruimen(nu: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete the jobs (and files) older than a day; queue again the jobs
    that wait too long (their task never reached Redis). Returns (deleted,
    queued again)."""
    nu = nu or timezone.now()
    oud = PdfOpdracht.objects.filter(aangemaakt__lt=nu - BEWAARTIJD)
    verwijderd = 0
    for pk, bestand in oud.values_list("pk", "bestand"):
        if bestand:
            opslag().delete(bestand)
        verwijderd += PdfOpdracht.objects.filter(pk=pk).delete()[0]
    wachtend = list(
        PdfOpdracht.objects.filter(
            Q(status=Status.WACHTEND) | Q(status=Status.BEZIG, bezig_tot__lt=nu),
            aangemaakt__lt=nu - OPNIEUW_NA,
        ).values_list("pk", flat=True)
    )
    for pk in wachtend:
        with transaction.atomic():
            in_wachtrij_na_commit(pk)
    return verwijderd, len(wachtend)
