"""Role-matrix rows for absences.

The secretariat of school 1 records them (the class-day page) and corrects
or removes one; a student's list is read by that secretariat and the care
team (the CLB only with the student in reach: tests/clb/test_bereik.py
walks the rows again with a referral). Teachers, the administrator and
other schools get a 404."""

import datetime

from leerlingen.models import Afwezigheid, AfwezigheidCode, Dagdeel
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

SECRETARIAAT = {"secretariaat"}


def _afwezigheid(w):
    # The link walk asks twice in one world: the same half day.
    afwezigheid, _nieuw = Afwezigheid.objects.get_or_create(
        leerling=w.leerling_a,
        datum=datetime.date(w.schooljaar.begin.year, 9, 1),
        dagdeel=Dagdeel.VOORMIDDAG,
        defaults={"code": AfwezigheidCode.ONGEWETTIGD, "geregistreerd_door": w.secretariaat},
    )
    return {"pk": afwezigheid.pk}


RIJEN: dict[str, Rij] = {
    # Without a class and a day the page shows the chooser; an empty POST
    # likewise (200).
    "leerlingen:afwezigheden_dag": Rij(
        get=zichtbaar_voor(SECRETARIAAT), post=zichtbaar_voor(SECRETARIAAT)
    ),
    "leerlingen:leerling_afwezigheden": Rij(
        get=zichtbaar_voor(SECRETARIAAT | ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    # An empty POST is the form with its errors (200).
    "leerlingen:afwezigheid_wijzigen": Rij(
        get=zichtbaar_voor(SECRETARIAAT),
        post=zichtbaar_voor(SECRETARIAAT),
        kwargs=_afwezigheid,
    ),
    # Without a version the secretariat goes back to the edit page (302).
    "leerlingen:afwezigheid_verwijderen": Rij(
        get=codes(405),
        post=codes(404, secretariaat=302),
        kwargs=_afwezigheid,
    ),
}
