import threading
import time
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from zorg.meldingen import tasks
from zorg.meldingen.models import Melding
from zorg.meldingen.services import melding_versturen
from zorg.meldingen.tasks import meldingen_mailen


def test_notification_is_mailed_after_commit_without_care_details(
    wereld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        melding_versturen(
            ontvangers=[wereld.zorgcoordinator, wereld.directie, wereld.zorgcoordinator],
            titel="Rode vlag voor Lotte Peeters",
            tekst="Details",
            link="/leerlingen/",
            school=wereld.school,
        )
    assert Melding.objects.count() == 2  # one per person, duplicates folded
    assert len(mail.outbox) == 2
    for bericht in mail.outbox:
        assert "Lotte" not in bericht.body
        assert "Lotte" not in bericht.subject
        assert "/meldingen/" in bericht.body
    assert not Melding.objects.filter(email_verzonden_op__isnull=True).exists()


def test_nothing_is_mailed_when_the_transaction_rolls_back(
    wereld, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                melding_versturen(ontvangers=[wereld.directie], titel="x")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []


def test_mailing_twice_sends_once(wereld):
    melding = f.MeldingFactory(ontvanger=wereld.directie)
    assert meldingen_mailen([melding.pk]) == 1
    assert meldingen_mailen([melding.pk]) == 0
    assert len(mail.outbox) == 1


@pytest.fixture
def herkansing(monkeypatch):
    """What the task asks of Celery's retry (called directly, a task has no
    broker to send the retry to)."""
    gevraagd = []

    def retry(exc=None, countdown=None, **kwargs):
        gevraagd.append({"exc": exc, "countdown": countdown})
        return Retry("herkansing", exc)

    monkeypatch.setattr(meldingen_mailen, "retry", retry)
    return gevraagd


def test_a_failed_send_gives_up_its_claim_and_retries_with_backoff(wereld, herkansing, monkeypatch):
    def stil(*args, **kwargs):
        raise TimeoutError("timed out")

    monkeypatch.setattr(tasks, "send_mail", stil)
    melding = f.MeldingFactory(ontvanger=wereld.directie)

    with pytest.raises(Retry):
        meldingen_mailen([melding.pk])

    ((gevraagd),) = herkansing
    assert isinstance(gevraagd["exc"], TimeoutError)
    assert 0 <= gevraagd["countdown"] <= settings.ZORG_MAIL_RETRY_SECONDS
    melding.refresh_from_db()
    assert melding.email_bezig_tot is None  # the retry need not wait for it
    assert melding.email_verzonden_op is None


def test_the_claim_is_committed_before_the_send_and_lasts_the_hard_time_limit(wereld, monkeypatch):
    tijdens = []

    def kijk(*args, **kwargs):
        tijdens.append(Melding.objects.get(pk=melding.pk).email_bezig_tot - timezone.now())
        return 1

    monkeypatch.setattr(tasks, "send_mail", kijk)
    melding = f.MeldingFactory(ontvanger=wereld.directie)

    assert meldingen_mailen([melding.pk]) == 1

    (over,) = tijdens
    limiet = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    assert limiet - timedelta(seconds=5) < over <= limiet
    melding.refresh_from_db()
    assert melding.email_bezig_tot is None
    assert melding.email_verzonden_op is not None


def test_a_send_claimed_by_another_attempt_is_left_alone_and_looked_at_after_the_claim(
    wereld, herkansing
):
    melding = f.MeldingFactory(
        ontvanger=wereld.directie, email_bezig_tot=timezone.now() + timedelta(seconds=100)
    )

    with pytest.raises(Retry):
        meldingen_mailen([melding.pk])

    assert mail.outbox == []
    ((gevraagd),) = herkansing
    assert gevraagd["exc"] is None
    assert 100 <= gevraagd["countdown"] <= 102


def test_the_expired_claim_of_an_attempt_that_died_is_taken_over(wereld):
    melding = f.MeldingFactory(
        ontvanger=wereld.directie, email_bezig_tot=timezone.now() - timedelta(seconds=1)
    )

    assert meldingen_mailen([melding.pk]) == 1

    assert len(mail.outbox) == 1
    melding.refresh_from_db()
    assert melding.email_bezig_tot is None


@pytest.mark.django_db(transaction=True)
def test_of_two_racing_claims_only_one_wins():
    """The second UPDATE waits for the first to commit, then PostgreSQL
    re-checks its WHERE on the new row version and claims nothing."""
    melding = f.MeldingFactory()
    eerste_geclaimd, eerste_klaar = threading.Event(), threading.Event()
    uitkomst = {}

    def eerste():
        try:
            with transaction.atomic():
                uitkomst["eerste"] = tasks._claimen(Melding, melding.pk)
                eerste_geclaimd.set()
                eerste_klaar.wait(10)
        finally:
            connection.close()

    def tweede():
        try:
            uitkomst["tweede"] = tasks._claimen(Melding, melding.pk)
        finally:
            connection.close()

    draden = [threading.Thread(target=eerste), threading.Thread(target=tweede)]
    draden[0].start()
    assert eerste_geclaimd.wait(10)
    draden[1].start()
    time.sleep(0.5)  # the second UPDATE is now waiting for the row
    assert "tweede" not in uitkomst
    eerste_klaar.set()
    for draad in draden:
        draad.join(10)

    assert uitkomst["eerste"] is not None
    assert uitkomst["tweede"] is None


def test_bell_shows_the_unread_count(wereld, client_voor):
    f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    f.MeldingFactory(ontvanger=wereld.directie)
    html = client_voor(wereld.zorgcoordinator).get(reverse("start")).content.decode()
    assert 'data-testid="ongelezen">2<' in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(wereld, client_voor):
    melding = f.MeldingFactory(ontvanger=wereld.zorgcoordinator, link="/klassen/")
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("meldingen:melding_openen", args=[melding.pk])
    )
    assert response["Location"] == "/klassen/"
    melding.refresh_from_db()
    assert melding.gelezen_op is not None


def test_a_notification_link_to_another_site_is_not_followed(wereld, client_voor):
    melding = f.MeldingFactory(ontvanger=wereld.zorgcoordinator, link="https://evil.example/")
    response = client_voor(wereld.zorgcoordinator).post(
        reverse("meldingen:melding_openen", args=[melding.pk])
    )
    assert response["Location"] == reverse("meldingen:melding_lijst")


def test_someone_elses_notification_is_a_404(wereld, client_voor):
    melding = f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    response = client_voor(wereld.directie).post(
        reverse("meldingen:melding_openen", args=[melding.pk])
    )
    assert response.status_code == 404
    melding.refresh_from_db()
    assert melding.gelezen_op is None


def test_mark_all_read_touches_only_own(wereld, client_voor):
    eigen = f.MeldingFactory(ontvanger=wereld.zorgcoordinator)
    andere = f.MeldingFactory(ontvanger=wereld.directie)
    client_voor(wereld.zorgcoordinator).post(reverse("meldingen:alles_gelezen"))
    eigen.refresh_from_db()
    andere.refresh_from_db()
    assert eigen.gelezen_op is not None
    assert andere.gelezen_op is None


@pytest.mark.parametrize("pk", ["999999"])
def test_missing_notification_is_a_404(wereld, client_voor, pk):
    response = client_voor(wereld.zorgcoordinator).post(f"/meldingen/{pk}/openen/")
    assert response.status_code == 404
