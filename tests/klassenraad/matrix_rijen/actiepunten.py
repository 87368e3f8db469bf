"""Role-matrix rows for action items.

An open action item about leerling_a owned by a teacher of 3A
(`leerkracht`): its owner and the school's care team see and complete it;
anyone else, the CLB and other teachers of the student included, gets 404.
Everyone logged in has a list of their own. An empty POST to complete
re-shows the item with the form's errors: 200."""

from tests.klassenraad import factories as kf
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

EIGENAAR_EN_ZORGTEAM = ZORGTEAM_SCHOOL1 | {"leerkracht"}


def _actiepunt(w):
    o = kf.overleg(w)
    kf.agendapunt(o, w.leerling_a)
    return {"pk": kf.actiepunt(o, w.leerling_a, w.leerkracht).pk}


RIJEN: dict[str, Rij] = {
    "klassenraad:actiepunt_lijst": Rij(get=codes(200)),
    "klassenraad:actiepunt_detail": Rij(
        get=zichtbaar_voor(EIGENAAR_EN_ZORGTEAM), kwargs=_actiepunt
    ),
    "klassenraad:actiepunt_afhandelen": Rij(
        get=codes(405),
        post=zichtbaar_voor(EIGENAAR_EN_ZORGTEAM),
        kwargs=_actiepunt,
    ),
}
