"""The demo's life of a care record (issue 18), written through the real
services: in the secondary school, a parent's access request received 25
calendar days ago (so the director's start page shows
its deadline coming), and a transfer to another school being prepared by
the care coordinator. Retention needs no rows: its rules page and its dry
run read the students as they are. Deterministic for a date."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from inzage.models import Inzageverzoek
from inzage.services import inzageverzoek_registreren
from leerlingen.models import Leerling
from overdracht.services import overdracht_voorbereiden
from zorg.accounts.models import Lidmaatschap, Rol

from .leden import eerste_met_rol

DAG = datetime.timedelta(days=1)


def levensloop_vullen(*, directie_email: str, vandaag: datetime.date | None = None) -> int:
    """An access request and a transfer in the school of the director with
    `directie_email`; the number of rows written (0 when the school lacks a
    care coordinator or four students)."""
    vandaag = vandaag or timezone.localdate()
    lid = (
        Lidmaatschap.objects.filter(user__email=directie_email, rol=Rol.DIRECTIE, actief=True)
        .select_related("user", "school")
        .first()
    )
    if lid is None:
        return 0
    school, directie = lid.school, lid.user
    coordinator = eerste_met_rol(school, Rol.ZORGCOORDINATOR)
    leerlingen = list(Leerling.objects.filter(school=school).ingeschreven().order_by("pk")[:4])
    if coordinator is None or len(leerlingen) < 4:
        return 0
    vraagt, vertrekt = leerlingen[2], leerlingen[3]
    ouder = vraagt.ouders.order_by("pk").first()
    with transaction.atomic():
        inzageverzoek_registreren(
            leerling=vraagt,
            aanvrager=Inzageverzoek.Aanvrager.OUDER,
            aanvrager_naam=ouder.naam if ouder else "Ouder van " + vraagt.voornaam,
            ontvangen_op=vandaag - 25 * DAG,
            door=directie,
        )
        overdracht_voorbereiden(
            leerling=vertrekt,
            school_naam="Sint-Lodewijkscollege",
            school_adres="Magdalenastraat 30, 8200 Brugge",
            door=coordinator,
        )
    return 2
