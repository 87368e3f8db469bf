"""Factories for remediation and differentiation (remediëring)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from leerlingen.models import Remediering
from tests import factories as f

VANDAAG = datetime.date.today()


class RemedieringFactory(DjangoModelFactory):
    """A running remediation of the whole class, six weeks from two weeks ago."""

    class Meta:
        model = Remediering
        skip_postgeneration_save = True

    klas = factory.SubFactory(f.KlasFactory)
    school = factory.SelfAttribute("klas.schooljaar.school")
    vak = factory.SubFactory(f.VakFactory, school=factory.SelfAttribute("..school"))
    niveau = Remediering.Niveau.KLAS
    titel = factory.Sequence(lambda n: f"Breuken herhalen {n}")
    nood = "De helft van de klas haalde minder dan de helft op de toets breuken."
    aanpak = Remediering.Aanpak.REMEDIERING
    begin = VANDAAG - datetime.timedelta(days=14)
    aantal_weken = 6
    moment = "di 8e lesuur"
    status = Remediering.Status.LOPEND
    door = factory.SubFactory(f.UserFactory)

    @factory.post_generation
    def groep(self, create, extracted, **kwargs):
        if create and extracted:
            self.groep.set(extracted)
