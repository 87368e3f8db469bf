"""Role-matrix rows for the student timeline."""

from tests.matrix import ZIET_ZORG_LEERLING_A, Rij, zichtbaar_voor

RIJEN: dict[str, Rij] = {
    "leerlingen:tijdlijn": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
}
