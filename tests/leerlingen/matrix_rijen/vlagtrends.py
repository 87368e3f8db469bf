"""Role-matrix rows for vlagtrends: the flag trend charts.

The school view is for the care team (care coordinators and the director)
of the school they pick; without `?school=` they see their own (first)
school, so the outsider, a care coordinator of school 2, gets 200 too and
sees school 2's numbers (tests/leerlingen/test_vlagtrends.py checks which).
The class view follows the class measures overview: the class's teachers
and the school's care team. Both are GET only."""

from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor

RIJEN: dict[str, Rij] = {
    "leerlingen:vlag_trends": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1 | {"buitenstaander"})),
    "leerlingen:klas_vlag_trends": Rij(
        get=zichtbaar_voor({"leerkracht", "titularis", "zorgcoordinator", "directie"}),
        kwargs=lambda w: {"pk": w.klas_a.pk},
    ),
}
