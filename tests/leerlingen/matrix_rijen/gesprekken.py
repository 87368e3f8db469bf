"""Role-matrix rows for the gesprekken part of the student record.

Talks about leerling_a are recorded by its teachers and the care team; a
care-team-only talk (the default) is read by the care team and the CLB
only."""

from leerlingen.models import Zichtbaarheid
from tests.leerlingen.factories_gesprekken import GesprekFactory
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor

SCHRIJFT_OVER_LEERLING_A = {"leerkracht", "titularis"} | ZORGTEAM_SCHOOL1


def _zorgteamgesprek(w):
    gesprek = GesprekFactory(
        leerling=w.leerling_a, door=w.zorgcoordinator, zichtbaarheid=Zichtbaarheid.ZORGTEAM
    )
    return {"pk": w.leerling_a.pk, "gesprek_pk": gesprek.pk}


RIJEN: dict[str, Rij] = {
    # An empty POST re-shows the form with its errors (200), saves nothing.
    "leerlingen:gesprek_nieuw": Rij(
        get=zichtbaar_voor(SCHRIJFT_OVER_LEERLING_A),
        post=zichtbaar_voor(SCHRIJFT_OVER_LEERLING_A),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "leerlingen:gesprek_detail": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_zorgteamgesprek,
    ),
}
