"""Factories for talks: rows only, without the timeline entry or the audit
event the service writes (tests of those call the service)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from leerlingen import domeinen
from leerlingen.models import Gesprek, Zichtbaarheid
from tests.factories import LeerlingFactory, UserFactory


class GesprekFactory(DjangoModelFactory):
    class Meta:
        model = Gesprek

    leerling = factory.SubFactory(LeerlingFactory)
    door = factory.SubFactory(UserFactory)
    datum = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=2))
    soort = Gesprek.Soort.OUDERS
    deelnemers = "mama, klastitularis"
    samenvatting = factory.Sequence(lambda n: f"Gesprek {n}: het gaat beter met de planning.")
    afspraken = ""
    domeinen = domeinen.LEREN
    zichtbaarheid = Zichtbaarheid.ZORGTEAM
