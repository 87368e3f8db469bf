"""Role-matrix rows for the intake part of the student record."""

import datetime

from leerlingen.models import Intake
from tests.matrix import ZIET_ZORG_LEERLING_A, Rij, codes, zichtbaar_voor


def _met_intake(w):
    # The link walk (test_matrix) gives the world a full record, intake included.
    Intake.objects.get_or_create(
        leerling=w.leerling_a,
        defaults={
            "datum": datetime.date(2026, 8, 28),
            "vorige_school": "Basisschool De Regenboog",
            "onderwijsbehoeften": "Extra tijd bij toetsen.",
            "door": w.zorgcoordinator,
        },
    )
    return {"pk": w.leerling_a.pk}


RIJEN: dict[str, Rij] = {
    # The class team and the care team read the intake; only the care team
    # writes (an empty POST is a form with errors: 200).
    "leerlingen:intake": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=_met_intake,
    ),
}
