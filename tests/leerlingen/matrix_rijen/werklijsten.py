"""Role-matrix rows for the whole of the start page's capped work lists: the
open red flags and the open pattern signals.

The red flags are the care team's (care coordinator and director, each of
their own school: the outsider, a care coordinator of school 2, gets 200 and
sees school 2's); the signals also the class teacher's, for their own class.
Everyone else gets 404. Both are GET only; the escalated list for the
director only is checked in tests/leerlingen/test_werklijsten.py."""

from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor

RIJEN: dict[str, Rij] = {
    "leerlingen:rode_vlag_lijst": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1 | {"buitenstaander"})),
    "leerlingen:signaal_lijst": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1 | {"titularis", "buitenstaander"})
    ),
}
