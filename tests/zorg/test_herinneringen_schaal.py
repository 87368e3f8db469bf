"""The whole reminder run, with every planner the apps register, takes as
many queries for 30 due things of each kind as for 3: the daily run covers
every school, so nothing in it may cost a query per reminder."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clb.models import Laag
from leerlingen.models import Vlag
from tests.clb.factories import doel, traject
from tests.datums import lokaal
from tests.klassenraad.factories import actiepunt, overleg
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from tests.leerlingen.factories_vlagalarm import vlag
from zorg.audit.models import AuditEvent
from zorg.herinneringen.models import Herinnering
from zorg.herinneringen.services import herinneringen_plannen
from zorg.meldingen.models import Melding
from zorgbeleid.models import Keuze, Reflectie, Reflectieactie, Verwachting

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")
D = datetime.date
# Wednesday 9 December 2026, a school day; the school's cell meets on
# Thursday, so today the care coordinators prepare tomorrow's.
NU = lokaal(2026, 12, 9, 7, 0)
DONDERDAG = 3


def _aanvullen(w, cel, tot: int) -> None:
    """Bring each kind of due thing of the school up to `tot`, over two
    students (of two classes) and their teachers."""
    paren = [(w.leerling_a, w.leerkracht), (w.leerling_b, w.users["leerkracht_b"])]
    al = Vlag.objects.filter(school=w.school).count()
    reflectie, _ = Reflectie.objects.get_or_create(
        schooljaar=w.schooljaar,
        verwachting=Verwachting.VISIE,
        defaults={
            "school": w.school,
            "keuze": Keuze.VERSTERKEN,
            "redenering": "Effecten opvolgen.",
            "aangemaakt_door": w.zorgcoordinator,
            "gewijzigd_door": w.zorgcoordinator,
        },
    )
    for i in range(al, tot):
        leerling, leerkracht = paren[i % 2]
        # A measure to evaluate on Friday (reminded two school days before)
        # and one overdue.
        MaatregelFactory(
            leerling=leerling,
            begin=D(2026, 10, 1),
            evaluatiedatum=D(2026, 12, 11) if i % 2 else D(2026, 12, 1),
            beslist_door=leerkracht,
        )
        # Action items due tomorrow, overdue since yesterday, and since a
        # week (also to the care coordinators).
        for dag in (D(2026, 12, 10), D(2026, 12, 8), D(2026, 12, 1)):
            a = actiepunt(cel, leerling, leerkracht)
            a.vervaldatum = dag
            a.save(update_fields=["vervaldatum"])
            # And an action of the team's reflection, likewise.
            Reflectieactie.objects.create(
                reflectie=reflectie,
                omschrijving="Visietekst bespreken",
                eigenaar=leerkracht,
                vervaldatum=dag,
                aangemaakt_door=w.zorgcoordinator,
            )
        # A CLB goal to review on Friday, shared with the school or not.
        d = doel(traject(w, leerling), w.users["clb"], laag=Laag.GEDEELD if i % 2 else Laag.CLB)
        d.evaluatiedatum = D(2026, 12, 11)
        d.save(update_fields=["evaluatiedatum"])
        # A red flag nobody acknowledged in time.
        vlag(
            leerling,
            klas=w.klas_a if leerling == w.leerling_a else w.klas_b,
            gemeld_door=leerkracht,
            geleden=datetime.timedelta(hours=20),
        )


def _draaien(w) -> tuple[int, int]:
    with time_machine.travel(NU, tick=False), CaptureQueriesContext(connection) as queries:
        aantal = herinneringen_plannen(school_id=w.school.pk, nu=NU)
    return aantal, len(queries)


def test_the_run_takes_as_many_queries_for_30_due_things_as_for_3(wereld):
    w = wereld
    w.school.zorgcel_weekdag = DONDERDAG
    w.school.save()
    with time_machine.travel(lokaal(2026, 11, 20, 10), tick=False):
        oud = overleg(w, dagen=-1)
    with time_machine.travel(lokaal(2026, 12, 4, 10), tick=False):
        overleg(w, moment=lokaal(2026, 12, 10, 13, 0))  # tomorrow's cell, planned

    _aanvullen(w, oud, 3)
    weinig, queries_weinig = _draaien(w)
    soorten = set(Herinnering.objects.values_list("soort", flat=True))
    assert soorten == {
        "maatregel_evaluatie",
        "actiepunt_morgen",
        "actiepunt_achterstallig",
        "actiepunt_escalatie",
        "zorgcel_voorbereiden",
        "doel_evaluatie",
        "rode_vlag_escalatie",
        "beleidsactie_morgen",
        "beleidsactie_achterstallig",
        "beleidsactie_escalatie",
    }

    # Forget this run, then ten times as many of each kind.
    Herinnering.objects.all().delete()
    Melding.objects.all().delete()
    Vlag.objects.update(geescaleerd_op=None)
    _aanvullen(w, oud, 30)
    veel, queries_veel = _draaien(w)

    assert veel > 9 * (weinig - 1)  # everything but the one care cell, tenfold
    assert queries_veel == queries_weinig
    assert Vlag.objects.filter(geescaleerd_op__isnull=True).count() == 0
    # Every escalation has its audit event (the audit trail is append-only:
    # the first run's three are still there).
    assert AuditEvent.objects.filter(onderwerp="vlag").count() == 3 + 30
    # And the run after it finds nothing left, in no more queries.
    assert _draaien(w)[0] == 0
