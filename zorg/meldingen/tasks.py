import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Melding

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def meldingen_mailen(self, melding_ids: list[int]) -> int:
    """Send the e-mail twin of each notification once. Safe to run twice: a
    row is locked, sent and marked in one transaction, and skipped once
    marked."""
    verzonden = 0
    for melding_id in melding_ids:
        with transaction.atomic():
            melding = (
                Melding.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("ontvanger")
                .filter(pk=melding_id, email_gevraagd=True, email_verzonden_op__isnull=True)
                .first()
            )
            if melding is None or not melding.ontvanger.email or not melding.ontvanger.is_active:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                context = {"melding": melding, "basis_url": settings.ZORG_BASE_URL}
                onderwerp = render_to_string("meldingen/email_onderwerp.txt", context).strip()
                tekst = render_to_string("meldingen/email.txt", context)
            try:
                send_mail(onderwerp, tekst, None, [melding.ontvanger.email])
            except OSError as exc:
                log.warning("Mail for notification %s failed: %s", melding_id, exc)
                raise self.retry(exc=exc) from exc
            melding.email_verzonden_op = timezone.now()
            melding.save(update_fields=["email_verzonden_op"])
            verzonden += 1
    return verzonden
