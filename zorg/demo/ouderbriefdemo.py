"""The demo's parent letter, written through the real services: in the
first school with a care coordinator, the first student with a measure in
force gets a dispensation that needs the parents' agreement, a letter that
asks for it, and the parents' answer "akkoord met opmerkingen", which gives
the measure its agreement. Deterministic for a date."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from leerlingen import domeinen
from leerlingen.models import Bereik, Maatregel, MaatregelSoort, Ouderbrief
from leerlingen.services.maatregelen import MaatregelGegevens, maatregel_maken
from leerlingen.services.ouderbrieven import ouderbrief_maken, ouderbrief_reactie_vastleggen
from zorg.accounts.models import Rol, School

from .leden import eerste_met_rol

DAG = datetime.timedelta(days=1)


def ouderbrieven_vullen(*, vandaag: datetime.date | None = None) -> int:
    """The number of letters written (0 or 1)."""
    vandaag = vandaag or timezone.localdate()
    for school in School.objects.order_by("pk"):
        coordinator = eerste_met_rol(school, Rol.ZORGCOORDINATOR)
        if coordinator is None:
            continue
        maatregel = (
            Maatregel.objects.actief(vandaag - 14 * DAG)
            .filter(leerling__school=school)
            .select_related("leerling")
            .order_by("leerling_id", "pk")
            .first()
        )
        if maatregel is None:
            continue
        with transaction.atomic():
            _brief(maatregel.leerling, coordinator, vandaag)
        return 1
    return 0


def _brief(leerling, coordinator, vandaag: datetime.date) -> Ouderbrief:
    begin = vandaag - 14 * DAG
    maatregel_maken(
        leerling=leerling,
        gegevens=MaatregelGegevens(
            soort=MaatregelSoort.DISPENSEREND,
            titel="Dispensatie voor spelling bij Frans",
            ouderomschrijving=(
                "Bij Frans tellen spelfouten niet mee, zodat de leerkracht kan zien wat "
                "uw kind echt kent."
            ),
            akkoord_nodig=True,
            domeinen=domeinen.LEREN,
            bereik=Bereik.ALLE_VAKKEN,
            begin=begin,
            evaluatiedatum=vandaag + 42 * DAG,
            beslist_waar="Begeleidende klassenraad",
            status=Maatregel.Status.ACTIEF,
        ),
        door=coordinator,
    )
    brief = ouderbrief_maken(leerling=leerling, geinformeerd_op=vandaag - 7 * DAG, door=coordinator)
    return ouderbrief_reactie_vastleggen(
        brief=brief,
        versie=brief.versie,
        reactie=Ouderbrief.Reactie.AKKOORD_OPMERKINGEN,
        opmerking="We willen graag na de kerstexamens horen of het helpt.",
        reactie_op=vandaag - 3 * DAG,
        door=coordinator,
    )
