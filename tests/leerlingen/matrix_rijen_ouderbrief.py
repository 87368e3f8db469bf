"""Role-matrix rows of the parent letter (leerlingen.views.ouderbrieven) and
of the CLB's side of what parents are told (clb.views.ouders).

The care team of school 1 (care coordinator, director) previews, informs
and records the response; an empty POST shows the form again with its
errors (200). A letter is read by the care team only; the class teacher,
a subject teacher, the secretariat and the administrator get 404,
and so does the CLB worker, who does not reach leerling_a in the matrix
world (tests/clb/test_bereik.py style: with a referral they would)."""

import datetime

from clb.models import Laag, Trajectnotitie
from leerlingen.models import Leerling
from leerlingen.services.ouderbrieven import ouderbrief_maken
from tests.clb.factories import notitie, traject
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

LEEST_BRIEF = ZORGTEAM_SCHOOL1
CLB = {"clb"}


def _brief(w):
    brief = ouderbrief_maken(
        leerling=w.leerling_a, geinformeerd_op=datetime.date.today(), door=w.zorgcoordinator
    )
    return {"pk": w.leerling_a.pk, "brief_pk": brief.pk}


def _traject_van_twaalfjarige(w):
    Leerling.objects.filter(pk=w.leerling_a.pk).update(geboortedatum=datetime.date(2010, 1, 1))
    return {"pk": traject(w, begeleider=w.users["clb"]).pk}


def _gedeelde_notitie(w):
    t = traject(w, begeleider=w.users["clb"])
    n = notitie(t, w.users["clb"], laag=Laag.GEDEELD, soort=Trajectnotitie.Soort.ADVIES)
    return {"pk": t.pk, "notitie": n.pk}


RIJEN: dict[str, Rij] = {
    "leerlingen:ouderbrief_nieuw": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.leerling_a.pk},
    ),
    "leerlingen:ouderbrief_detail": Rij(get=zichtbaar_voor(LEEST_BRIEF), kwargs=_brief),
    "leerlingen:ouderbrief_reactie": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_brief,
    ),
    # The CLB worker of the trajectory's CLB only; an empty POST is refused
    # with a message (200).
    "clb:ouderinzage": Rij(
        get=zichtbaar_voor(CLB), post=zichtbaar_voor(CLB), kwargs=_traject_van_twaalfjarige
    ),
    # POST only; an empty POST (no choice) is refused back to the trajectory (302).
    "clb:notitie_ouders_delen": Rij(
        get=codes(405), post=codes(404, clb=302), kwargs=_gedeelde_notitie
    ),
}
