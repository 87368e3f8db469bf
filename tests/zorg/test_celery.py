"""The notification e-mail travels through a real Redis broker to a real
Celery worker, as in production."""

import time

import pytest
from celery.signals import task_retry, task_success
from django.core import mail
from django.db import transaction

from tests import factories as f
from tests.conftest import wacht_tot
from zorg.meldingen.models import Melding
from zorg.meldingen.services import melding_versturen
from zorg.meldingen.tasks import meldingen_mailen


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


@pytest.fixture
def signalen():
    """What the worker reports: retries (with their reason) and results."""
    gezien = {"herkansingen": [], "resultaten": []}

    def bij_herkansing(sender=None, reason=None, **kwargs):
        gezien["herkansingen"].append((time.monotonic(), reason))

    def bij_succes(sender=None, result=None, **kwargs):
        gezien["resultaten"].append(result)

    task_retry.connect(bij_herkansing, weak=False)
    task_success.connect(bij_succes, weak=False)
    try:
        yield gezien
    finally:
        task_retry.disconnect(bij_herkansing)
        task_success.disconnect(bij_succes)


def _niet_vergrendeld(melding_id: int) -> bool:
    """A second transaction can lock the row at once (NOWAIT raises if a
    worker holds a lock on it)."""
    with transaction.atomic():
        Melding.objects.select_for_update(nowait=True).get(pk=melding_id)
    return True


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_stalled_smtp_server_times_out_holds_no_row_lock_and_the_retry_sends_once(
    echte_worker, smtp_server, signalen, settings, monkeypatch
):
    # The worker runs in a thread of this process: these are its settings too.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.server_address[1]
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 3
    # The first retry after 0 or 1 second instead of up to a minute.
    settings.ZORG_MAIL_RETRY_SECONDS = 1
    smtp_server.stil = 1
    melding = f.MeldingFactory(ontvanger=f.UserFactory(email="directie@school.example"))

    begin = time.monotonic()
    meldingen_mailen.delay([melding.pk])

    # The worker is inside the SMTP conversation, waiting for a greeting.
    assert smtp_server.stil_aangenomen.wait(20), "the worker never connected"
    # Its claim was committed before it talked to SMTP ...
    assert Melding.objects.get(pk=melding.pk).email_bezig_tot is not None
    # ... and it holds no lock on the row while it waits.
    assert _niet_vergrendeld(melding.pk)

    # The send ends by EMAIL_TIMEOUT, not by the stalled server, and retries.
    assert wacht_tot(lambda: signalen["herkansingen"]), "no retry was scheduled"
    (moment, reden), *_ = signalen["herkansingen"]
    assert "timed out" in str(reden)
    assert 3 <= moment - begin < 15

    # The retry finds a working server: sent once, marked, claim cleared.
    assert wacht_tot(lambda: signalen["resultaten"] == [1]), signalen
    assert len(smtp_server.berichten) == 1
    assert b"directie@school.example" in smtp_server.berichten[0]
    melding.refresh_from_db()
    assert melding.email_verzonden_op is not None
    assert melding.email_bezig_tot is None

    # The same task delivered again (a redelivery, a second enqueue) sends nothing.
    meldingen_mailen.delay([melding.pk])
    assert wacht_tot(lambda: signalen["resultaten"] == [1, 0]), signalen
    assert len(smtp_server.berichten) == 1
    assert len(signalen["herkansingen"]) == 1
    assert _niet_vergrendeld(melding.pk)


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_of_the_summary_through_a_real_worker_mail_each_person_once(
    wereld, echte_worker, signalen
):
    """Each person's daily summary: one e-mail, with counts and a link, when
    the job is sent twice (two beat processes, a redelivery)."""
    import datetime

    from zorg.meldingen.models import Samenvatting
    from zorg.meldingen.tasks import samenvattingen_versturen

    w = wereld
    w.school.digest_uur = datetime.time(0, 0)  # due whatever the hour of the run
    w.school.save(update_fields=["digest_uur"])
    for ontvanger in (w.zorgcoordinator, w.directie):
        for titel in ("Lotte Peeters: maatregel evalueren", "Actiepunt achterstallig"):
            f.MeldingFactory(
                ontvanger=ontvanger,
                school=w.school,
                titel=titel,
                soort="maatregel_evaluatie",
                voor_samenvatting=True,
            )

    samenvattingen_versturen.delay()
    samenvattingen_versturen.delay()

    assert wacht_tot(lambda: len(mail.outbox) == 2)
    # Both runs and every e-mail task they queued have finished: still two.
    klaar = signalen["resultaten"]
    assert wacht_tot(lambda: klaar.count(2) >= 1 and len(klaar) >= 3)
    time.sleep(1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [w.zorgcoordinator.email, w.directie.email]
    )
    for bericht in mail.outbox:
        assert "2" in bericht.body
        assert "Lotte" not in bericht.body + bericht.subject
    assert Samenvatting.objects.filter(email_verzonden_op__isnull=False).count() == 2
