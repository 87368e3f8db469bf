"""Reminders under faults, with production's parts: a Celery worker in a
process of its own (killed with SIGKILL), a Redis of the test's own with
`appendonly yes` (stopped and restarted), and an SMTP server that refuses
mail for a while. Whatever happens, each reminder's e-mail reaches its
recipient exactly once and no reminder is lost.

The reminders are overdue action items of as many teachers, each of whom
asked for an e-mail at once; the run is `herinneringen_plannen`, as beat's
task calls it, on the next school day."""

import datetime
import time

import pytest
from django.db.models.functions import Now
from django.utils import timezone

from tests import factories as f
from tests.klassenraad.factories import actiepunt, overleg
from tests.processen import EigenRedis, Worker, wacht_tot
from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import Rol
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_plannen
from zorg.meldingen.models import Melding
from zorg.meldingen.services import voorkeuren_bewaren
from zorg.meldingen.soorten import Modus
from zorg.meldingen.tasks import meldingen_nasturen

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

SOORT = "actiepunt_achterstallig"


@pytest.fixture
def eigen_redis(tmp_path):
    redis = EigenRedis(tmp_path)
    redis.starten()
    yield redis
    redis.stoppen()


def _broker(app, url: str) -> None:
    """Send to `url` from now on: a pool made for another broker is dropped."""
    app.conf.broker_url = url
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def verzender(eigen_redis):
    """This process queues tasks on the test's Redis, as the web process
    and the beat task do in production."""
    from zorg.celery import app

    oud = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    _broker(app, eigen_redis.url)
    try:
        yield
    finally:
        app.conf.task_always_eager = oud[0]
        _broker(app, oud[1])


@pytest.fixture
def worker_proces(transactional_db, eigen_redis, smtp_server, tmp_path):
    """Not started: each test starts (and kills) it when its story asks."""
    worker = Worker(eigen_redis, smtp_server.poort, tmp_path / "worker.log")
    yield worker
    worker.doden()


def _leerkrachten_met_achterstand(w, aantal: int) -> list[str]:
    """`aantal` teachers of class 3A, each with an overdue action item about
    Lotte Peeters and the wish to hear of it by e-mail at once."""
    cel = overleg(w, dagen=-30)
    adressen = []
    for i in range(aantal):
        user = f.UserFactory(email=f"leerkracht-{i}@school.example")
        f.LidmaatschapFactory(user=user, school=w.school, rol=Rol.LEERKRACHT)
        f.LesopdrachtFactory(leerkracht=user, klas=w.klas_a)
        voorkeuren_bewaren(user=user, keuzes={SOORT: Modus.DIRECT})
        actiepunt(cel, w.leerling_a, user, dagen=-1)
        adressen.append(user.email)
    return adressen


def _plannen(w) -> int:
    """The reminder run on the next school day (today may be a Saturday or
    fall in a holiday: the run skips such days)."""
    kalender = schoolkalender(w.school.pk)
    dag = kalender.eerste_schooldag_vanaf(timezone.localdate() + datetime.timedelta(days=1))
    nu = timezone.make_aware(datetime.datetime.combine(dag, datetime.time(8)))
    return herinneringen_plannen(school_id=w.school.pk, nu=nu, alleen=[SOORT])


def _onverzonden() -> int:
    return Melding.objects.filter(soort=SOORT, email_verzonden_op__isnull=True).count()


def _verzonden() -> int:
    return Melding.objects.filter(soort=SOORT, email_verzonden_op__isnull=False).count()


def _elk_precies_een_keer(smtp_server, adressen, worker) -> None:
    assert wacht_tot(lambda: _onverzonden() == 0, 60), worker.logboek()
    assert sorted(smtp_server.ontvangers) == sorted(adressen)
    assert Herinnering.objects.filter(soort=SOORT).count() == len(adressen)
    # E-mail is not a safe channel: no student's name travels in it.
    for bericht in smtp_server.berichten:
        assert b"Lotte" not in bericht and b"Peeters" not in bericht
        assert b"https://zorg.example.org/" in bericht


