"""Role-matrix rows of the school's staff pages (issue 16).

The administrator of school 1 manages its staff; its director reads the
list and a person's page. Everyone else, school 2's care coordinator and
the platform's superuser included, gets 404 as for a school that does not
exist. An empty POST to a form re-shows it with its errors (200); one to a
button on a person's page goes back to that page with a message (302)."""

from tests.matrix import Rij, codes, zichtbaar_voor

LEZERS = {"beheerder", "directie"}
BEHEERDER = {"beheerder"}


def _school(w):
    return {"pk": w.school.pk}


def _persoon(w):
    return {"pk": w.school.pk, "persoon": w.leerkracht.pk}


RIJEN: dict[str, Rij] = {
    "beheer:personeel_start": Rij(get=codes(404, beheerder=302, directie=302)),
    "beheer:personeel_lijst": Rij(get=zichtbaar_voor(LEZERS), kwargs=_school),
    "beheer:personeel_uitnodigen": Rij(
        get=zichtbaar_voor(BEHEERDER), post=zichtbaar_voor(BEHEERDER), kwargs=_school
    ),
    "beheer:personeel_alle_uitnodigen": Rij(
        get=zichtbaar_voor(BEHEERDER), post=zichtbaar_voor(BEHEERDER), kwargs=_school
    ),
    "beheer:personeelslid": Rij(get=zichtbaar_voor(LEZERS), kwargs=_persoon),
    "beheer:personeel_rol": Rij(get=codes(405), post=codes(404, beheerder=302), kwargs=_persoon),
    "beheer:personeel_toegang": Rij(
        get=codes(405), post=codes(404, beheerder=302), kwargs=_persoon
    ),
    "beheer:personeel_account": Rij(
        get=zichtbaar_voor(BEHEERDER), post=zichtbaar_voor(BEHEERDER), kwargs=_persoon
    ),
    "beheer:personeel_opnieuw_uitnodigen": Rij(
        get=codes(405), post=codes(404, beheerder=302), kwargs=_persoon
    ),
    "beheer:personeel_tweestaps_resetten": Rij(
        get=zichtbaar_voor(BEHEERDER), post=codes(404, beheerder=302), kwargs=_persoon
    ),
    "beheer:personeel_blokkering_opheffen": Rij(
        get=zichtbaar_voor(BEHEERDER), post=codes(404, beheerder=302), kwargs=_persoon
    ),
}
