"""What the access-request tests share: a request made through the service."""

import datetime

from django.utils import timezone

from inzage.models import Inzageverzoek
from inzage.services import inzageverzoek_registreren


def verzoek(w, leerling=None, *, ontvangen_op: datetime.date | None = None, **velden):
    return inzageverzoek_registreren(
        leerling=leerling or w.leerling_a,
        aanvrager=velden.pop("aanvrager", Inzageverzoek.Aanvrager.OUDER),
        aanvrager_naam=velden.pop("aanvrager_naam", "Sofie Peeters"),
        ontvangen_op=ontvangen_op or timezone.localdate(),
        door=w.users["directie"],
    )
