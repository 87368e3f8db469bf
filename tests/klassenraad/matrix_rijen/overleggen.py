"""Role-matrix rows for meetings (part C): the list, planning, the meeting
page, minutes, notes, closing, amendments and the printable minutes.

The meeting is a guiding class council of 3A (school 1) with leerling_a on
its agenda: the care team of school 1 and the teachers of 3A see it; the
CLB does not (it sees care cells, and class councils only when it takes
part); the secretariat, the administrator and other schools see nothing.
Only the care team manages it. Teachers of the student add notes. An empty
POST re-shows a form with its errors (200); closing first shows the
confirmation (200); an amendment needs a closed meeting."""

from django.utils import timezone

from klassenraad.models import Overleg, OverlegSoort
from tests.klassenraad.factories import agendapunt, overleg
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor

KLASTEAM_EN_ZORGTEAM_3A = {"leerkracht", "titularis", "zorgcoordinator", "directie"}
PLANNERS = ZORGTEAM_SCHOOL1 | {"buitenstaander"}


def _klassenraad(w):
    o = overleg(w, OverlegSoort.BEGELEIDEND, dagen=1)
    agendapunt(o, w.leerling_a)
    return {"pk": o.pk}


def _punt(w):
    o = overleg(w, OverlegSoort.BEGELEIDEND, dagen=1)
    return {"pk": o.pk, "punt": agendapunt(o, w.leerling_a).pk}


def _afgesloten(w):
    kwargs = _klassenraad(w)
    Overleg.objects.filter(pk=kwargs["pk"]).update(
        status=Overleg.Status.AFGESLOTEN, afgesloten_op=timezone.now()
    )
    return kwargs


RIJEN: dict[str, Rij] = {
    "klassenraad:overleg_lijst": Rij(get=codes(200)),
    "klassenraad:overleg_nieuw": Rij(get=zichtbaar_voor(PLANNERS), post=zichtbaar_voor(PLANNERS)),
    # The year's portrait class councils at once: the care team of the school.
    "klassenraad:portretten_plannen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.school.pk},
    ),
    "klassenraad:overleg_detail": Rij(
        get=zichtbaar_voor(KLASTEAM_EN_ZORGTEAM_3A), kwargs=_klassenraad
    ),
    "klassenraad:overleg_bewerken": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_klassenraad,
    ),
    "klassenraad:overleg_starten": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_klassenraad,
    ),
    "klassenraad:overleg_afsluiten": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=_klassenraad,
    ),
    "klassenraad:overleg_notulen": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=_klassenraad,
    ),
    "klassenraad:agendapunt_notities": Rij(
        get=zichtbaar_voor(KLASTEAM_EN_ZORGTEAM_3A),
        post=zichtbaar_voor(KLASTEAM_EN_ZORGTEAM_3A),
        kwargs=_punt,
    ),
    "klassenraad:overleg_aanvulling": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=200, directie=200),
        kwargs=_afgesloten,
    ),
    "klassenraad:overleg_verslag": Rij(
        get=zichtbaar_voor(KLASTEAM_EN_ZORGTEAM_3A), kwargs=_klassenraad
    ),
}
