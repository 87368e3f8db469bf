"""Migration leerlingen 0008/0009: the evaluation deadlines of measures and
evaluations recorded before they were kept are filled in from what the
record still holds (see the migration's docstring for why these values)."""

import datetime
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from leerlingen.models import Maatregel, MaatregelEvaluatie

pytestmark = pytest.mark.django_db(transaction=True)

D = datetime.date
VOOR = ("leerlingen", "0007_een_open_aanmelding_per_leerling")
NA = ("leerlingen", "0009_evaluatietermijn_verplicht")


@pytest.fixture
def oude_modellen(wereld):
    """The models as they were before 0008; the latest schema again after
    the test, for the tests that follow."""
    executor = MigrationExecutor(connection)
    executor.migrate([VOOR])
    yield executor.loader.project_state([VOOR]).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migreren():
    executor = MigrationExecutor(connection)
    executor.migrate([NA])


def test_the_deadlines_are_filled_in_from_what_the_record_holds(wereld, oude_modellen):
    OudeMaatregel = oude_modellen.get_model("leerlingen", "Maatregel")
    OudeEvaluatie = oude_modellen.get_model("leerlingen", "MaatregelEvaluatie")
    nu = timezone.now()

    def maatregel(status, evaluatiedatum, einde=None):
        return OudeMaatregel.objects.create(
            leerling_id=wereld.leerling_a.pk,
            soort="compenserend",
            titel="Maatregel",
            domeinen=1,
            bereik="alle_vakken",
            begin=D(2026, 10, 1),
            einde=einde,
            evaluatiedatum=evaluatiedatum,
            beslist_waar="cel",
            beslist_door_id=wereld.zorgcoordinator.pk,
            status=status,
        ).pk

    def evaluatie(m, datum, beslissing, volgende, na_minuten):
        e = OudeEvaluatie.objects.create(
            maatregel_id=m,
            datum=datum,
            effect="werkt",
            beslissing=beslissing,
            volgende_evaluatie=volgende,
            door_id=wereld.zorgcoordinator.pk,
        )
        # The order of recording, whatever the clock did.
        OudeEvaluatie.objects.filter(pk=e.pk).update(aangemaakt=nu + timedelta(minutes=na_minuten))
        return e.pk

    # Evaluated twice, then its planned date was moved to 20 January.
    doorlopend = maatregel("actief", D(2027, 1, 20))
    eerste = evaluatie(doorlopend, D(2026, 11, 5), "verderzetten", D(2026, 12, 1), 1)
    tweede = evaluatie(doorlopend, D(2026, 11, 28), "verderzetten", D(2027, 1, 15), 2)
    # Stopped at its first evaluation: its planned date is still on it.
    gestopt = maatregel("geevalueerd", D(2026, 12, 10), einde=D(2026, 12, 8))
    stop = evaluatie(gestopt, D(2026, 12, 8), "stoppen", None, 3)
    # Never evaluated.
    nooit = maatregel("actief", D(2027, 2, 1))
    # The second evaluation recorded was dated before the first one: each
    # recording answered the deadline the one recorded before it set.
    terug = maatregel("actief", D(2027, 3, 1))
    later_gedateerd = evaluatie(terug, D(2026, 11, 10), "verderzetten", D(2026, 12, 1), 4)
    teruggedateerd = evaluatie(terug, D(2026, 11, 3), "verderzetten", D(2027, 3, 1), 5)

    _migreren()

    termijn = dict(MaatregelEvaluatie.objects.values_list("pk", "termijn"))
    # The first deadline of a measure that continued is gone: unknown.
    assert termijn[eerste] is None
    assert termijn[tweede] == D(2026, 12, 1)
    assert termijn[stop] == D(2026, 12, 10)
    assert termijn[later_gedateerd] is None
    assert termijn[teruggedateerd] == D(2026, 12, 1)

    open_termijn = dict(Maatregel.objects.values_list("pk", "evaluatietermijn"))
    # Set by the last evaluation, not the moved planned date.
    assert open_termijn[doorlopend] == D(2027, 1, 15)
    # Only the columns of the schema at 0009: later migrations add others.
    geplande = Maatregel.objects.filter(pk=doorlopend).values_list("evaluatiedatum", flat=True)
    assert geplande.get() == D(2027, 1, 20)
    assert open_termijn[gestopt] == D(2026, 12, 10)
    assert open_termijn[nooit] == D(2027, 2, 1)
    assert open_termijn[terug] == D(2027, 3, 1)
