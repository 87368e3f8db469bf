"""Role-matrix rows for requests to discuss a student.

Any teacher of leerling_a (3A) and the school's care team ask for a
discussion; the CLB, the secretariat and outsiders cannot (404). An empty
POST re-shows the form with its errors (200). A request made by the
teacher of 3A is withdrawn by that teacher or by the care team (302);
everyone else does not see it (404)."""

from tests.klassenraad import factories as k
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

VRAAGT_OVER_LEERLING_A = {"leerkracht", "titularis"} | ZORGTEAM_SCHOOL1


def _vraag(w):
    return {"pk": k.bespreekvraag(w.leerling_a, w.leerkracht).pk}


RIJEN: dict[str, Rij] = {
    "klassenraad:bespreekvraag_nieuw": Rij(
        get=zichtbaar_voor(VRAAGT_OVER_LEERLING_A),
        post=zichtbaar_voor(VRAAGT_OVER_LEERLING_A),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "klassenraad:bespreekvraag_intrekken": Rij(
        get=codes(405),
        post=codes(404, leerkracht=302, zorgcoordinator=302, directie=302),
        kwargs=_vraag,
    ),
}
