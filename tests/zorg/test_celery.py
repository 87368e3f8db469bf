"""The notification e-mail travels through a real Redis broker to a real
Celery worker, as in production."""

import time

import pytest
from django.core import mail
from django.db import transaction

from tests.conftest import wacht_tot
from zorg.meldingen.models import Melding
from zorg.meldingen.services import melding_versturen


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_mails_a_notification_after_commit(wereld, echte_worker):
    with transaction.atomic():
        (melding,) = melding_versturen(ontvangers=[wereld.directie], titel="Nieuwe aanmelding")
        # Not before the commit: the worker must find the row.
        time.sleep(0.3)
        assert mail.outbox == []
    assert wacht_tot(lambda: len(mail.outbox) == 1), "the worker did not send the mail"
    assert mail.outbox[0].to == [wereld.directie.email]
    assert wacht_tot(
        lambda: Melding.objects.filter(pk=melding.pk, email_verzonden_op__isnull=False).exists()
    )
