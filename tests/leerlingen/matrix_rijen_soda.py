"""Role-matrix rows of the SODA reports (issue 17)."""

from leerlingen.models import SodaPeriode
from leerlingen.services.soda import soda_standaard_instellen
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor


def _periode(w) -> SodaPeriode:
    """A period over the whole current school year (so begun, whatever day
    the suite runs on) and the default scale."""
    soda_standaard_instellen(school=w.school)
    periode, _nieuw = SodaPeriode.objects.get_or_create(
        schooljaar=w.schooljaar,
        naam="Heel het jaar",
        defaults={"begin": w.schooljaar.begin, "einde": w.schooljaar.einde, "volgorde": 1},
    )
    return periode


def _klas_met_periode(w):
    _periode(w)
    return {"pk": w.klas_a.pk}


RIJEN: dict[str, Rij] = {
    # The set-up: the school's care team; an empty POST is a form with
    # errors (200). Another school's care coordinator: 404.
    "leerlingen:soda_instellingen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "leerlingen:soda_schaal": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "leerlingen:soda_periode": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=lambda w: {"pk": _periode(w).pk},
    ),
    # The class's overview: its class teacher and the care team; not a
    # subject teacher (their own grid), the CLB, the secretariat.
    "leerlingen:soda_klas": Rij(
        get=zichtbaar_voor({"titularis", *ZORGTEAM_SCHOOL1}),
        kwargs=_klas_met_periode,
    ),
    # The grid: the subject teacher of 3A only (the class teacher of 3A
    # teaches no subject there in this world). An empty POST changes no
    # cell and goes back to the grid (302).
    "leerlingen:soda_invullen": Rij(
        get=zichtbaar_voor({"leerkracht"}),
        post=codes(404, leerkracht=302),
        kwargs=_klas_met_periode,
    ),
    # One cell (htmx): POST only; without htmx an incomplete cell goes back
    # to the grid with the reason (302).
    "leerlingen:soda_cel": Rij(
        get=codes(405),
        post=codes(404, leerkracht=302),
        kwargs=_klas_met_periode,
    ),
}
