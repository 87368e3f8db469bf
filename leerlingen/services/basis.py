"""Writes about students. Each service records an audit event in the same
transaction as the change it describes."""

import datetime

from django.db import transaction

from zorg.accounts.models import School
from zorg.audit.models import Actie
from zorg.audit.services import audit_vastleggen

from ..models import Inschrijving, Klas, Leerling, Zorgfase


def startfase(schooltype: str) -> Zorgfase:
    """Every student starts in phase 0 of their school type's continuum."""
    return Zorgfase.objects.get(schooltype=schooltype, nummer=0)


@transaction.atomic
def leerling_inschrijven(
    *,
    school: School,
    klas: Klas,
    leerlingnummer: str,
    voornaam: str,
    achternaam: str,
    geboortedatum: datetime.date,
    begin: datetime.date,
    door,
) -> Leerling:
    if klas.schooljaar.school_id != school.pk:
        raise ValueError("The class belongs to another school")
    leerling = Leerling.objects.create(
        school=school,
        leerlingnummer=leerlingnummer,
        voornaam=voornaam,
        achternaam=achternaam,
        geboortedatum=geboortedatum,
        zorgfase=startfase(school.schooltype),
    )
    Inschrijving.objects.create(leerling=leerling, klas=klas, begin=begin)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.AANMAKEN,
        onderwerp="leerling",
        leerlingen=[leerling],
        object_id=leerling.pk,
        omschrijving=f"ingeschreven in {klas.naam}",
    )
    return leerling


@transaction.atomic
def klas_wijzigen(*, leerling: Leerling, klas: Klas, datum: datetime.date, door) -> Inschrijving:
    """Move a student to another class: the open enrolment ends the day
    before, a new one starts, and both stay in the history."""
    if klas.schooljaar.school_id != leerling.school_id:
        raise ValueError("The class belongs to another school")
    open_inschrijvingen = Inschrijving.objects.select_for_update(of=("self",)).filter(
        leerling=leerling, einde__isnull=True, klas__schooljaar=klas.schooljaar
    )
    for oud in open_inschrijvingen:
        oud.einde = max(oud.begin, datum - datetime.timedelta(days=1))
        oud.reden_einde = f"klaswissel naar {klas.naam}"
        oud.save(update_fields=["einde", "reden_einde"])
    nieuw = Inschrijving.objects.create(leerling=leerling, klas=klas, begin=datum)
    audit_vastleggen(
        gebruiker=door,
        actie=Actie.WIJZIGEN,
        onderwerp="inschrijving",
        leerlingen=[leerling],
        object_id=nieuw.pk,
        omschrijving=f"klaswissel naar {klas.naam}",
        velden=["klas"],
    )
    return nieuw
