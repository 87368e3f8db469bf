"""Role-matrix row for the guiding class council's selection of remediation:
the care team of school 1 while the council of 3A is open (an empty POST
re-shows the form with its errors: 200); the class's teachers, who see the
meeting, do not record its decisions: 404, as for everyone else."""

from klassenraad.models import OverlegSoort
from tests.klassenraad.factories import overleg
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, zichtbaar_voor

RIJEN: dict[str, Rij] = {
    "klassenraad:remediering_selecteren": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": overleg(w, OverlegSoort.BEGELEIDEND).pk},
    ),
}
