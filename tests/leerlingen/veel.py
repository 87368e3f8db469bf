"""Many students at once, for the tests of plans and indexes (issue 19): the
planner only prefers an index once a table has some size."""

import datetime

from django.db import connection

from leerlingen.models import Leerling
from tests import factories as f


def veel_leerlingen(school, aantal: int, achternamen: list[str]) -> None:
    """`aantal` students of `school` in one INSERT, numbered N000000…, the
    surnames taken in turn from `achternamen` with their number after them;
    then the table's statistics brought up to date."""
    zorgfase = f.LeerlingFactory(school=school).zorgfase
    Leerling.objects.bulk_create(
        Leerling(
            school=school,
            leerlingnummer=f"N{i:06d}",
            voornaam=f"Voornaam{i}",
            achternaam=f"{achternamen[i % len(achternamen)]}{i}",
            geboortedatum=datetime.date(2012, 1, 1) + datetime.timedelta(days=i % 3000),
            zorgfase=zorgfase,
        )
        for i in range(aantal)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE leerlingen_leerling")
