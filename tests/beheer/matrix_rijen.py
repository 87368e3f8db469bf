"""Role-matrix rows of the school-year calendar (zorg.beheer).

Its readers are those of the settings: the administrator and the care
coordinators of school 1 change it, the director reads it. Everyone else,
the care coordinator of school 2 included, gets 404 as for a school year
that does not exist. An empty POST to a form re-shows it with its errors
(200); one to a delete or reset button goes back to the calendar with a
message (302)."""

import datetime

from tests.matrix import Rij, codes, zichtbaar_voor
from zorg.accounts.models import VrijePeriode

LEZERS = {"beheerder", "zorgcoordinator", "directie"}
BEWERKERS = {"beheerder", "zorgcoordinator"}


def _eigen_periode(w):
    """A row of the previous school year, whose calendar the school fixed:
    the current year keeps the statutory calendar, so its statutory rows
    (`wettelijk/<nummer>`) keep opening in the same world."""
    jaar = w.vorig_schooljaar
    jaar.kalender_vastgelegd = True
    jaar.save(update_fields=["kalender_vastgelegd"])
    dag = jaar.begin + datetime.timedelta(days=30)
    periode = VrijePeriode.objects.create(
        schooljaar=jaar, naam="Pedagogische studiedag", begin=dag, einde=dag
    )
    return {"pk": jaar.pk, "periode": periode.pk}


def _wettelijke_periode(w):
    return {"pk": w.schooljaar.pk, "nummer": 0}


RIJEN: dict[str, Rij] = {
    "beheer:kalender_start": Rij(
        get=codes(404, beheerder=302, zorgcoordinator=302, directie=302),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "beheer:kalender": Rij(
        get=zichtbaar_voor(LEZERS),
        kwargs=lambda w: {"pk": w.schooljaar.pk},
    ),
    "beheer:vrije_periode_toevoegen": Rij(
        get=zichtbaar_voor(BEWERKERS),
        post=zichtbaar_voor(BEWERKERS),
        kwargs=lambda w: {"pk": w.schooljaar.pk},
    ),
    "beheer:kalender_herstellen": Rij(
        get=codes(405),
        post=codes(404, beheerder=302, zorgcoordinator=302),
        kwargs=lambda w: {"pk": w.schooljaar.pk},
    ),
    "beheer:vrije_periode_wijzigen": Rij(
        get=zichtbaar_voor(BEWERKERS),
        post=zichtbaar_voor(BEWERKERS),
        kwargs=_eigen_periode,
    ),
    "beheer:vrije_periode_verwijderen": Rij(
        get=codes(405),
        post=codes(404, beheerder=302, zorgcoordinator=302),
        kwargs=_eigen_periode,
    ),
    "beheer:wettelijke_periode_wijzigen": Rij(
        get=zichtbaar_voor(BEWERKERS),
        post=zichtbaar_voor(BEWERKERS),
        kwargs=_wettelijke_periode,
    ),
    "beheer:wettelijke_periode_verwijderen": Rij(
        get=codes(405),
        post=codes(404, beheerder=302, zorgcoordinator=302),
        kwargs=_wettelijke_periode,
    ),
}
