"""Factories for observations: rows only, without the timeline entry or the
audit event the service writes (tests of those call the service)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from leerlingen import domeinen
from leerlingen.models import Observatie, ObservatieSoort, Zichtbaarheid
from tests.factories import LeerlingFactory, UserFactory


class ObservatieFactory(DjangoModelFactory):
    class Meta:
        model = Observatie

    leerling = factory.SubFactory(LeerlingFactory)
    auteur = factory.SubFactory(UserFactory)
    datum = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=1))
    domeinen = domeinen.LEREN
    soort = ObservatieSoort.ZORG
    tekst = factory.Sequence(lambda n: f"Observatie {n}: vergeet vaak zijn huiswerk.")
    zichtbaarheid = Zichtbaarheid.KLASTEAM
