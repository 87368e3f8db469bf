"""Role-matrix rows for the observaties part of the student record.

Observations of leerling_a (3A, school 1) are read by its class team, the
care team and the CLB; they are written by its teachers and the care team,
never by the CLB, the secretariat or the administrator. Editing is for the
author only, within the window; a correction comes from the author or the
care team."""

from tests.leerlingen.factories_observaties import ObservatieFactory
from tests.matrix import ZIET_ZORG_LEERLING_A, ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor

SCHRIJFT_OVER_LEERLING_A = {"leerkracht", "titularis"} | ZORGTEAM_SCHOOL1


def _leerling_a(w):
    return {"pk": w.leerling_a.pk}


def _observatie_van_leerkracht(w):
    observatie = ObservatieFactory(leerling=w.leerling_a, auteur=w.leerkracht)
    return {"pk": w.leerling_a.pk, "observatie_pk": observatie.pk}


RIJEN: dict[str, Rij] = {
    "leerlingen:observatie_lijst": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A), kwargs=_leerling_a
    ),
    # An empty POST re-shows the form with its errors (200), saves nothing.
    "leerlingen:observatie_nieuw": Rij(
        get=zichtbaar_voor(SCHRIJFT_OVER_LEERLING_A),
        post=zichtbaar_voor(SCHRIJFT_OVER_LEERLING_A),
        kwargs=_leerling_a,
    ),
    "leerlingen:observatie_bewerken": Rij(
        get=zichtbaar_voor({"leerkracht"}),
        post=zichtbaar_voor({"leerkracht"}),
        kwargs=_observatie_van_leerkracht,
    ),
    "leerlingen:observatie_corrigeren": Rij(
        get=zichtbaar_voor({"leerkracht"} | ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor({"leerkracht"} | ZORGTEAM_SCHOOL1),
        kwargs=_observatie_van_leerkracht,
    ),
    # The class page's quick form for 3A: its teachers and the care team.
    "leerlingen:klas_observatie": Rij(
        get=zichtbaar_voor(SCHRIJFT_OVER_LEERLING_A),
        post=zichtbaar_voor(SCHRIJFT_OVER_LEERLING_A),
        kwargs=lambda w: {"pk": w.klas_a.pk},
    ),
}
