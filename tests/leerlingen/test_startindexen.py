"""The start page's queries of the care team reach their rows by index, not
by reading every flag or every student of the school (issue 19). With
sequential scans priced out, the plan must go through the index; whether the
planner prefers it on its own is measured by `make bench`."""

import datetime

from django.db import connection
from django.utils import timezone

from klassenraad import policies as klassenraad_policies
from klassenraad.models import Actiepunt
from leerlingen.models import Vlag, VlagKleur
from leerlingen.views import werklijsten
from leerlingen.vlagtellingen import vlaggen_bulk_aanmaken
from tests.leerlingen.veel import veel_leerlingen


def _plan(qs) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return qs.explain()


def _veel_vlaggen(wereld, aantal: int) -> None:
    """A school year of flags, nearly all of them closed or not red: the
    planner prefers the partial index only once the table has some size."""
    begin = timezone.now() - datetime.timedelta(days=200)
    kleuren = [VlagKleur.GROEN, VlagKleur.GEEL, VlagKleur.ORANJE, VlagKleur.ROOD]
    vlaggen_bulk_aanmaken(
        [
            Vlag(
                school=wereld.school,
                klas=wereld.klas_a,
                kleur=kleuren[i % len(kleuren)],
                moment=begin + datetime.timedelta(minutes=i),
                gemeld_door=wereld.leerkracht,
                status=Vlag.Status.OPEN if i % 100 == 3 else Vlag.Status.AFGESLOTEN,
            )
            for i in range(aantal)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leerlingen_vlag")


def test_the_open_red_flags_are_read_in_order_from_their_partial_index(wereld):
    _veel_vlaggen(wereld, 4000)
    rij = werklijsten.rode_vlaggen_lijst(wereld.zorgcoordinator, werklijsten.ONERKEND)[:10]

    plan = _plan(rij)

    assert "vlag_rood_open" in plan, plan
    # Read in the order shown: no sort of every open red flag first.
    assert "Sort" not in plan.split("vlag_rood_open")[0], plan


def test_own_action_items_probe_the_student_instead_of_hashing_every_student(wereld):
    # A school of some size: on a handful of rows hashing them all is cheap
    # and the planner rightly does so either way.
    veel_leerlingen(wereld.school, 5000, ["Achternaam"])
    # The care coordinator: their own items OR the school's, the OR that
    # kept PostgreSQL from pulling the check up into a join.
    mijn = klassenraad_policies.actiepunten_visible_to(wereld.zorgcoordinator).filter(
        eigenaar=wereld.zorgcoordinator, status=Actiepunt.Status.OPEN
    )

    plan = _plan(mijn)

    # An IN over the students the user may see becomes a hashed subplan that
    # reads all of them; EXISTS probes the item's own student.
    assert "hashed SubPlan" not in plan, plan
