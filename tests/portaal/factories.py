import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from portaal.models import Portaaltoegang
from tests import factories as f


class PortaaltoegangFactory(DjangoModelFactory):
    """An accepted access of a guardian (pass `ouder`) or, with
    soort="leerling", of the student themself."""

    class Meta:
        model = Portaaltoegang

    ouder = factory.SubFactory(f.OuderFactory)
    leerling = factory.LazyAttribute(lambda o: o.ouder.leerling if o.ouder else None)
    soort = Portaaltoegang.Soort.OUDER
    user = factory.LazyAttribute(
        lambda o: f.UserFactory(email=(o.ouder.email if o.ouder else o.leerling.email))
    )
    uitgenodigd_door = factory.SubFactory(f.UserFactory)
    uitgenodigd_op = factory.LazyFunction(timezone.now)
    aanvaard_op = factory.LazyFunction(timezone.now)


def ouder_met_toegang(leerling, ouder=None, **kwargs) -> Portaaltoegang:
    ouder = ouder or f.OuderFactory(leerling=leerling)
    return PortaaltoegangFactory(ouder=ouder, leerling=leerling, **kwargs)


def leerling_met_toegang(leerling, **kwargs) -> Portaaltoegang:
    if not leerling.email:
        leerling.email = f"leerling{leerling.pk}@leerlingen.example"
        leerling.save(update_fields=["email"])
    return PortaaltoegangFactory(
        ouder=None, leerling=leerling, soort=Portaaltoegang.Soort.LEERLING, **kwargs
    )
