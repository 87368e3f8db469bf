"""E-mails about notifications: each one's own, and the daily summary.

Each e-mail is claimed, the claim committed, and only then handed to SMTP,
outside any transaction or row lock: a slow or stalled mail server holds a
worker (for at most EMAIL_TIMEOUT per socket operation), never a database
row. After the send the row is marked sent at once. A failed send releases
the claim, never marks sent, and is retried with backoff.

The rows are the outbox: a notification or a summary whose e-mail was never
queued (Redis was down when it was committed) or whose task was lost is
queued again by `meldingen_nasturen`, which beat runs every few minutes.

At least once, not exactly once: two narrow windows can still send an e-mail
twice. (1) The SMTP server took the message but its final reply never came
(timeout, dropped connection): that counts as a failure and is retried.
(2) The worker died between the send and the mark: after the claim expires a
redelivered task sends again. The claim lasts as long as the task's hard time
limit, so an attempt that is still running is never overtaken.
"""

import logging
from collections import Counter
from datetime import datetime, time, timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import soorten
from .models import Melding, Samenvatting

log = logging.getLogger(__name__)

# What the sweep leaves alone: a notification this young still has its own
# task on the way.
NASTUREN_NA = timedelta(minutes=2)
NASTUREN_PER_KEER = 500
# The summary hour of a notification without a school.
STANDAARD_UUR = time(7, 0)


def _claimen(model, pk: int) -> datetime | None:
    """Claim the e-mail of one row for this attempt in one UPDATE, committed
    at once (autocommit). None when it is sent, or another attempt holds a
    claim that has not expired.

    Only columns of the row itself in the WHERE: PostgreSQL re-checks those
    against the newest row version when two claims race, so one of them wins."""
    nu = timezone.now()
    tot = nu + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    geclaimd = model.objects.filter(
        Q(email_bezig_tot__isnull=True) | Q(email_bezig_tot__lt=nu),
        pk=pk,
        email_verzonden_op__isnull=True,
    ).update(email_bezig_tot=tot)
    return tot if geclaimd else None


def _mailen(task, model, rijen, opstellen) -> int:
    """Send the e-mail of each row of `rijen` (of `model`, with a recipient
    `ontvanger`) that is still unsent, once: `opstellen(rij)` gives the
    subject and the text. Returns how many this run sent."""
    verzonden = 0
    bezet_tot = None
    for rij in rijen:
        if not rij.ontvanger.email or not rij.ontvanger.is_active:
            continue
        claim = _claimen(model, rij.pk)
        if claim is None:
            # Sent a moment ago, or another attempt holds the claim. That may
            # be a worker that died mid-send (acks_late hands its task to us):
            # look again once its claim has expired.
            bezig = (
                model.objects.filter(pk=rij.pk, email_verzonden_op__isnull=True)
                .values_list("email_bezig_tot", flat=True)
                .first()
            )
            if bezig is not None:
                bezet_tot = max(bezet_tot or bezig, bezig)
            continue
        with translation.override(settings.LANGUAGE_CODE):
            onderwerp, tekst = opstellen(rij)
        try:
            send_mail(onderwerp, tekst, None, [rij.ontvanger.email])
        except (OSError, SoftTimeLimitExceeded) as exc:
            # OSError covers smtplib's errors and the socket timeout. Give up
            # this attempt's claim (only this one's): the retry need not wait.
            model.objects.filter(pk=rij.pk, email_bezig_tot=claim).update(email_bezig_tot=None)
            log.warning("Mail for %s %s failed: %r", model.__name__, rij.pk, exc)
            # About 1, 2, 4, 8, 10 × ZORG_MAIL_RETRY_SECONDS, with full jitter;
            # the longest wait stays below the broker's visibility timeout
            # (settings), or Redis would hand the waiting retry to a second worker.
            countdown = get_exponential_backoff_interval(
                settings.ZORG_MAIL_RETRY_SECONDS,
                task.request.retries,
                settings.ZORG_MAIL_RETRY_MAX,
                full_jitter=True,
            )
            raise task.retry(exc=exc, countdown=countdown) from exc
        model.objects.filter(pk=rij.pk).update(
            email_verzonden_op=timezone.now(), email_bezig_tot=None
        )
        verzonden += 1
    if bezet_tot is not None:
        wachten = (bezet_tot - timezone.now()).total_seconds()
        raise task.retry(countdown=max(1, int(wachten) + 1))
    return verzonden


def _melding_opstellen(melding: Melding) -> tuple[str, str]:
    context = {"melding": melding, "basis_url": settings.ZORG_BASE_URL}
    onderwerp = render_to_string("meldingen/email_onderwerp.txt", context).strip()
    return onderwerp, render_to_string("meldingen/email.txt", context)


