"""Migration meldingen 0004: a reminder made before notifications named
their student gets its student from what the reminder was about (the
herinneringen row: kind and object), so the list that shows it records the
read; a notification that names nobody stays without."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as f
from tests.clb.factories import doel, traject
from tests.klassenraad.factories import actiepunt, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from zorg.herinneringen.models import Herinnering
from zorg.meldingen.models import Melding

pytestmark = pytest.mark.django_db(transaction=True)

VOOR = ("meldingen", "0003_soorten_voorkeuren_samenvatting")
NA = ("meldingen", "0004_genoemde_leerling")


@pytest.fixture
def oude_melding(wereld):
    executor = MigrationExecutor(connection)
    executor.migrate([VOOR])
    yield executor.loader.project_state([VOOR]).apps.get_model("meldingen", "Melding")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_old_reminders_get_the_student_they_name(wereld, oude_melding):
    w = wereld
    andere = f.leerling_in(w.klas_a)
    derde = f.leerling_in(w.klas_a)
    maatregel = MaatregelFactory(leerling=w.leerling_a, beslist_door=w.leerkracht)
    punt = actiepunt(overleg(w, dagen=-1), andere, w.leerkracht)
    clb_doel = doel(traject(w, derde, begeleider=w.users["clb"]), w.users["clb"])

    def herinnering(soort, object_id):
        melding = oude_melding.objects.create(
            ontvanger_id=w.zorgcoordinator.pk, titel="x", soort=soort
        )
        Herinnering.objects.create(
            soort=soort,
            object_id=object_id,
            vervaldatum=datetime.date(2026, 12, 7),
            ontvanger=w.zorgcoordinator,
            school=w.school,
            melding_id=melding.pk,
        )
        return melding.pk

    ids = {
        herinnering("maatregel_evaluatie", maatregel.pk): w.leerling_a.pk,
        herinnering("actiepunt_achterstallig", punt.pk): andere.pk,
        herinnering("doel_evaluatie", clb_doel.pk): derde.pk,
        # The escalation of a red flag names the class, nobody else.
        herinnering("rode_vlag_escalatie", maatregel.pk): None,
    }
    zonder = oude_melding.objects.create(ontvanger_id=w.leerkracht.pk, titel="Rode vlag in 3A")

    MigrationExecutor(connection).migrate([NA])

    assert dict(Melding.objects.filter(pk__in=ids).values_list("pk", "leerling_id")) == ids
    assert Melding.objects.get(pk=zonder.pk).leerling_id is None
