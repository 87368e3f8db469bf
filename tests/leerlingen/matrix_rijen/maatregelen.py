"""Role-matrix rows for the maatregelen part of the student record.

A measure of leerling_a (3A, school 1) in force today: the class team (its
teachers), the care team and the CLB read it; only the care team records,
edits, evaluates and stops (an empty POST re-shows the form with its
errors: 200). The catalogue is the care team's of every school (the
outsider keeps school 2's); the class overview is for the class's teachers
and the school's care team."""

from tests.leerlingen.factories_maatregelen import CatalogusItemFactory, MaatregelFactory
from tests.matrix import ZIET_ZORG_LEERLING_A, ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

ZORGTEAMS = ZORGTEAM_SCHOOL1 | {"buitenstaander"}


def _maatregel(w):
    m = MaatregelFactory(leerling=w.leerling_a, beslist_door=w.zorgcoordinator)
    return {"pk": w.leerling_a.pk, "m_pk": m.pk}


def _item(w):
    return {"item_pk": CatalogusItemFactory(school=w.school).pk}


RIJEN: dict[str, Rij] = {
    "leerlingen:maatregel_nieuw": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "leerlingen:maatregel_detail": Rij(get=zichtbaar_voor(ZIET_ZORG_LEERLING_A), kwargs=_maatregel),
    "leerlingen:maatregel_bewerken": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_maatregel,
    ),
    "leerlingen:maatregel_evalueren": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_maatregel,
    ),
    "leerlingen:maatregel_stoppen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_maatregel,
    ),
    "leerlingen:maatregel_catalogus": Rij(
        get=zichtbaar_voor(ZORGTEAMS), post=zichtbaar_voor(ZORGTEAMS)
    ),
    "leerlingen:catalogus_item_deactiveren": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_item,
    ),
    "leerlingen:catalogus_item_activeren": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_item,
    ),
    "leerlingen:klas_maatregelen": Rij(
        get=zichtbaar_voor({"leerkracht", "titularis", "zorgcoordinator", "directie"}),
        kwargs=lambda w: {"pk": w.klas_a.pk},
    ),
}
