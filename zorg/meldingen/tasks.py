"""The e-mail twin of a notification.

Each e-mail is claimed, the claim committed, and only then handed to SMTP,
outside any transaction or row lock: a slow or stalled mail server holds a
worker (for at most EMAIL_TIMEOUT per socket operation), never a database
row. After the send the row is marked sent at once.

At least once, not exactly once: two narrow windows can still send an e-mail
twice. (1) The SMTP server took the message but its final reply never came
(timeout, dropped connection): that counts as a failure and is retried.
(2) The worker died between the send and the mark: after the claim expires a
redelivered task sends again. The claim lasts as long as the task's hard time
limit, so an attempt that is still running is never overtaken.
"""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Melding

log = logging.getLogger(__name__)

# After a failed send, retry after about 1, 2, 4, 8 and 10 minutes (with full
# jitter). Never longer than the broker's visibility timeout, or Redis would
# hand the waiting retry to a second worker as well.
HERKANSING_FACTOR = 60
HERKANSING_MAX = 600


def _claimen(melding_id: int) -> datetime | None:
    """Claim the e-mail of one notification for this attempt in one UPDATE,
    committed at once (autocommit). None when it is sent, not wanted, or
    another attempt holds a claim that has not expired.

    Only columns of the row itself in the WHERE: PostgreSQL re-checks those
    against the newest row version when two claims race, so one of them wins."""
    nu = timezone.now()
    tot = nu + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    geclaimd = Melding.objects.filter(
        Q(email_bezig_tot__isnull=True) | Q(email_bezig_tot__lt=nu),
        pk=melding_id,
        email_gevraagd=True,
        email_verzonden_op__isnull=True,
    ).update(email_bezig_tot=tot)
    return tot if geclaimd else None


def _vrijgeven(melding_id: int, claim: datetime) -> None:
    """Give up this attempt's claim (and only this attempt's), so the retry
    need not wait for it to expire."""
    Melding.objects.filter(pk=melding_id, email_bezig_tot=claim).update(email_bezig_tot=None)


@shared_task(bind=True, max_retries=5)
def meldingen_mailen(self, melding_ids: list[int]) -> int:
    """Send the e-mail twin of each notification, skipping those already
    sent; returns how many this run sent. Safe to run twice, also at once."""
    verzonden = 0
    bezet_tot = None
    for melding_id in melding_ids:
        melding = (
            Melding.objects.select_related("ontvanger")
            .filter(pk=melding_id, email_gevraagd=True, email_verzonden_op__isnull=True)
            .first()
        )
        if melding is None or not melding.ontvanger.email or not melding.ontvanger.is_active:
            continue
        claim = _claimen(melding_id)
        if claim is None:
            # Sent a moment ago, or another attempt holds the claim. That may
            # be a worker that died mid-send (acks_late hands its task to us):
            # look again once its claim has expired.
            bezig = (
                Melding.objects.filter(pk=melding_id, email_verzonden_op__isnull=True)
                .values_list("email_bezig_tot", flat=True)
                .first()
            )
            if bezig is not None:
                bezet_tot = max(bezet_tot or bezig, bezig)
            continue
        with translation.override(settings.LANGUAGE_CODE):
            context = {"melding": melding, "basis_url": settings.ZORG_BASE_URL}
            onderwerp = render_to_string("meldingen/email_onderwerp.txt", context).strip()
            tekst = render_to_string("meldingen/email.txt", context)
        try:
            send_mail(onderwerp, tekst, None, [melding.ontvanger.email])
        except (OSError, SoftTimeLimitExceeded) as exc:
            # OSError covers smtplib's errors and the socket timeout.
            _vrijgeven(melding_id, claim)
            log.warning("Mail for notification %s failed: %r", melding_id, exc)
            countdown = get_exponential_backoff_interval(
                HERKANSING_FACTOR, self.request.retries, HERKANSING_MAX, full_jitter=True
            )
            raise self.retry(exc=exc, countdown=countdown) from exc
        Melding.objects.filter(pk=melding_id).update(
            email_verzonden_op=timezone.now(), email_bezig_tot=None
        )
        verzonden += 1
    if bezet_tot is not None:
        wachten = (bezet_tot - timezone.now()).total_seconds()
        raise self.retry(countdown=max(1, int(wachten) + 1))
    return verzonden
