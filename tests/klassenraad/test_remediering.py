"""The guiding class council selects who (does not) get remediation or
differentiation: planned remediations linked to the meeting, once however
often sent, with timeline entries for the students chosen only."""

import datetime

import pytest
from django.urls import reverse

from klassenraad.models import Overleg, OverlegSoort
from leerlingen.models import Remediering, TijdlijnItem
from tests import factories as f
from tests.klassenraad.factories import overleg
from zorg.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SLEUTEL = "0b5e8a52-2d0f-4a4e-8d8f-5a1c3a7e9b21"


def _url(o):
    return reverse("klassenraad:remediering_selecteren", args=[o.pk])


def _vak(wereld):
    return wereld.leerkracht.lesopdrachten.get(klas=wereld.klas_a).vak


def test_the_page_lists_the_students_by_subject_with_the_whole_class_first(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    html = client_voor(wereld.zorgcoordinator).get(_url(o)).content.decode()
    assert html.index("De hele klas") < html.index("Peeters, Lotte")
    assert f'name="l_{wereld.leerling_a.pk}_{_vak(wereld).pk}"' in html


def test_ticks_become_planned_remediations_of_the_meeting_once(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND, dagen=-1)
    tweede = f.leerling_in(wereld.klas_a, voornaam="Bram", achternaam="Wouters")
    vak = _vak(wereld)
    data = {
        "sleutel": SLEUTEL,
        "begin": datetime.date.today().isoformat(),
        "aantal_weken": "6",
        f"klas_{vak.pk}": "differentiatie",
        f"l_{wereld.leerling_a.pk}_{vak.pk}": "remediering",
        f"l_{tweede.pk}_{vak.pk}": "",
    }
    client = client_voor(wereld.zorgcoordinator)
    assert client.post(_url(o), data).status_code == 302
    assert client.post(_url(o), data).status_code == 302  # the same form again
    rijen = Remediering.objects.filter(overleg=o).order_by("niveau")
    assert [(r.niveau, r.aanpak, r.leerling_id) for r in rijen] == [
        ("klas", "differentiatie", None),
        ("leerling", "remediering", wereld.leerling_a.pk),
    ]
    assert {r.status for r in rijen} == {"gepland"}
    # One entry for the student chosen; none for the whole class's approach.
    assert list(
        TijdlijnItem.objects.filter(soort="remediering").values_list("leerling_id", flat=True)
    ) == [wereld.leerling_a.pk]
    assert AuditEvent.objects.filter(
        onderwerp="overleg_remediering", actie="aanmaken", object_id=str(o.pk)
    ).exists()
    assert "Remediëring Wiskunde" in client.get(_url(o)).content.decode()


def test_nothing_ticked_is_refused_in_dutch(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    response = client_voor(wereld.zorgcoordinator).post(
        _url(o),
        {"sleutel": SLEUTEL, "begin": datetime.date.today().isoformat(), "aantal_weken": "6"},
    )
    assert response.status_code == 200
    assert "Kies minstens één leerling of de hele klas" in response.content.decode()
    assert not Remediering.objects.exists()


def test_a_closed_council_or_a_care_cell_offers_no_selection(wereld, client_voor):
    client = client_voor(wereld.zorgcoordinator)
    gesloten = overleg(
        wereld,
        OverlegSoort.BEGELEIDEND,
        status=Overleg.Status.AFGESLOTEN,
        afgesloten_op=datetime.datetime.now(datetime.UTC),
    )
    cel = overleg(wereld, OverlegSoort.CEL)
    assert client.get(_url(gesloten)).status_code == 404
    assert client.get(_url(cel)).status_code == 404
    detail = client.get(reverse("klassenraad:overleg_detail", args=[cel.pk])).content.decode()
    assert "remediering" not in detail.split("knoppen", 1)[1].split("</div>", 1)[0]


def test_the_councils_page_links_to_the_selection_for_the_care_team_only(wereld, client_voor):
    o = overleg(wereld, OverlegSoort.BEGELEIDEND)
    detail = reverse("klassenraad:overleg_detail", args=[o.pk])
    assert _url(o) in client_voor(wereld.zorgcoordinator).get(detail).content.decode()
    assert _url(o) not in client_voor(wereld.titularis).get(detail).content.decode()
