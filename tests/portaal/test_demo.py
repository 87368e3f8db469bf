import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portaal.models import Portaaltoegang
from zorg.demo.plan import DEMO_WACHTWOORD, PORTAAL_EMAIL


@pytest.mark.django_db
def test_the_demo_guardian_signs_in_and_reads_their_child(client):
    uit = io.StringIO()
    call_command("demo", stdout=uit, students=60)
    assert PORTAAL_EMAIL in uit.getvalue()
    toegang = Portaaltoegang.objects.select_related("leerling__school").get(
        user__email=PORTAAL_EMAIL
    )
    assert toegang.leerling.school.portaal_aan
    assert client.login(email=PORTAAL_EMAIL, password=DEMO_WACHTWOORD)
    assert client.get(reverse("start"))["Location"] == reverse("portaal:start")
    html = client.get(reverse("portaal:start")).content.decode()
    assert toegang.leerling.volledige_naam in html
    assert client.get(reverse("portaal:kind", args=[toegang.leerling_id])).status_code == 200