@shared_task(bind=True, max_retries=5)
def meldingen_mailen(self, melding_ids: list[int]) -> int:
    """Send the e-mail twin of each notification, skipping those already
    sent; returns how many this run sent. Safe to run twice, also at once."""
    rijen = Melding.objects.select_related("ontvanger").filter(
        pk__in=melding_ids, email_gevraagd=True, email_verzonden_op__isnull=True
    )
    return _mailen(self, Melding, rijen.order_by("pk"), _melding_opstellen)


def _samenvatting_opstellen(samenvatting: Samenvatting) -> tuple[str, str]:
    """Counts per kind and a link: no title, no text, no name."""
    aantallen = Counter(samenvatting.meldingen.values_list("soort", flat=True))
    regels = []
    for code, aantal in sorted(aantallen.items()):
        soort = soorten.soort(code)
        regels.append((str(soort.label) if soort else "", aantal))
    context = {
        "regels": regels,
        "totaal": sum(aantallen.values()),
        "datum": samenvatting.datum,
        "basis_url": settings.ZORG_BASE_URL,
    }
    onderwerp = render_to_string("meldingen/samenvatting_onderwerp.txt", context).strip()
    return onderwerp, render_to_string("meldingen/samenvatting.txt", context)


@shared_task(bind=True, max_retries=5)
def samenvattingen_mailen(self, samenvatting_ids: list[int]) -> int:
    rijen = Samenvatting.objects.select_related("ontvanger").filter(
        pk__in=samenvatting_ids, email_verzonden_op__isnull=True
    )
    return _mailen(self, Samenvatting, rijen.order_by("pk"), _samenvatting_opstellen)


def samenvattingen_opmaken(nu: datetime | None = None) -> list[int]:
    """Today's summary for everyone whose summary hour has come and who has
    notifications waiting for it (the earliest hour among the schools of
    those notifications; 07:00 for a notification without a school). At
    most one summary per person per day: the notifications that arrive
    after it wait for tomorrow's. A fixed number of queries. Returns the
    ids of today's summaries that are still unsent."""
    nu = timezone.localtime(nu)
    vandaag = nu.date()
    wachtend = Melding.objects.filter(voor_samenvatting=True, samenvatting__isnull=True)
    aan_de_beurt = (
        wachtend.filter(ontvanger__is_active=True)
        .values("ontvanger_id")
        .annotate(
            uur=Min(
                Coalesce(
                    "school__digest_uur",
                    models.Value(STANDAARD_UUR, output_field=models.TimeField()),
                )
            )
        )
        .filter(uur__lte=nu.time())
        .values_list("ontvanger_id", flat=True)
    )
    with transaction.atomic():
        Samenvatting.objects.bulk_create(
            [Samenvatting(ontvanger_id=pk, datum=vandaag) for pk in aan_de_beurt],
            ignore_conflicts=True,
        )
        open_vandaag = Samenvatting.objects.filter(
            datum=vandaag, email_verzonden_op__isnull=True, email_bezig_tot__isnull=True
        )
        wachtend.filter(ontvanger_id__in=open_vandaag.values("ontvanger_id")).update(
            samenvatting_id=Subquery(
                open_vandaag.filter(ontvanger_id=OuterRef("ontvanger_id")).values("pk")[:1]
            )
        )
    return list(
        Samenvatting.objects.filter(
            datum=vandaag, email_verzonden_op__isnull=True, meldingen__isnull=False
        )
        .distinct()
        .values_list("pk", flat=True)
    )


@shared_task
def samenvattingen_versturen() -> int:
    """Beat, every quarter of an hour: make today's summaries that are due
    and queue their e-mails."""
    ids = samenvattingen_opmaken()
    for begin in range(0, len(ids), 100):
        samenvattingen_mailen.delay(ids[begin : begin + 100])
    return len(ids)


@shared_task
def meldingen_nasturen() -> int:
    """Beat, every few minutes: queue the e-mails that should have gone and
    did not (their task never reached the queue, or was lost). Those whose
    send is under way (a live claim) are left alone."""
    grens = timezone.now() - NASTUREN_NA
    nu = timezone.now()
    onverstuurd = Q(email_verzonden_op__isnull=True) & (
        Q(email_bezig_tot__isnull=True) | Q(email_bezig_tot__lt=nu)
    )
    melding_ids = list(
        Melding.objects.filter(onverstuurd, email_gevraagd=True, aangemaakt__lt=grens)
        .order_by("aangemaakt")
        .values_list("pk", flat=True)[:NASTUREN_PER_KEER]
    )
    samenvatting_ids = list(
        Samenvatting.objects.filter(onverstuurd, aangemaakt__lt=grens)
        .order_by("aangemaakt")
        .values_list("pk", flat=True)[:NASTUREN_PER_KEER]
    )
    for begin in range(0, len(melding_ids), 100):
        meldingen_mailen.delay(melding_ids[begin : begin + 100])
    for begin in range(0, len(samenvatting_ids), 100):
        samenvattingen_mailen.delay(samenvatting_ids[begin : begin + 100])
    return len(melding_ids) + len(samenvatting_ids)