def test_a_worker_killed_in_the_middle_of_a_batch_finishes_it_after_a_restart(
    wereld, eigen_redis, smtp_server, worker_proces, verzender
):
    adressen = _leerkrachten_met_achterstand(wereld, 8)
    # The fourth message arrives and is never acknowledged: the worker is
    # killed while it waits for the reply.
    smtp_server.vertraging = 0.1
    smtp_server.vasthouden_bij = 4
    worker_proces.starten()

    assert _plannen(wereld) == 8  # one task for the batch of eight e-mails

    assert smtp_server.vastgehouden.wait(30), worker_proces.logboek()
    assert wacht_tot(lambda: _verzonden() == 3)
    worker_proces.doden()
    assert len(smtp_server.berichten) == 3
    # Not acknowledged (acks_late): Redis keeps the task for another worker.
    assert eigen_redis.client().hlen("unacked") == 1

    worker_proces.starten()
    # After the visibility timeout the task is delivered again; the fourth
    # e-mail's claim (the dead worker's) has expired by then.
    _elk_precies_een_keer(smtp_server, adressen, worker_proces)
    assert smtp_server.ontvangen == 9  # eight taken, plus the one never answered
    # A second run of the same job has nothing left to do.
    assert _plannen(wereld) == 0


def test_a_task_queued_before_redis_restarts_survives_in_the_append_only_file(
    wereld, eigen_redis, smtp_server, worker_proces, verzender
):
    adressen = _leerkrachten_met_achterstand(wereld, 3)
    assert _plannen(wereld) == 3
    assert eigen_redis.wachtrij() == 1  # queued, no worker yet

    eigen_redis.stoppen()
    eigen_redis.starten()

    assert eigen_redis.wachtrij() == 1
    worker_proces.starten()
    _elk_precies_een_keer(smtp_server, adressen, worker_proces)


def _sweep_later() -> None:
    """What beat does a few minutes later: the sweep leaves notifications
    younger than two minutes to their own task, so age them (the database's
    clock, which the worker shares), then run it as beat would, twice, as
    two beat processes by mistake would."""
    Melding.objects.update(aangemaakt=Now() - datetime.timedelta(minutes=3))
    meldingen_nasturen.delay()
    meldingen_nasturen.delay()


@pytest.fixture
def redis_zonder_appendonly(tmp_path):
    redis = EigenRedis(tmp_path, appendonly=False)
    redis.starten()
    yield redis
    redis.stoppen()


def test_without_append_only_a_restart_loses_the_queue_and_the_sweep_sends_the_mails(
    wereld, redis_zonder_appendonly, smtp_server, tmp_path
):
    """Why the production docs ask for `appendonly yes` (above), and why the
    rows are the outbox all the same: a lost task is found again."""
    from zorg.celery import app

    oud = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    _broker(app, redis_zonder_appendonly.url)
    worker = Worker(redis_zonder_appendonly, smtp_server.poort, tmp_path / "worker.log")
    try:
        adressen = _leerkrachten_met_achterstand(wereld, 3)
        assert _plannen(wereld) == 3
        assert redis_zonder_appendonly.wachtrij() == 1

        redis_zonder_appendonly.stoppen()
        redis_zonder_appendonly.starten()
        assert redis_zonder_appendonly.wachtrij() == 0  # the task is gone

        worker.starten()
        time.sleep(1)
        assert smtp_server.berichten == []
        _sweep_later()
        _elk_precies_een_keer(smtp_server, adressen, worker)
    finally:
        worker.doden()
        app.conf.task_always_eager = oud[0]
        _broker(app, oud[1])


def test_reminders_made_while_redis_is_down_go_out_once_it_is_back(
    wereld, eigen_redis, smtp_server, worker_proces, verzender
):
    adressen = _leerkrachten_met_achterstand(wereld, 3)
    eigen_redis.stoppen()

    begin = time.monotonic()
    assert _plannen(wereld) == 3
    # The run committed, and did not hang on the broker.
    assert time.monotonic() - begin < 10
    assert Herinnering.objects.filter(soort=SOORT).count() == 3
    assert _onverzonden() == 3

    eigen_redis.starten()
    worker_proces.starten()
    _sweep_later()
    _elk_precies_een_keer(smtp_server, adressen, worker_proces)
    # Later sweeps find nothing to send.
    _sweep_later()
    time.sleep(2)
    assert len(smtp_server.berichten) == 3


def test_an_smtp_server_that_refuses_for_a_while_gets_each_mail_once_when_it_accepts(
    wereld, eigen_redis, smtp_server, worker_proces, verzender
):
    adressen = _leerkrachten_met_achterstand(wereld, 2)
    smtp_server.weigeren = 10**6  # "421 try later", until further notice
    worker_proces.starten()
    assert _plannen(wereld) == 2

    # The worker tries, is refused, and tries again later (with backoff) ...
    assert wacht_tot(lambda: smtp_server.geweigerd >= 3, 60), worker_proces.logboek()
    # ... and a refused e-mail is never marked sent.
    assert _verzonden() == 0
    assert "try later" in worker_proces.logboek()

    smtp_server.weigeren = 0  # the server accepts mail again
    _elk_precies_een_keer(smtp_server, adressen, worker_proces)
