"""The nightly job: scheduled in beat, and run by a real worker through
Redis it destroys the expired set."""

import datetime

import pytest
import time_machine
from django.conf import settings

from bewaring.tasks import bewaring_uitvoeren
from leerlingen.models import Inschrijving, Leerling
from tests import factories as f
from tests.datums import lokaal
from zorg.audit.models import AuditEvent

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")


def vertrokken(w):
    klas = f.KlasFactory(schooljaar=w.vorig_schooljaar)
    leerling = f.leerling_in(klas)
    Inschrijving.objects.filter(leerling=leerling).update(einde=datetime.date(2026, 6, 30))
    return leerling


def test_beat_runs_the_job_every_night():
    taak = settings.CELERY_BEAT_SCHEDULE["bewaring-uitvoeren"]
    assert taak["task"] == bewaring_uitvoeren.name
    schema = taak["schedule"]
    assert schema.hour == {2} and schema.minute == {30}


def test_without_a_day_the_job_runs_as_of_today(wereld):
    weg = vertrokken(wereld)
    with time_machine.travel(lokaal(2027, 8, 31, 2, 30), tick=False):
        bewaring_uitvoeren.apply()
    assert Leerling.objects.filter(pk=weg.pk).exists()
    with time_machine.travel(lokaal(2027, 9, 1, 2, 30), tick=False):
        resultaat = bewaring_uitvoeren.apply().get()
    assert not Leerling.objects.filter(pk=weg.pk).exists()
    assert resultaat[str(wereld.school.pk)]["zorgdossiers"] == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_destroys_the_expired_set(wereld, echte_worker):
    from tests.processen import wacht_tot

    weg = vertrokken(wereld)
    blijft = wereld.leerling_a

    # (No result backend: the worker's work is read from the database.)
    bewaring_uitvoeren.delay("2027-09-01")

    samenvatting = AuditEvent.objects.filter(onderwerp="bewaring", school_id=wereld.school.pk)
    assert wacht_tot(samenvatting.exists, 60)
    assert "zorgdossiers: 1" in samenvatting.get().omschrijving
    assert not Leerling.objects.filter(pk=weg.pk).exists()
    assert Leerling.objects.filter(pk=blijft.pk).exists()
