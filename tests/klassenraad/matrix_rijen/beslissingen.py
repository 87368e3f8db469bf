"""Role-matrix rows for recording decisions at a meeting.

An open care-cell meeting of school 1 with leerling_a on its agenda. The
CLB sees the care cell, but recording a decision (which writes measures,
phases and referrals) is the school's care team's: everyone else gets 404.
An empty POST re-shows the form with its errors: 200."""

from tests.klassenraad import factories as kf
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor


def _overleg(w):
    o = kf.overleg(w)
    kf.agendapunt(o, w.leerling_a)
    return {"pk": o.pk}


RIJEN: dict[str, Rij] = {
    "klassenraad:beslissing_nieuw": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_overleg,
    ),
}
