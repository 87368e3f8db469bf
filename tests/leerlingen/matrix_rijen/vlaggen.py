"""Role-matrix rows for behaviour flags.

Flags in class 3A are logged by its teachers and the care team (not the CLB,
the secretariat or the administrator). A flag about leerling_a is seen by
who logged it, the teachers of 3A and the care team; never by the CLB or the
secretariat. A student's list of flags likewise."""

from tests.leerlingen.factories_vlaggen import vlag_met
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor

KLASTEAM_3A = {"leerkracht", "titularis"}


def _vlag_van_leerkracht(w):
    vlag = vlag_met(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht)
    return {"pk": vlag.pk}


RIJEN: dict[str, Rij] = {
    # An empty POST re-shows the form with its errors (200), saves nothing.
    "leerlingen:vlag_nieuw": Rij(
        get=zichtbaar_voor(KLASTEAM_3A | ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(KLASTEAM_3A | ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.klas_a.pk},
    ),
    "leerlingen:vlag_detail": Rij(
        get=zichtbaar_voor(KLASTEAM_3A | ZORGTEAM_SCHOOL1),
        kwargs=_vlag_van_leerkracht,
    ),
    "leerlingen:leerling_vlaggen": Rij(
        get=zichtbaar_voor(KLASTEAM_3A | ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
}
