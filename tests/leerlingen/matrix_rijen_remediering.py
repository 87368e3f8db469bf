"""Role-matrix rows for remediation and differentiation (remediëring).

A remediation of class 3A (school 1) by its subject teacher: the class's
teachers and class teacher and the school's care team read, edit and close
it (an empty POST re-shows the form with its errors: 200); the teacher of
3B, the secretariat, the administrator, the CLB and other schools get 404."""

from tests.leerlingen.factories_remediering import RemedieringFactory
from tests.matrix import ZIET_ZORG_LEERLING_A, Rij, zichtbaar_voor


def _remediering(w):
    return {"pk": RemedieringFactory(klas=w.klas_a, door=w.leerkracht).pk}


def _klas(w):
    return {"pk": w.klas_a.pk}


RIJEN: dict[str, Rij] = {
    "leerlingen:klas_remedieringen": Rij(get=zichtbaar_voor(ZIET_ZORG_LEERLING_A), kwargs=_klas),
    "leerlingen:remediering_nieuw": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        post=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        kwargs=_klas,
    ),
    "leerlingen:remediering_detail": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A), kwargs=_remediering
    ),
    "leerlingen:remediering_bewerken": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        post=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        kwargs=_remediering,
    ),
    "leerlingen:remediering_afsluiten": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        post=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        kwargs=_remediering,
    ),
}
