"""Role-matrix rows of what the school sees of the CLB's work (part E).

The trajectory page of leerling_a (who has a trajectory of the school's CLB,
so the CLB worker reaches her): whoever reads her care (the teachers of 3A,
the care team) and the CLB worker; 404 for the secretariat, the
administrator, other teachers, another CLB and other schools. GET only.

The written consultation: leerling_a in phase 1, on a care cell the CLB
worker attends (so in their reach): only that worker; an empty POST shows
the form again with its errors (200)."""

from django.utils import timezone

from leerlingen.models import Zorgfase
from tests.clb.factories import traject
from tests.klassenraad.factories import agendapunt, overleg
from tests.matrix import ZIET_ZORG_LEERLING_A, Rij, zichtbaar_voor


def _met_traject(w):
    traject(w, begeleider=w.users["clb"])
    return {"pk": w.leerling_a.pk}


def _fase_1_op_de_cel(w):
    fase_1 = Zorgfase.objects.get(schooltype=w.school.schooltype, soort=Zorgfase.Soort.VERHOOGD)
    w.leerling_a.zorgfase = fase_1
    w.leerling_a.save(update_fields=["zorgfase"])
    cel = overleg(w, moment=timezone.now())
    cel.deelnemers.add(w.users["clb"])
    agendapunt(cel, w.leerling_a)
    return {"pk": w.leerling_a.pk}


RIJEN: dict[str, Rij] = {
    "clb:traject_school": Rij(
        get=zichtbaar_voor(ZIET_ZORG_LEERLING_A | {"clb"}),
        kwargs=_met_traject,
    ),
    "clb:consultatie_nieuw": Rij(
        get=zichtbaar_voor({"clb"}),
        post=zichtbaar_voor({"clb"}),
        kwargs=_fase_1_op_de_cel,
    ),
}
