"""Role-matrix rows of the import (zorg.invoer).

The administrator of school 1 imports; its director reads the import
history and each import's outcome. The secretariat imports absences only
(invoer.policies.RECHTEN): it opens the school's import page, but a
students' import (the rows of the role matrix) is a 404 for it. Everyone
else, the care coordinator of school 2 included, gets 404 as for an import
that does not exist. An empty POST to the upload or the mapping re-shows
the form with its errors (200); a confirm goes back to the import's page
(302).

`AFWEZIGHEDEN` and `ANDERE_SCHOOL` walk the pages of one import again, an
absence import of school 1 and one of school 2 (the matrix has one row per
URL: tests/invoer/test_matrix_afwezigheden.py walks these)."""

from tests.matrix import Rij, codes, zichtbaar_voor
from zorg.invoer.models import Importopdracht

LEZERS = {"beheerder", "directie"}
INVOERDERS = {"beheerder"}
AFWEZIGHEDEN_LEZERS = LEZERS | {"secretariaat"}
AFWEZIGHEDEN_INVOERDERS = INVOERDERS | {"secretariaat"}


def _opdracht(w, status=Importopdracht.Status.GECONTROLEERD, soort="leerlingen", school=None):
    opdracht = Importopdracht.objects.create(
        school=school or w.school,
        door=w.users["beheerder"],
        soort=soort,
        bestandsnaam=f"{soort}.csv",
        bestand="matrix.csv",
        formaat="csv",
        kolommen=["leerlingnummer", "voornaam"],
        koppeling={"leerlingnummer": 0, "voornaam": 1},
        status=status,
        totalen={"nieuw": 1, "gewijzigd": 0, "ongewijzigd": 0, "fout": 0, "vertrokken": 0},
        regels=[
            {
                "rij": 2,
                "uitkomst": "nieuw",
                "sleutel": "9001",
                "naam": "Emma Claes",
                "velden": [],
                "reden": "",
            }
        ],
    )
    return {"pk": opdracht.pk}


RIJEN: dict[str, Rij] = {
    "invoer:start": Rij(get=codes(404, beheerder=302, directie=302, secretariaat=302)),
    "invoer:school": Rij(
        get=zichtbaar_voor(AFWEZIGHEDEN_LEZERS),
        post=zichtbaar_voor(AFWEZIGHEDEN_INVOERDERS),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "invoer:sjabloon": Rij(
        get=zichtbaar_voor(INVOERDERS),
        kwargs=lambda w: {"soort": "leerlingen", "formaat": "xlsx"},
    ),
    "invoer:opdracht": Rij(get=zichtbaar_voor(LEZERS), kwargs=_opdracht),
    "invoer:koppelen": Rij(
        get=zichtbaar_voor(INVOERDERS),
        post=zichtbaar_voor(INVOERDERS),
        kwargs=lambda w: _opdracht(w, Importopdracht.Status.KOPPELEN),
    ),
    "invoer:bevestigen": Rij(
        get=codes(405),
        post=codes(404, beheerder=302),
        kwargs=_opdracht,
    ),
}


def _afwezigheden(w, status=Importopdracht.Status.GECONTROLEERD):
    return _opdracht(w, status, soort="afwezigheden")


def _afwezigheden_elders(w, status=Importopdracht.Status.GECONTROLEERD):
    return _opdracht(w, status, soort="afwezigheden", school=w.school2)


# An absence import of school 1: the secretariat handles it like the
# administrator; the director reads it.
AFWEZIGHEDEN: dict[str, Rij] = {
    "invoer:sjabloon": Rij(
        get=zichtbaar_voor(AFWEZIGHEDEN_INVOERDERS),
        kwargs=lambda w: {"soort": "afwezigheden", "formaat": "csv"},
    ),
    "invoer:opdracht": Rij(get=zichtbaar_voor(AFWEZIGHEDEN_LEZERS), kwargs=_afwezigheden),
    "invoer:koppelen": Rij(
        get=zichtbaar_voor(AFWEZIGHEDEN_INVOERDERS),
        post=zichtbaar_voor(AFWEZIGHEDEN_INVOERDERS),
        kwargs=lambda w: _afwezigheden(w, Importopdracht.Status.KOPPELEN),
    ),
    "invoer:bevestigen": Rij(
        get=codes(405),
        post=codes(404, beheerder=302, secretariaat=302),
        kwargs=_afwezigheden,
    ),
}

# An absence import of school 2: no role of the world reaches it, not its
# care coordinator (buitenstaander) either.
ANDERE_SCHOOL: dict[str, Rij] = {
    "invoer:school": Rij(
        get=zichtbaar_voor(set()),
        post=zichtbaar_voor(set()),
        kwargs=lambda w: {"pk": w.school2.pk},
    ),
    "invoer:opdracht": Rij(get=zichtbaar_voor(set()), kwargs=_afwezigheden_elders),
    "invoer:koppelen": Rij(
        get=zichtbaar_voor(set()),
        post=zichtbaar_voor(set()),
        kwargs=lambda w: _afwezigheden_elders(w, Importopdracht.Status.KOPPELEN),
    ),
    "invoer:bevestigen": Rij(get=codes(405), post=codes(404), kwargs=_afwezigheden_elders),
}
