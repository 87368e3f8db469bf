"""Role-matrix rows of the new school year's wizard (zorg.beheer.overgang).

The administrator of school 1 runs it; the director reads its pages (the
start and the preview, without forms). Everyone else, the care coordinator
included, gets 404 as for a school that does not exist. An empty POST to a
form re-shows it with its errors (200); the button that makes a prepared
year current goes back to the wizard with a message (302)."""

from tests.matrix import Rij, codes, zichtbaar_voor
from zorg.accounts.models import Schooljaar
from zorg.beheer.overgang import volgend_schooljaar_gegevens

LEZERS = {"beheerder", "directie"}
UITVOERDERS = {"beheerder"}


def _voorbereid_jaar(w):
    """The next school year, prepared and not yet current."""
    doel = volgend_schooljaar_gegevens(w.schooljaar)
    jaar = Schooljaar.objects.create(
        school=w.school, naam=doel.naam, begin=doel.begin, einde=doel.einde
    )
    return {"pk": jaar.pk}


RIJEN: dict[str, Rij] = {
    "beheer:overgang_start": Rij(
        get=zichtbaar_voor(LEZERS),
        post=zichtbaar_voor(UITVOERDERS),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "beheer:overgang_voorbeeld": Rij(
        get=zichtbaar_voor(LEZERS),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "beheer:overgang_leerling": Rij(
        get=codes(405),
        post=zichtbaar_voor(UITVOERDERS),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "beheer:overgang_uitvoeren": Rij(
        get=codes(405),
        post=zichtbaar_voor(UITVOERDERS),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "beheer:schooljaar_huidig_maken": Rij(
        get=codes(405),
        post=codes(404, beheerder=302),
        kwargs=_voorbereid_jaar,
    ),
}
