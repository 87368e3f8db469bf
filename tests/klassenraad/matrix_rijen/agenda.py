"""Role-matrix rows for the agenda part of the meetings app.

A care cell of school 1: only its care team (care coordinator, director)
manages the agenda. The CLB sees the cell but may not manage it, teachers,
the secretariat and outsiders do not see it: all 404. An empty POST re-shows
the page with its message (200) and saves nothing; taking an item off
redirects to the agenda."""

from klassenraad.models import OverlegSoort
from tests.klassenraad import factories as k
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor


def _cel(w):
    return {"pk": k.overleg(w, OverlegSoort.CEL, dagen=2).pk}


def _punt(w):
    overleg = k.overleg(w, OverlegSoort.CEL, dagen=2)
    punt = k.agendapunt(overleg, w.leerling_a)
    return {"pk": overleg.pk, "punt": punt.pk}


RIJEN: dict[str, Rij] = {
    "klassenraad:agenda_voorstel": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_cel,
    ),
    "klassenraad:agenda_toevoegen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_cel,
    ),
    "klassenraad:agendapunt_verwijderen": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_punt,
    ),
}
