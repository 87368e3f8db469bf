"""Role-matrix rows of the retention pages (issue 18): the rules, the dry
run and the holds are the care team's of school 1 (care coordinator,
director). The secretariat and the administrator see no care content, so
they get the 404 of a school that does not exist, as everyone else does.
An empty POST to the hold form shows it again with its errors (200); one
to the button that ends a hold goes back with a message (302)."""

import datetime

from django.utils import timezone

from bewaring.models import Opschorting
from tests.matrix import ZORGTEAM_SCHOOL1, Rij, codes, zichtbaar_voor


def _school(w):
    return {"pk": w.school.pk}


def _opschorting(w):
    opschorting = Opschorting.objects.create(
        leerling=w.leerling_a,
        reden="Beroep tegen een beslissing",
        tot=timezone.localdate() + datetime.timedelta(days=60),
        door=w.directie,
    )
    return {"pk": opschorting.pk}


RIJEN: dict[str, Rij] = {
    "bewaring:regels": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1), kwargs=_school),
    "bewaring:vooruitblik": Rij(get=zichtbaar_voor(ZORGTEAM_SCHOOL1), kwargs=_school),
    "bewaring:opschorten": Rij(
        get=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        post=zichtbaar_voor(ZORGTEAM_SCHOOL1),
        kwargs=lambda w: {"pk": w.school.pk, "leerling_pk": w.leerling_a.pk},
    ),
    "bewaring:opschorting_beeindigen": Rij(
        get=codes(405),
        post=codes(404, zorgcoordinator=302, directie=302),
        kwargs=_opschorting,
    ),
}
