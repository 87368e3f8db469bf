import datetime

import factory
import factory.random
from django.utils import timezone
from factory.django import DjangoModelFactory
from faker.providers.person.nl_BE import Provider as NlBePersoon

from leerlingen.models import Inschrijving, Klas, Leerling, Lesopdracht, Ouder, Vak, Zorgfase
from zorg.accounts.models import (
    CLB,
    CLBMedewerker,
    Lidmaatschap,
    School,
    Schooljaar,
    SchoolType,
    User,
    schooljaar_begin,
)
from zorg.meldingen.models import Melding

WACHTWOORD = "geheim-wachtwoord-123"

# The names the tests give their fixed people (tests/conftest.py's world and
# the tests themselves: `voornaam="..."`, `achternaam="..."`, `first_name=`,
# `last_name=`, a guardian's `naam=`). tests/test_factories.py keeps this
# list complete. A generated person never gets a name that contains one of
# them, so "Maes is not on this page" cannot pass or fail because a random
# teacher or parent is called Maes, Claessens or Charlotte.
VASTE_NAMEN = frozenset(
    {
        # first names
        "Ada", "An", "Anas", "Arne", "Bart", "Bo", "Bram", "Cas", "Chloé", "Cis", "Dirk", "Emma",
        "Eva", "Finn", "Greet", "Ilias", "Jan", "Jana", "Jonas", "Jules", "Kim", "Lars", "Lien",
        "Lotte", "Mila", "Noah", "Noor", "Olaf", "Oscar", "Pieter", "Rik", "Ruben", "Sam", "Sofie",
        "Yasmine", "Zeger", "Zenobia",
        # last names
        "Actie", "Actiepunt", "Aerts", "Afgesloten", "Binnen", "Bosmans", "Bouzid", "Buiten", "Cel",
        "Claes", "Clb", "De Wit", "December", "Evaluatie", "Gevraagd", "Gewijzigd", "Janssens",
        "Juni", "Klassenraad", "Later", "Maes", "Opvolging", "Oud", "Patroon", "Peeters", "Rood",
        "Signaal", "Test", "Vanderzwalm", "Vermeulen", "Weg", "Wouters", "Xylofoon", "Zoekmans",
    }
)  # fmt: skip


def _vrij(namen) -> tuple[str, ...]:
    """`namen` without those that contain a fixed name."""
    return tuple(sorted(n for n in namen if not any(vast in n for vast in VASTE_NAMEN)))


# The pools generated names come from: Faker's Belgian (nl_BE) names.
VOORNAMEN = _vrij(NlBePersoon.first_names)
ACHTERNAMEN = _vrij(NlBePersoon.last_names)


def _naam(pool: tuple[str, ...]):
    """A name from `pool`, drawn with factory_boy's random generator (which
    tests/conftest.py seeds per test)."""
    return factory.LazyFunction(lambda: factory.random.randgen.choice(pool))


def _volledige_naam():
    return factory.LazyFunction(
        lambda: (
            f"{factory.random.randgen.choice(VOORNAMEN)} "
            f"{factory.random.randgen.choice(ACHTERNAMEN)}"
        )
    )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"gebruiker{n}@school.example")
    first_name = _naam(VOORNAMEN)
    last_name = _naam(ACHTERNAMEN)
    password = factory.django.Password(WACHTWOORD)


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School

    naam = factory.Sequence(lambda n: f"School {n}")
    instellingsnummer = factory.Sequence(lambda n: f"{100000 + n}")
    schooltype = SchoolType.SECUNDAIR


def huidig_schooljaar_begin() -> datetime.date:
    """1 September of the school year today (in the school's time zone) falls
    in: the test world's current school year follows the clock the tests run
    on (see ZORG_TEST_DATUM in tests/conftest.py), so no test passes only in
    the months a fixed year happens to cover."""
    return schooljaar_begin(timezone.localdate())


class SchooljaarFactory(DjangoModelFactory):
    """By default the current school year, the one containing today. Like the
    demo, a school year ends on 31 August: in the summer the current school
    year is the one that is ending."""

    class Meta:
        model = Schooljaar

    school = factory.SubFactory(SchoolFactory)
    naam = factory.LazyAttribute(lambda o: f"{o.begin.year}-{o.begin.year + 1}")
    begin = factory.LazyFunction(huidig_schooljaar_begin)
    einde = factory.LazyAttribute(lambda o: datetime.date(o.begin.year + 1, 8, 31))
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
    voornaam = _naam(VOORNAMEN)
    achternaam = _naam(ACHTERNAMEN)
    geboortedatum = datetime.date(2012, 5, 17)
    zorgfase = factory.LazyAttribute(
        lambda o: Zorgfase.objects.get(schooltype=o.school.schooltype, nummer=0)
    )


class InschrijvingFactory(DjangoModelFactory):
    class Meta:
        model = Inschrijving

    leerling = factory.SubFactory(LeerlingFactory)
    klas = factory.SubFactory(KlasFactory)
    begin = factory.LazyAttribute(lambda o: o.klas.schooljaar.begin)


class OuderFactory(DjangoModelFactory):
    class Meta:
        model = Ouder

    leerling = factory.SubFactory(LeerlingFactory)
    naam = _volledige_naam()
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
