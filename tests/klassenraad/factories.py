"""Meetings, agenda items, requests and action items for the meeting tests,
made directly (not through the services, which the tests exercise)."""

import datetime

from django.utils import timezone

from klassenraad.models import (
    Actiepunt,
    Agendapunt,
    Bespreekvraag,
    Overleg,
    OverlegSoort,
)


def overleg(w, soort=OverlegSoort.CEL, *, klas=None, dagen=0, **velden) -> Overleg:
    """A meeting of school 1 chaired by its care coordinator, `dagen` from
    now (negative: in the past). Class councils default to class 3A."""
    if soort in (OverlegSoort.PORTRET, OverlegSoort.BEGELEIDEND) and klas is None:
        klas = w.klas_a
    velden.setdefault("school", w.school)
    velden.setdefault("voorzitter", w.zorgcoordinator)
    velden.setdefault("aangemaakt_door", w.zorgcoordinator)
    velden.setdefault("moment", timezone.now() + datetime.timedelta(days=dagen))
    return Overleg.objects.create(soort=soort, klas=klas, **velden)


def agendapunt(o: Overleg, leerling, **velden) -> Agendapunt:
    velden.setdefault("toegevoegd_door", o.voorzitter)
    return Agendapunt.objects.create(overleg=o, leerling=leerling, **velden)


def bespreekvraag(leerling, door, waar=Bespreekvraag.Waar.CEL, **velden) -> Bespreekvraag:
    velden.setdefault("reden", "Trekt zich terug in de klas.")
    return Bespreekvraag.objects.create(leerling=leerling, gevraagd_door=door, waar=waar, **velden)


def actiepunt(o: Overleg, leerling, eigenaar, *, dagen=7, **velden) -> Actiepunt:
    """An open action item due `dagen` from today (negative: overdue)."""
    velden.setdefault("omschrijving", "Ouders opbellen over de afspraken.")
    return Actiepunt.objects.create(
        overleg=o,
        leerling=leerling,
        eigenaar=eigenaar,
        vervaldatum=timezone.localdate() + datetime.timedelta(days=dagen),
        **velden,
    )
