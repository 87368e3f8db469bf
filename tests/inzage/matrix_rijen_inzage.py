"""Role-matrix rows of the access request (issue 18): the director of
school 1 only; every other role, the care coordinator included, gets the
404 of a request that does not exist."""

from tests.matrix import Rij, codes, zichtbaar_voor


def _verzoek_kwargs(w):
    from tests.inzage.hulp import verzoek

    return {"pk": verzoek(w).pk}


DIRECTIE = {"directie"}

RIJEN: dict[str, Rij] = {
    "inzage:lijst": Rij(get=zichtbaar_voor(DIRECTIE)),
    # An empty POST is the form with its errors (200).
    "inzage:nieuw": Rij(
        get=zichtbaar_voor(DIRECTIE),
        post=codes(404, directie=200),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "inzage:detail": Rij(get=zichtbaar_voor(DIRECTIE), kwargs=_verzoek_kwargs),
    "inzage:json": Rij(get=zichtbaar_voor(DIRECTIE), kwargs=_verzoek_kwargs),
    "inzage:overhandigd": Rij(
        get=zichtbaar_voor(DIRECTIE),
        post=codes(404, directie=200),
        kwargs=_verzoek_kwargs,
    ),
}
