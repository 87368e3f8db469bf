"""The portal in the demo: Sint-Jozefscollege has it on, and one guardian
of a student with measures in force signs in with the demo password
(`PORTAAL_EMAIL`, printed with the other logins)."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from leerlingen.models import Maatregel, Ouder
from portaal.models import Portaaltoegang
from zorg.accounts.models import School, User
from zorg.demo.plan import DEMO_WACHTWOORD, PORTAAL_EMAIL, SCHOLEN, SEC, SEC_DOMEIN


def portaal_vullen() -> Portaaltoegang | None:
    """Switch the portal on in the secondary school and give the first
    guardian (by id) of a student with an active measure accepted access,
    invited by the care coordinator. None when the seed has no such guardian."""
    school = School.objects.get(instellingsnummer=SCHOLEN[SEC].instellingsnummer)
    School.objects.filter(pk=school.pk).update(portaal_aan=True)
    ouder = (
        Ouder.objects.filter(
            leerling__school=school,
            leerling__maatregelen__status=Maatregel.Status.ACTIEF,
        )
        .select_related("leerling")
        .order_by("pk")
        .first()
    )
    if ouder is None:
        return None
    Ouder.objects.filter(pk=ouder.pk).update(email=PORTAAL_EMAIL)
    user = User.objects.create(
        email=PORTAAL_EMAIL,
        first_name=ouder.naam.split(" ", 1)[0],
        last_name=ouder.naam.split(" ", 1)[-1],
        password=make_password(DEMO_WACHTWOORD),
    )
    nu = timezone.now()
    return Portaaltoegang.objects.create(
        user=user,
        leerling=ouder.leerling,
        soort=Portaaltoegang.Soort.OUDER,
        ouder=ouder,
        uitgenodigd_door=User.objects.get(email=f"zorg@{SEC_DOMEIN}"),
        uitgenodigd_op=nu,
        aanvaard_op=nu,
    )
