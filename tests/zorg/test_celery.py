"""The notification e-mail travels through a real Redis broker to a real
Celery worker, as in production."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from zorg.celery import app
from zorg.meldingen.models import Melding
from zorg.meldingen.services import melding_versturen


@pytest.fixture
def echte_worker(settings):
    assert os.environ.get("REDIS_URL"), "make test starts a private Redis and sets REDIS_URL"
    oud = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.broker_url = os.environ["REDIS_URL"]
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = oud


def _wacht_tot(voorwaarde, seconden=20.0):
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if voorwaarde():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_mails_a_notification_after_commit(wereld, echte_worker):
    with transaction.atomic():
        (melding,) = melding_versturen(ontvangers=[wereld.directie], titel="Nieuwe aanmelding")
        # Not before the commit: the worker must find the row.
        time.sleep(0.3)
        assert mail.outbox == []
    assert _wacht_tot(lambda: len(mail.outbox) == 1), "the worker did not send the mail"
    assert mail.outbox[0].to == [wereld.directie.email]
    assert _wacht_tot(
        lambda: Melding.objects.filter(pk=melding.pk, email_verzonden_op__isnull=False).exists()
    )
