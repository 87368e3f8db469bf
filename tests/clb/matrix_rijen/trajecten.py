"""Role-matrix rows of the CLB's own side (part D): referrals, the HGD
trajectory with both layers, closing.

Only CLB staff reach these pages, and only for their CLB. The two lists are
every CLB worker's own (the other CLB's worker sees an empty list of their
own CLB: 200); a referral or trajectory of school 1 opens only for the
worker of the CLB serving it ("clb"); everyone else, school staff included,
gets 404. An empty POST shows the form again with its errors (200); the
layer switch is POST only and shows its refusal (200)."""

from leerlingen.models import Aanmelding
from tests.clb.factories import aanmelding, doel, traject
from tests.matrix import Rij, codes, zichtbaar_voor

CLB = {"clb"}
CLB_MEDEWERKERS = {"clb", "clb_ander"}


def _aanmelding(w):
    a = aanmelding(w.leerling_a, w.zorgcoordinator, status=Aanmelding.Status.OPEN)
    return {"pk": a.pk}


def _traject(w):
    return {"pk": traject(w, begeleider=w.users["clb"]).pk}


def _doel(w):
    t = traject(w, begeleider=w.users["clb"])
    return {"pk": t.pk, "doel": doel(t, w.users["clb"]).pk}


def _formulier(kwargs) -> Rij:
    return Rij(get=zichtbaar_voor(CLB), post=zichtbaar_voor(CLB), kwargs=kwargs)


RIJEN: dict[str, Rij] = {
    "clb:aanmelding_lijst": Rij(get=zichtbaar_voor(CLB_MEDEWERKERS)),
    "clb:aanmelding_aanvaarden": _formulier(_aanmelding),
    "clb:traject_lijst": Rij(get=zichtbaar_voor(CLB_MEDEWERKERS)),
    "clb:traject_detail": Rij(get=zichtbaar_voor(CLB), kwargs=_traject),
    "clb:traject_bewerken": _formulier(_traject),
    "clb:doel_nieuw": _formulier(_traject),
    "clb:doel_bewerken": _formulier(_doel),
    "clb:behoefte_nieuw": _formulier(_traject),
    "clb:notitie_nieuw": _formulier(_traject),
    "clb:betrokkene_nieuw": _formulier(_traject),
    "clb:laag_wijzigen": Rij(get=codes(405), post=zichtbaar_voor(CLB), kwargs=_traject),
    "clb:traject_afsluiten": _formulier(_traject),
}
