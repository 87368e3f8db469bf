"""Role-matrix rows of the transfer to the next school (overdracht.views).

The care coordinator of school 1 prepares and takes every step; the
director reads (list, page, file); teachers, the secretariat, the
administrator and the CLB get 404. The list and the import are open to
every care coordinator (school 2's, `buitenstaander`, too: an empty list of
their own school, their own import); the director reads the list but does
not import. The steps are POST only (405 for a GET). An empty POST of a
step shows the page again with its errors (200)."""

from overdracht import services
from tests import factories as f
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor
from tests.overdracht.hulp import geinformeerd, voorbereid, vrijgegeven, zonder_bezwaar

COORDINATOR = {"zorgcoordinator"}
COORDINATOREN = {"zorgcoordinator", "buitenstaander"}


def _leerling(w):
    """A student of class 3A of her own: one student has one open transfer,
    and the link walk (test_every_link_...) builds every row in one world."""
    return f.leerling_in(w.klas_a)


def _concept(w):
    return {"pk": voorbereid(w, _leerling(w)).pk}


def _geinformeerd(w):
    return {"pk": geinformeerd(w, voorbereid(w, _leerling(w))).pk}


def _zonder_bezwaar(w):
    return {"pk": zonder_bezwaar(w, geinformeerd(w, voorbereid(w, _leerling(w)))).pk}


def _vrijgegeven(w):
    return {"pk": vrijgegeven(w, _leerling(w)).pk}


def _ontvangen(w):
    bestand = services.overdrachtsbestand(vrijgegeven(w, _leerling(w), school_instellingsnummer=""))
    ontvangen = services.overdracht_importeren(
        tekst=bestand, leerling=w.leerling_b, door=w.zorgcoordinator
    )
    return {"pk": ontvangen.pk}


RIJEN: dict[str, Rij] = {
    "overdracht:lijst": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1 | {"buitenstaander"})),
    "overdracht:importeren": Rij(
        get=zichtbaar_voor(COORDINATOREN), post=zichtbaar_voor(COORDINATOREN)
    ),
    "overdracht:nieuw": Rij(
        get=zichtbaar_voor(COORDINATOR),
        post=zichtbaar_voor(COORDINATOR),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "overdracht:detail": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1), kwargs=_concept),
    "overdracht:inhoud": Rij(
        get=codes(405),
        post=zichtbaar_voor(COORDINATOR),
        kwargs=_concept,
    ),
    "overdracht:informeren": Rij(
        get=codes(405),
        post=zichtbaar_voor(COORDINATOR),
        kwargs=_concept,
    ),
    "overdracht:reactie": Rij(
        get=codes(405),
        post=zichtbaar_voor(COORDINATOR),
        kwargs=_geinformeerd,
    ),
    "overdracht:vrijgeven": Rij(
        get=codes(405),
        post=zichtbaar_voor(COORDINATOR),
        kwargs=_zonder_bezwaar,
    ),
    "overdracht:intrekken": Rij(
        get=codes(405),
        post=zichtbaar_voor(COORDINATOR),
        kwargs=_geinformeerd,
    ),
    "overdracht:bestand": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1), kwargs=_vrijgegeven),
    # Received at school 1 (leerling_b) from a transfer of its own: the care
    # team of school 1 reads it.
    "overdracht:ontvangen": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1), kwargs=_ontvangen),
}
