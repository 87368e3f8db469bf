"""The portrait class councils of a school year, planned at once by the care
team (issue 16: after the rollover, every new class needs one): a date and
an hour per class that has none, the planner chairs, the class team takes
part, every student of the class is on the agenda; all or nothing, once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import Agendapunt, Overleg, OverlegSoort
from klassenraad.services.overleggen import portretklassenraden_plannen
from tests import factories as f
from tests.klassenraad.factories import overleg
from zorg.audit.models import AuditEvent


def _url(w):
    return reverse("klassenraad:portretten_plannen", args=[w.school.pk])


def _sleutel(html: str) -> str:
    return re.search(r'name="sleutel" value="([0-9a-f-]{36})"', html)[1]


def _post(client, w, rijen: dict, sleutel=None):
    sleutel = sleutel or _sleutel(client.get(_url(w)).content.decode())
    gegevens = {"sleutel": sleutel}
    for klas, (datum, uur) in rijen.items():
        gegevens[f"datum_{klas.pk}"] = datum
        gegevens[f"tijd_{klas.pk}"] = uur
    return client.post(_url(w), gegevens)


def test_the_care_coordinator_plans_the_classes_portrait_councils_at_once(wereld, client_voor):
    w = wereld
    client = client_voor(w.zorgcoordinator)
    html = client.get(_url(w)).content.decode()
    assert "3A" in html and "3B" in html
    antwoord = _post(
        client, w, {w.klas_a: ("2026-09-10", "15:30"), w.klas_b: ("2026-09-11", "16:00")}
    )
    assert antwoord.status_code == 302
    raden = {o.klas: o for o in Overleg.objects.filter(soort=OverlegSoort.PORTRET)}
    assert set(raden) >= {w.klas_a, w.klas_b}
    a = raden[w.klas_a]
    assert timezone.localtime(a.moment).strftime("%d/%m/%Y %H:%M") == "10/09/2026 15:30"
    assert a.voorzitter == w.zorgcoordinator
    # The class team of 3A: its class teacher and its teacher (and the chair).
    assert set(a.deelnemers.all()) == {w.zorgcoordinator, w.users["titularis"], w.leerkracht}
    assert set(raden[w.klas_b].deelnemers.all()) == {w.zorgcoordinator, w.users["leerkracht_b"]}
    # Every student of the class on its agenda.
    assert set(Agendapunt.objects.filter(overleg=a).values_list("leerling", flat=True)) == {
        ll.pk for ll in w.klas_a.huidige_leerlingen()
    }
    assert AuditEvent.objects.filter(onderwerp="overleg", object_id=str(a.pk)).exists()
    # Planned classes are no longer offered.
    html = client.get(_url(w)).content.decode()
    assert f'name="datum_{w.klas_a.pk}"' not in html


def test_a_class_left_empty_is_planned_later_and_a_double_submit_plans_once(wereld, client_voor):
    w = wereld
    client = client_voor(w.zorgcoordinator)
    sleutel = _sleutel(client.get(_url(w)).content.decode())
    for _ in range(2):
        antwoord = _post(client, w, {w.klas_a: ("2026-09-10", "15:30")}, sleutel=sleutel)
        assert antwoord.status_code == 302
    assert Overleg.objects.filter(soort=OverlegSoort.PORTRET, klas=w.klas_a).count() == 1
    assert not Overleg.objects.filter(soort=OverlegSoort.PORTRET, klas=w.klas_b).exists()


@pytest.mark.parametrize(
    ("rij", "bericht"),
    [
        (("2026-09-10", ""), "Vul ook het uur in."),
        (("", "15:30"), "Vul ook de datum in."),
        (("2026-09-10", "25:99"), "Vul een geldig uur in, bv. 15:30."),
        (("10-09-2026x", "15:30"), "Vul een geldige datum in."),
    ],
)
def test_bad_input_plans_nothing_and_says_why(wereld, client_voor, rij, bericht):
    w = wereld
    client = client_voor(w.zorgcoordinator)
    antwoord = _post(client, w, {w.klas_a: rij, w.klas_b: ("2026-09-11", "16:00")})
    assert antwoord.status_code == 200
    assert bericht in antwoord.content.decode()
    assert not Overleg.objects.filter(soort=OverlegSoort.PORTRET).exists()


def test_an_empty_form_plans_nothing_and_says_why(wereld, client_voor):
    w = wereld
    antwoord = _post(client_voor(w.zorgcoordinator), w, {w.klas_a: ("", ""), w.klas_b: ("", "")})
    assert antwoord.status_code == 200
    assert "Vul voor minstens één klas een datum en een uur in." in antwoord.content.decode()
    assert not Overleg.objects.filter(soort=OverlegSoort.PORTRET).exists()


def test_a_class_that_got_one_meanwhile_is_refused_and_nothing_is_planned(wereld):
    w = wereld
    overleg(w, OverlegSoort.PORTRET, klas=w.klas_b)
    momenten = {w.klas_a: timezone.now(), w.klas_b: timezone.now()}
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="3B"):
        portretklassenraden_plannen(
            school=w.school, momenten=momenten, voorzitter=w.zorgcoordinator, door=w.zorgcoordinator
        )
    assert not Overleg.objects.filter(soort=OverlegSoort.PORTRET, klas=w.klas_a).exists()


def test_only_classes_of_the_current_year_are_offered(wereld, client_voor):
    w = wereld
    oud = f.KlasFactory(schooljaar=w.vorig_schooljaar, naam="2A")
    html = client_voor(w.zorgcoordinator).get(_url(w)).content.decode()
    assert f'name="datum_{oud.pk}"' not in html
    assert f'name="datum_{w.klas_a.pk}"' in html


def test_the_page_costs_the_same_queries_whatever_the_number_of_classes(wereld, client_voor):
    w = wereld
    client = client_voor(w.zorgcoordinator)
    client.get(_url(w))

    def tellen():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url(w)).status_code == 200
        return len(ctx.captured_queries)

    weinig = tellen()
    for naam in ("4A", "4B", "5A", "5B", "6A", "6B"):
        klas = f.KlasFactory(schooljaar=w.schooljaar, naam=naam)
        f.LesopdrachtFactory(leerkracht=w.leerkracht, klas=klas)
        klas.klastitularissen.add(w.users["titularis"])
    assert tellen() == weinig


def test_the_meetings_list_links_to_it_for_the_care_team_only(wereld, client_voor):
    w = wereld
    url = _url(w)
    assert (
        url
        in client_voor(w.zorgcoordinator).get(reverse("klassenraad:overleg_lijst")).content.decode()
    )
    assert (
        url
        not in client_voor(w.leerkracht).get(reverse("klassenraad:overleg_lijst")).content.decode()
    )
