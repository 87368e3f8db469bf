"""Role-matrix rows of the import (zorg.invoer).

The administrator of school 1 imports; its director reads the import
history and each import's outcome. Everyone else, the care coordinator of
school 2 included, gets 404 as for an import that does not exist. An
empty POST to the upload or the mapping re-shows the form with its errors
(200); a confirm goes back to the import's page (302)."""

from tests.matrix import Rij, codes, zichtbaar_voor
from zorg.invoer.models import Importopdracht

LEZERS = {"beheerder", "directie"}
INVOERDERS = {"beheerder"}


def _opdracht(w, status=Importopdracht.Status.GECONTROLEERD):
    opdracht = Importopdracht.objects.create(
        school=w.school,
        door=w.users["beheerder"],
        soort="leerlingen",
        bestandsnaam="leerlingen.csv",
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
    "invoer:start": Rij(get=codes(404, beheerder=302, directie=302)),
    "invoer:school": Rij(
        get=zichtbaar_voor(LEZERS),
        post=zichtbaar_voor(INVOERDERS),
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
