"""Role-matrix rows for the zorgfase part of the student record: changing
the phase and referring to the CLB are the care team's (care coordinator and
director of the student's school); everyone else gets a 404, as for a
missing page. An empty POST by the care team shows the form again (200)."""

from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor


def _leerling_a(w):
    return {"pk": w.leerling_a.pk}


RIJEN: dict[str, Rij] = {
    "leerlingen:zorgfase_wijzigen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_leerling_a,
    ),
    "leerlingen:aanmelding_nieuw": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_leerling_a,
    ),
}
