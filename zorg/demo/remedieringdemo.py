"""The demo's remediation and differentiation: the subject teacher's first
class, through the real service, so the class tab, the student section and
the timeline have something to show. Three forms: the whole class (the class
level first), a group of three, and one student whose form is closed with
its aim achieved. Dates follow today and stay inside the school year: in the
summer before a year begins, the forms are planned for its first day and
none is closed yet."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from leerlingen.models import Lesopdracht, Remediering
from leerlingen.services.remediering import (
    RemedieringGegevens,
    remediering_afsluiten,
    remediering_maken,
)
from zorg.accounts.models import User

Status = Remediering.Status


@transaction.atomic
def remedieringen_vullen(*, leerkracht_email: str, vandaag: datetime.date | None = None) -> int:
    vandaag = vandaag or timezone.localdate()
    leerkracht = User.objects.filter(email=leerkracht_email).first()
    opdracht = (
        Lesopdracht.objects.filter(leerkracht=leerkracht, klas__schooljaar__is_huidig=True)
        .select_related("klas__schooljaar", "vak")
        .order_by("klas__leerjaar", "klas__naam", "pk")
        .first()
        if leerkracht
        else None
    )
    if opdracht is None:
        return 0
    klas, vak = opdracht.klas, opdracht.vak
    leerlingen = klas.huidige_leerlingen()
    if len(leerlingen) < 4:
        return 0
    jaarbegin = klas.schooljaar.begin

    def start(dagen_geleden: int) -> datetime.date:
        return max(jaarbegin, vandaag - datetime.timedelta(days=dagen_geleden))

    def status(begin: datetime.date) -> str:
        return Status.LOPEND if begin <= vandaag else Status.GEPLAND

    gemaakt = []
    begin = start(14)
    gemaakt.append(
        remediering_maken(
            klas=klas,
            gegevens=RemedieringGegevens(
                vak=vak,
                niveau=Remediering.Niveau.KLAS,
                titel="Breuken herhalen met stappenplan",
                nood="Op de toets breuken haalde de helft van de klas minder dan de helft.",
                aanpak=Remediering.Aanpak.REMEDIERING,
                begin=begin,
                aantal_weken=6,
                moment="di 8e lesuur",
                status=status(begin),
            ),
            door=leerkracht,
        )
    )
    begin = start(7)
    gemaakt.append(
        remediering_maken(
            klas=klas,
            gegevens=RemedieringGegevens(
                vak=vak,
                niveau=Remediering.Niveau.GROEP,
                groep=tuple(leerlingen[1:4]),
                titel="Opdrachten op drie niveaus",
                nood="Drie leerlingen zijn sneller klaar en hebben uitdaging nodig.",
                aanpak=Remediering.Aanpak.DIFFERENTIATIE,
                begin=begin,
                aantal_sessies=8,
                status=status(begin),
            ),
            door=leerkracht,
        )
    )
    begin = start(42)
    eigen = remediering_maken(
        klas=klas,
        gegevens=RemedieringGegevens(
            vak=vak,
            niveau=Remediering.Niveau.LEERLING,
            leerling=leerlingen[0],
            titel="Extra oefenreeks vergelijkingen",
            nood="Maakt telkens dezelfde fout bij het overbrengen van termen.",
            aanpak=Remediering.Aanpak.EXTRA_OEFENING,
            begin=begin,
            einde=begin + datetime.timedelta(days=28),
            status=status(begin),
        ),
        door=leerkracht,
    )
    gemaakt.append(eigen)
    if begin < vandaag:
        remediering_afsluiten(
            remediering=eigen,
            versie=eigen.versie,
            resultaat=Remediering.Resultaat.BEREIKT,
            datum=min(vandaag, begin + datetime.timedelta(days=28)),
            notitie="Brengt termen nu correct over; toets vergelijkingen 7/10.",
            door=leerkracht,
        )
    return len(gemaakt)
