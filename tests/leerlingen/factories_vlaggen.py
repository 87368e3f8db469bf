"""Factories for behaviour flags: rows only, without the timeline entries,
audit event, notifications or signals the service writes (tests of those
call the service)."""

import datetime
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from leerlingen.models import Vlag, VlagBetrokkene, VlagKleur, VlagOpvolging
from tests.factories import KlasFactory, UserFactory


class VlagFactory(DjangoModelFactory):
    class Meta:
        model = Vlag

    klas = factory.SubFactory(KlasFactory)
    school = factory.LazyAttribute(lambda o: o.klas.schooljaar.school)
    kleur = VlagKleur.GEEL
    moment = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    omschrijving = factory.Sequence(lambda n: f"Voorval {n}: praat voortdurend door de uitleg.")
    gemeld_door = factory.SubFactory(UserFactory)
    sleutel = factory.LazyFunction(uuid.uuid4)


class VlagBetrokkeneFactory(DjangoModelFactory):
    class Meta:
        model = VlagBetrokkene

    vlag = factory.SubFactory(VlagFactory)
    leerling = factory.SubFactory("tests.factories.LeerlingFactory")
    rol = VlagBetrokkene.Rol.BETROKKEN


class VlagOpvolgingFactory(DjangoModelFactory):
    class Meta:
        model = VlagOpvolging

    vlag = factory.SubFactory(VlagFactory)
    soort = VlagOpvolging.Soort.HERSTELGESPREK
    datum = factory.LazyFunction(timezone.localdate)
    notities = "Herstelgesprek na de les."
    door = factory.SubFactory(UserFactory)


def vlag_met(*leerlingen, **kwargs) -> Vlag:
    """A flag with these students involved (role betrokken)."""
    vlag = VlagFactory(**kwargs)
    for leerling in leerlingen:
        VlagBetrokkeneFactory(vlag=vlag, leerling=leerling)
    return vlag
