"""The start page puts what needs action today first: for the care
coordinator the red flags waiting for acknowledgement, then preparing the
next care cell, then their own (overdue) action items, then the signals;
what one looks up (classes, notifications) comes after. Checked on the
rendered HTML, by the positions of each section's heading."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.clb.factories import aanmelding
from tests.klassenraad import factories as kf
from tests.leerlingen.factories_vlagalarm import signaal, vlag
from zorg.accounts.models import Rol


def _posities(html: str, *markers: str) -> list[int]:
    posities = []
    for marker in markers:
        assert marker in html, marker
        posities.append(html.index(marker))
    return posities


def _op_volgorde(html: str, *markers: str) -> None:
    posities = _posities(html, *markers)
    assert posities == sorted(posities), list(zip(markers, posities, strict=True))


@pytest.fixture
def drukke_dag(wereld):
    """A care coordinator who also teaches 3A, on a day with everything."""
    w = wereld
    f.LidmaatschapFactory(user=w.zorgcoordinator, school=w.school, rol=Rol.LEERKRACHT)
    f.LesopdrachtFactory(leerkracht=w.zorgcoordinator, klas=w.klas_a)
    vlag(w.leerling_a, klas=w.klas_a, gemeld_door=w.leerkracht)
    cel = kf.overleg(w, dagen=2)
    kf.actiepunt(cel, w.leerling_a, w.zorgcoordinator, dagen=-3)
    kf.actiepunt(cel, w.leerling_a, w.titularis, dagen=-1)
    signaal(w.leerling_a)
    f.MeldingFactory(ontvanger=w.zorgcoordinator, titel="Iets om te lezen")
    f.MeldingFactory(ontvanger=w.titularis, titel="Iets om te lezen")
    return w


def test_the_coordinator_sees_red_flags_then_the_agenda_then_action_items_then_the_rest(
    drukke_dag, client_voor
):
    html = client_voor(drukke_dag.zorgcoordinator).get(reverse("start")).content.decode()
    _op_volgorde(
        html,
        'id="rode-vlaggen"',
        'data-testid="rode-vlaggen-onerkend"',
        "Agenda voorbereiden",
        'id="mijn-actiepunten-kop"',
        'id="signalen-kop"',
        'id="mijn-klassen"',
        'id="meldingen-kop"',
    )


def test_the_class_teacher_sees_action_items_and_signals_before_the_classes(
    drukke_dag, client_voor
):
    html = client_voor(drukke_dag.titularis).get(reverse("start")).content.decode()
    _op_volgorde(
        html,
        'id="mijn-actiepunten-kop"',
        'id="signalen-kop"',
        'id="mijn-klassen"',
        'id="meldingen-kop"',
    )


def test_the_clb_worker_sees_waiting_referrals_before_the_notifications(wereld, client_voor):
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    f.MeldingFactory(ontvanger=wereld.users["clb"], titel="Iets om te lezen")
    html = client_voor(wereld.users["clb"]).get(reverse("start")).content.decode()
    _op_volgorde(html, 'id="clb-aanmeldingen"', 'id="meldingen-kop"')
