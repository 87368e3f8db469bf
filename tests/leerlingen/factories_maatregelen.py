"""Factories for the measures part (maatregelen)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from leerlingen import domeinen
from leerlingen.models import Bereik, Maatregel, MaatregelCatalogusItem, MaatregelSoort
from tests import factories as f

VANDAAG = datetime.date.today()


class MaatregelFactory(DjangoModelFactory):
    """An active measure for all subjects, in force since a month."""

    class Meta:
        model = Maatregel
        skip_postgeneration_save = True

    leerling = factory.SubFactory(f.LeerlingFactory)
    soort = MaatregelSoort.COMPENSEREND
    titel = factory.Sequence(lambda n: f"Maatregel {n}")
    omschrijving = "Extra tijd bij toetsen: een kwartier."
    domeinen = domeinen.LEREN
    bereik = Bereik.ALLE_VAKKEN
    begin = VANDAAG - datetime.timedelta(days=30)
    evaluatiedatum = VANDAAG + datetime.timedelta(days=60)
    # Not moved, unless a test says so.
    evaluatietermijn = factory.SelfAttribute("evaluatiedatum")
    beslist_waar = "begeleidende klassenraad"
    beslist_door = factory.SubFactory(f.UserFactory)
    status = Maatregel.Status.ACTIEF

    @factory.post_generation
    def vakken(self, create, extracted, **kwargs):
        if create and extracted:
            self.vakken.set(extracted)


class CatalogusItemFactory(DjangoModelFactory):
    class Meta:
        model = MaatregelCatalogusItem

    school = factory.SubFactory(f.SchoolFactory)
    soort = MaatregelSoort.COMPENSEREND
    titel = factory.Sequence(lambda n: f"Catalogusmaatregel {n}")
    omschrijving = "Een kwartier extra bij elke toets."
    bereik = Bereik.TOETSEN
    domeinen = domeinen.LEREN
