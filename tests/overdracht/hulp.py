"""Transfers in a given state, through the services, for the tests."""

import datetime

from django.utils import timezone

from overdracht import services
from overdracht.models import Overdracht


def voorbereid(w, leerling=None, **velden) -> Overdracht:
    velden.setdefault("school_naam", "Atheneum Zoekmans")
    velden.setdefault("school_instellingsnummer", "123456")
    velden.setdefault("school_adres", "Schoolstraat 1, 9000 Gent")
    return services.overdracht_voorbereiden(
        leerling=leerling or w.leerling_a, door=w.zorgcoordinator, **velden
    )


def geinformeerd(w, o: Overdracht, op: datetime.date | None = None) -> Overdracht:
    return services.overdracht_ouders_informeren(
        overdracht=o,
        versie=o.versie,
        geinformeerd_op=op or timezone.localdate(),
        door=w.zorgcoordinator,
    )


def zonder_bezwaar(w, o: Overdracht) -> Overdracht:
    return services.overdracht_reactie_vastleggen(
        overdracht=o,
        versie=o.versie,
        bezwaar=False,
        op=timezone.localdate(),
        door=w.zorgcoordinator,
    )


def vrijgegeven(w, leerling=None, **velden) -> Overdracht:
    o = zonder_bezwaar(w, geinformeerd(w, voorbereid(w, leerling, **velden)))
    return services.overdracht_vrijgeven(overdracht=o, versie=o.versie, door=w.zorgcoordinator)
