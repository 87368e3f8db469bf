import datetime

import factory
from factory.django import DjangoModelFactory
from faker import Faker

from leerlingen.models import Inschrijving, Klas, Leerling, Lesopdracht, Ouder, Vak, Zorgfase
from zorg.accounts.models import (
    CLB,
    CLBMedewerker,
    Lidmaatschap,
    School,
    Schooljaar,
    SchoolType,
    User,
)
from zorg.meldingen.models import Melding

WACHTWOORD = "geheim-wachtwoord-123"

# The names of the fixed students in tests/conftest.py and the tests: a
# generated person never gets one, so "this name is not on the page" cannot
# pass or fail because of a random staff member called Peeters.
VASTE_VOORNAMEN = frozenset({"Lotte", "Noah", "Mila", "Jana", "Ruben", "Ada"})
VASTE_ACHTERNAMEN = frozenset({"Peeters", "Janssens", "Aerts"})


_FAKER = Faker("nl_BE")


def _naam(soort: str, vast: frozenset):
    """A Belgian first or last name from Faker, never one of `vast`."""

    def kies():
        while True:
            naam = getattr(_FAKER, soort)()
            if naam not in vast:
                return naam

    return factory.LazyFunction(kies)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@school.example")
    first_name = _naam("first_name", VASTE_VOORNAMEN)
    last_name = _naam("last_name", VASTE_ACHTERNAMEN)
    password = factory.django.Password(WACHTWOORD)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    naam = factory.Sequence(lambda n: f"School {n}")
    instellingsnummer = factory.Sequence(lambda n: f"{100000 + n}")
    schooltype = SchoolType.SECUNDAIR


class SchooljaarFactory(DjangoModelFactory):
    class Meta:
        model = Schooljaar

    school = factory.SubFactory(SchoolFactory)
    naam = "2026-2027"
    begin = datetime.date(2026, 9, 1)
    einde = datetime.date(2027, 6, 30)
    is_huidig = True


class LidmaatschapFactory(DjangoModelFactory):
    class Meta:
        model = Lidmaatschap

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    rol = "leerkracht"


class KlasFactory(DjangoModelFactory):
    class Meta:
        model = Klas

    schooljaar = factory.SubFactory(SchooljaarFactory)
    naam = factory.Sequence(lambda n: f"{n % 6 + 1}{chr(65 + n % 26)}{n}")
    leerjaar = 3


class VakFactory(DjangoModelFactory):
    class Meta:
        model = Vak
        django_get_or_create = ("school", "naam")

    school = factory.SubFactory(SchoolFactory)
    naam = "Wiskunde"


class LesopdrachtFactory(DjangoModelFactory):
    class Meta:
        model = Lesopdracht

    leerkracht = factory.SubFactory(UserFactory)
    klas = factory.SubFactory(KlasFactory)
    vak = factory.SubFactory(VakFactory, school=factory.SelfAttribute("..klas.schooljaar.school"))


class LeerlingFactory(DjangoModelFactory):
    class Meta:
        model = Leerling

    school = factory.SubFactory(SchoolFactory)
    leerlingnummer = factory.Sequence(lambda n: f"L{n:05d}")
    voornaam = _naam("first_name", VASTE_VOORNAMEN)
    achternaam = _naam("last_name", VASTE_ACHTERNAMEN)
    geboortedatum = datetime.date(2012, 5, 17)
    zorgfase = factory.LazyAttribute(
        lambda o: Zorgfase.objects.get(schooltype=o.school.schooltype, nummer=0)
    )


class InschrijvingFactory(DjangoModelFactory):
    class Meta:
        model = Inschrijving

    leerling = factory.SubFactory(LeerlingFactory)
    klas = factory.SubFactory(KlasFactory)
    begin = datetime.date(2026, 9, 1)


class OuderFactory(DjangoModelFactory):
    class Meta:
        model = Ouder

    leerling = factory.SubFactory(LeerlingFactory)
    naam = factory.Faker("name", locale="nl_BE")
    relatie = "moeder"
    telefoon = "0470 12 34 56"
    email = factory.Sequence(lambda n: f"ouder{n}@ouders.example")


class CLBFactory(DjangoModelFactory):
    class Meta:
        model = CLB

    naam = factory.Sequence(lambda n: f"CLB {n}")


class CLBMedewerkerFactory(DjangoModelFactory):
    class Meta:
        model = CLBMedewerker

    user = factory.SubFactory(UserFactory)
    clb = factory.SubFactory(CLBFactory)


class MeldingFactory(DjangoModelFactory):
    class Meta:
        model = Melding

    ontvanger = factory.SubFactory(UserFactory)
    titel = "Testmelding"
    link = "/"


def leerling_in(klas, **kwargs) -> Leerling:
    """A student enrolled (open enrolment) in `klas`, of that class's school."""
    leerling = LeerlingFactory(school=klas.schooljaar.school, **kwargs)
    InschrijvingFactory(leerling=leerling, klas=klas, begin=klas.schooljaar.begin)
    return leerling
