"""The demo's absences: the secretariat of the secondary school recorded,
through the real service, the last school days of one class, with two
students at the threshold of problematic half days: one just over it (so
the care coordinator and the CLB were told, and the student waits for the
next care cell) and one a half day below it. The days are school days by
the school's calendar, before today and in the current school year."""

from __future__ import annotations

import uuid

from django.utils import timezone

from leerlingen.models import AfwezigheidCode, Dagdeel, Inschrijving, Klas
from leerlingen.services.afwezigheden import (
    afwezigheden_klasdag_registreren,
    klasdag_afwezigheden,
)
from zorg.accounts.kalender import schoolkalender
from zorg.accounts.models import Lidmaatschap, Rol, schooljaar_begin

VM, NM = Dagdeel.VOORMIDDAG, Dagdeel.NAMIDDAG


def afwezigheden_vullen(*, secretariaat_email: str) -> int:
    """Returns the number of half days recorded."""
    lid = (
        Lidmaatschap.objects.filter(
            user__email=secretariaat_email, rol=Rol.SECRETARIAAT, actief=True
        )
        .select_related("user", "school")
        .first()
    )
    if lid is None:
        return 0
    school, door = lid.school, lid.user
    klas = (
        Klas.objects.filter(schooljaar__school=school, schooljaar__is_huidig=True)
        .order_by("leerjaar", "naam")
        .first()
    )
    if klas is None:
        return 0
    leerlingen = list(
        Inschrijving.objects.actief()
        .filter(klas=klas)
        .order_by("leerling__achternaam", "leerling__voornaam")
        .values_list("leerling_id", flat=True)
    )
    if len(leerlingen) < 3:
        return 0
    vandaag = timezone.localdate()
    kalender = schoolkalender(school.pk)
    drempel = school.afwezigheid_drempel
    # Whole problematic days for the one over the threshold, and enough
    # school days of this school year for them.
    nodig = (drempel + 1) // 2 + 1
    dagen = []
    dag = vandaag
    while len(dagen) < nodig:
        dag = kalender.schooldagen_eerder(dag, 1)
        if schooljaar_begin(dag) != schooljaar_begin(vandaag):
            break
        dagen.append(dag)
    if not dagen:
        return 0
    over, bijna, gewettigd = leerlingen[:3]
    teller = 0
    # Half days to give: (student, code), spread over the days, oldest first.
    plan = {
        over: [AfwezigheidCode.ONGEWETTIGD] * (drempel + 1),
        bijna: [AfwezigheidCode.PROBLEMATISCH] * (drempel - 1),
        gewettigd: [AfwezigheidCode.ATTEST] * 2,
    }
    for i, datum in enumerate(reversed(dagen)):
        keuzes = {}
        for leerling_id, codes in plan.items():
            for j, dagdeel in enumerate((VM, NM)):
                if 2 * i + j < len(codes):
                    keuzes[(leerling_id, dagdeel)] = codes[2 * i + j]
        if not keuzes:
            continue
        gezien = {cel: a.versie for cel, a in klasdag_afwezigheden(klas, datum).items()}
        uitkomst, _nieuw = afwezigheden_klasdag_registreren(
            klas=klas, datum=datum, door=door, keuzes=keuzes, gezien=gezien, sleutel=uuid.uuid4()
        )
        teller += uitkomst.aantal
    return teller
