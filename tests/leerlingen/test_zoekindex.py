"""Student search by name and number can use its indexes on PostgreSQL
(issue 19). What these tests guard is that the indexes match the SQL the
search really runs (`UPPER(naam::text) LIKE …`): an index on another
expression is silently never used. With sequential scans priced out, the
plan must reach the students through them; whether the planner prefers them
on its own depends on the table's size, which `make bench` measures at
10,000 and 100,000 students."""

from django.db import connection

from leerlingen.models import Leerling
from tests.leerlingen.veel import veel_leerlingen

NAMEN = ["Verbeke", "Peeters", "Janssens", "Maes", "Claes", "Wouters", "De Smet", "Goossens"]


def _plan(qs) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    return qs.explain()


def _veel_leerlingen(school, aantal):
    veel_leerlingen(school, aantal, NAMEN)


def test_a_search_by_part_of_a_name_reads_the_trigram_indexes(wereld):
    _veel_leerlingen(wereld.school, 2000)

    plan = _plan(Leerling.objects.zoeken("verbeke12"))

    assert "leerling_achternaam_trgm" in plan, plan
    assert "leerling_voornaam_trgm" in plan, plan
    assert "Seq Scan on leerlingen_leerling" not in plan, plan


def test_a_search_by_number_reads_its_index(wereld):
    _veel_leerlingen(wereld.school, 2000)

    plan = _plan(Leerling.objects.filter(leerlingnummer__iexact="n001234"))

    assert "leerling_nummer_upper" in plan, plan
    assert Leerling.objects.zoeken("N001234").get().achternaam == "Janssens1234"
