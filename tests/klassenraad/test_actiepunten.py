"""Action items: completing or cancelling (with a version check), "my action
items" and the school's open items, one item's page, the owner's start
page; who sees and completes what; a fixed number of queries."""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad.models import Actiepunt, BeslissingSoort, OverlegSoort
from klassenraad.services.actiepunten import actiepunt_afhandelen, mogelijke_eigenaars
from klassenraad.services.beslissingen import ActiepuntGegevens, beslissing_registreren
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.klassenraad import factories as kf
from zorg.audit.models import Actie, AuditEvent
from zorg.versies import VerouderdeVersie

VANDAAG = timezone.localdate
DAG = datetime.timedelta(days=1)


@pytest.fixture
def cel(wereld):
    o = kf.overleg(wereld)
    kf.agendapunt(o, wereld.leerling_a)
    return o


def _detail(actiepunt) -> str:
    return reverse("klassenraad:actiepunt_detail", args=[actiepunt.pk])


def _afhandelen_url(actiepunt) -> str:
    return reverse("klassenraad:actiepunt_afhandelen", args=[actiepunt.pk])


LIJST = reverse("klassenraad:actiepunt_lijst")


# --- who may own one -----------------------------------------------------------------


def test_possible_owners_are_who_may_read_the_students_care_content(wereld):
    eigenaars = set(mogelijke_eigenaars(wereld.leerling_a))
    assert {
        wereld.users[rol] for rol in ("leerkracht", "titularis", "zorgcoordinator", "directie")
    } == eigenaars
    # The CLB once the student is in its reach (a referral).
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    assert wereld.users["clb"] in set(mogelijke_eigenaars(wereld.leerling_a))
    wereld.titularis.is_active = False
    wereld.titularis.save()
    assert wereld.titularis not in set(mogelijke_eigenaars(wereld.leerling_a))


# --- completing -----------------------------------------------------------------------


def test_the_owner_completes_an_item_with_its_result(wereld, cel):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    bijgewerkt = actiepunt_afhandelen(
        actiepunt=actiepunt,
        status=Actiepunt.Status.AFGEROND,
        resultaat="Ouders gebeld, gesprek op 3/12.",
        versie=1,
        door=wereld.titularis,
    )
    assert bijgewerkt.status == Actiepunt.Status.AFGEROND
    assert bijgewerkt.resultaat == "Ouders gebeld, gesprek op 3/12."
    assert bijgewerkt.afgehandeld_door == wereld.titularis
    assert bijgewerkt.afgehandeld_op is not None
    assert bijgewerkt.versie == 2
    event = AuditEvent.objects.get(onderwerp="actiepunt")
    assert event.actie == Actie.WIJZIGEN
    assert event.leerling_id == wereld.leerling_a.pk


def test_cancelling_needs_a_reason(wereld, cel):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    with pytest.raises(ValidationError) as exc:
        actiepunt_afhandelen(
            actiepunt=actiepunt,
            status=Actiepunt.Status.GEANNULEERD,
            resultaat=" ",
            versie=1,
            door=wereld.titularis,
        )
    assert "waarom" in " ".join(exc.value.message_dict["resultaat"])
    actiepunt.refresh_from_db()
    assert actiepunt.status == Actiepunt.Status.OPEN


def test_completing_from_a_stale_version_is_refused_with_the_saved_item(wereld, cel):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    actiepunt_afhandelen(
        actiepunt=actiepunt,
        status=Actiepunt.Status.GEANNULEERD,
        resultaat="Niet meer nodig.",
        versie=1,
        door=wereld.zorgcoordinator,
    )
    with pytest.raises(VerouderdeVersie) as exc:
        actiepunt_afhandelen(
            actiepunt=actiepunt,
            status=Actiepunt.Status.AFGEROND,
            resultaat="Gedaan.",
            versie=1,
            door=wereld.titularis,
        )
    assert exc.value.huidig.status == Actiepunt.Status.GEANNULEERD
    assert "Iemand anders handelde dit actiepunt intussen af" in exc.value.bericht
    actiepunt.refresh_from_db()
    assert actiepunt.resultaat == "Niet meer nodig."
    assert actiepunt.afgehandeld_door == wereld.zorgcoordinator


def test_a_handled_item_is_not_handled_twice(wereld, cel):
    actiepunt = kf.actiepunt(
        cel,
        wereld.leerling_a,
        wereld.titularis,
        status=Actiepunt.Status.AFGEROND,
        afgehandeld_op=timezone.now(),
    )
    with pytest.raises(ValidationError) as exc:
        actiepunt_afhandelen(
            actiepunt=actiepunt,
            status=Actiepunt.Status.GEANNULEERD,
            resultaat="x",
            versie=1,
            door=wereld.titularis,
        )
    assert "al afgehandeld" in " ".join(exc.value.message_dict[NON_FIELD_ERRORS])


# --- the item's page ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rol", "code"),
    [
        ("titularis", 200),  # the owner
        ("zorgcoordinator", 200),
        ("directie", 200),
        ("leerkracht", 404),  # teaches the student, but not the owner
        ("clb", 404),
        ("secretariaat", 404),
        ("buitenstaander", 404),
    ],
)
def test_the_owner_and_the_care_team_see_an_item(wereld, cel, client_voor, rol, code):
    if rol == "clb":
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)  # reaches her, not the item
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    assert client_voor(wereld.users[rol]).get(_detail(actiepunt)).status_code == code


def test_the_item_links_its_meeting_only_for_who_sees_the_meeting(
    wereld, cel, client_voor, template_queries
):
    # A care-cell item owned by a teacher: the teacher does not see the cell.
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    overleg_url = reverse("klassenraad:overleg_detail", args=[cel.pk])

    eigenaar = client_voor(wereld.titularis).get(_detail(actiepunt))
    html = eigenaar.content.decode()
    assert overleg_url not in html
    assert str(cel) in html
    assert reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]) in html
    assert 'name="versie"' in html

    zorg = client_voor(wereld.zorgcoordinator).get(_detail(actiepunt)).content.decode()
    assert overleg_url in zorg
    assert template_queries == []
    assert (
        AuditEvent.objects.filter(
            onderwerp="actiepunt", actie=Actie.LEZEN, leerling_id=wereld.leerling_a.pk
        ).count()
        == 2
    )


def test_a_clb_owner_sees_its_item_only_while_it_reaches_the_student(wereld, cel, client_voor):
    leerling = f.leerling_in(wereld.klas_b)
    actiepunt = kf.actiepunt(cel, leerling, wereld.users["clb"])
    student_url = reverse("leerlingen:leerling_detail", args=[leerling.pk])
    client = client_voor(wereld.users["clb"])
    # Owned (old data), but the student is not in its reach: the item is
    # care content about her, so it does not open.
    assert client.get(_detail(actiepunt)).status_code == 404
    assert client.get(student_url).status_code == 404
    # Once the student is referred, the item opens and links to her and to
    # the cell it sees.
    aanmelding(leerling, wereld.zorgcoordinator)
    html = client.get(_detail(actiepunt)).content.decode()
    assert student_url in html
    assert reverse("klassenraad:overleg_detail", args=[cel.pk]) in html
    assert client.get(student_url).status_code == 200


def test_a_parent_talk_item_points_to_recording_the_talk(wereld, cel, client_voor):
    beslissing_registreren(
        overleg=cel,
        leerling=wereld.leerling_a,
        soort=BeslissingSoort.OUDERGESPREK,
        tekst="Ouders uitnodigen over de resultaten.",
        door=wereld.zorgcoordinator,
        actiepunt=ActiepuntGegevens(
            omschrijving="", eigenaar=wereld.titularis, vervaldatum=VANDAAG() + 7 * DAG
        ),
    )
    actiepunt = Actiepunt.objects.get()
    html = client_voor(wereld.titularis).get(_detail(actiepunt)).content.decode()
    assert (
        reverse("leerlingen:gesprek_nieuw", args=[wereld.leerling_a.pk]) + "?soort=ouders" in html
    )
    assert "Oudergesprek plannen en voeren" in html


# --- completing through the page --------------------------------------------------------


def test_the_owner_completes_the_item_on_its_page(wereld, cel, client_voor):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    response = client_voor(wereld.titularis).post(
        _afhandelen_url(actiepunt),
        {"status": "afgerond", "resultaat": "Gebeld.", "versie": "1"},
    )
    assert response.status_code == 302
    actiepunt.refresh_from_db()
    assert actiepunt.status == Actiepunt.Status.AFGEROND


def test_a_teacher_who_is_not_the_owner_cannot_complete_it(wereld, cel, client_voor):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    response = client_voor(wereld.leerkracht).post(
        _afhandelen_url(actiepunt), {"status": "afgerond", "versie": "1"}
    )
    assert response.status_code == 404
    actiepunt.refresh_from_db()
    assert actiepunt.status == Actiepunt.Status.OPEN


def test_a_second_person_completing_sees_what_the_first_saved(wereld, cel, client_voor):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    client_voor(wereld.zorgcoordinator).post(
        _afhandelen_url(actiepunt),
        {"status": "geannuleerd", "resultaat": "Leerling veranderde van school.", "versie": "1"},
    )
    response = client_voor(wereld.titularis).post(
        _afhandelen_url(actiepunt), {"status": "afgerond", "resultaat": "Gebeld.", "versie": "1"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-testid="verouderd"' in html
    assert "Iemand anders handelde dit actiepunt intussen af" in html
    assert "Leerling veranderde van school." in html
    actiepunt.refresh_from_db()
    assert actiepunt.status == Actiepunt.Status.GEANNULEERD


def test_a_version_changed_while_still_open_keeps_the_form_for_another_try(
    wereld, cel, client_voor
):
    actiepunt = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    Actiepunt.objects.filter(pk=actiepunt.pk).update(versie=2)
    client = client_voor(wereld.titularis)
    response = client.post(
        _afhandelen_url(actiepunt), {"status": "afgerond", "resultaat": "Gebeld.", "versie": "1"}
    )
    assert response.status_code == 409
    assert response.context["form"]["versie"].value() == "2"
    assert (
        client.post(
            _afhandelen_url(actiepunt),
            {"status": "afgerond", "resultaat": "Gebeld.", "versie": "2"},
        ).status_code
        == 302
    )


# --- the lists --------------------------------------------------------------------------


def test_my_items_are_mine_open_first_with_the_overdue_marked_not_by_colour_alone(
    wereld, cel, client_voor
):
    gedaan = kf.actiepunt(
        cel,
        wereld.leerling_a,
        wereld.titularis,
        dagen=-10,
        omschrijving="Al gedaan",
        status=Actiepunt.Status.AFGEROND,
        afgehandeld_op=timezone.now(),
    )
    later = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis, dagen=5, omschrijving="Later")
    te_laat = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis, dagen=-3, omschrijving="Laat")
    kf.actiepunt(cel, wereld.leerling_a, wereld.zorgcoordinator, omschrijving="Van een ander")
    response = client_voor(wereld.titularis).get(LIJST)
    assert [a.pk for a in response.context["pagina"].object_list] == [
        te_laat.pk,
        later.pk,
        gedaan.pk,
    ]
    html = response.content.decode()
    # A badge with words, beside the row's colour.
    assert html.count('data-testid="achterstallig"') == 1
    assert "te laat" in html
    assert "Van een ander" not in html


def test_the_care_team_sees_the_schools_open_items_and_a_teacher_only_their_own(
    wereld, cel, client_voor
):
    van_titularis = kf.actiepunt(cel, wereld.leerling_a, wereld.titularis)
    van_directie = kf.actiepunt(cel, wereld.leerling_a, wereld.directie)
    cel2 = kf.overleg(wereld, school=wereld.school2, voorzitter=wereld.buitenstaander)
    kf.actiepunt(cel2, wereld.leerling_x, wereld.buitenstaander)

    zorg = client_voor(wereld.zorgcoordinator).get(LIJST, {"wie": "school"})
    assert {a.pk for a in zorg.context["pagina"].object_list} == {van_titularis.pk, van_directie.pk}
    leerkracht = client_voor(wereld.titularis).get(LIJST, {"wie": "school"})
    assert [a.pk for a in leerkracht.context["pagina"].object_list] == [van_titularis.pk]


def _meet(client, params=None) -> int:
    client.get(LIJST, params)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIJST, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [None, {"wie": "school"}])
def test_the_list_costs_the_same_queries_for_5_or_200_items(
    wereld, client_voor, template_queries, params
):
    # Guards against a query per item: its student, meeting, class, owner,
    # and whether the user may follow the links.
    client = client_voor(wereld.zorgcoordinator)

    def vul(aantal):
        for i in range(aantal):
            o = kf.overleg(wereld, OverlegSoort.BEGELEIDEND if i % 2 else OverlegSoort.CEL)
            leerling = f.leerling_in(wereld.klas_a if i % 2 else wereld.klas_b)
            kf.agendapunt(o, leerling)
            velden = {}
            if i % 3 == 0 and params is None:
                velden = {"status": Actiepunt.Status.AFGEROND, "afgehandeld_op": timezone.now()}
            kf.actiepunt(o, leerling, wereld.zorgcoordinator, dagen=i - 3, **velden)

    vul(5)
    weinig = _meet(client, params)
    vul(195)
    veel = _meet(client, params)
    assert weinig == veel <= 15
    assert template_queries == []


# --- the start page ----------------------------------------------------------------------


def _start(client):
    return client.get(reverse("start"))


def test_owners_see_their_open_items_on_the_start_page_overdue_first(wereld, cel, client_voor):
    for i in range(12):
        kf.actiepunt(cel, wereld.leerling_a, wereld.titularis, dagen=i - 2, omschrijving=f"P{i}")
    kf.actiepunt(cel, wereld.leerling_a, wereld.directie, omschrijving="Niet van mij")
    response = _start(client_voor(wereld.titularis))
    items = response.context["mijn_actiepunten"]
    assert [a.omschrijving for a in items] == [f"P{i}" for i in range(10)]
    assert response.context["mijn_actiepunten_aantal"] == 12
    assert response.context["mijn_actiepunten_achterstallig"] == 2
    html = response.content.decode()
    assert "2 actiepunten zijn te laat." in html
    meer = html[html.index('data-testid="mijn-actiepunten-meer"') :]
    assert meer.index(f'href="{LIJST}"') < meer.index(
        "De eerste 10 van 12: al mijn open actiepunten"
    )
    assert "Niet van mij" not in html
    # The link leads to all twelve, in the same order.
    lijst = client_voor(wereld.titularis).get(LIJST).content.decode()
    assert all(f">P{i}</a>" in lijst for i in range(12))


def test_without_open_items_the_start_page_has_no_action_items_section(wereld, client_voor):
    html = _start(client_voor(wereld.titularis)).content.decode()
    assert 'data-testid="mijn-actiepunten"' not in html


def _tel_start(client) -> int:
    _start(client)
    with CaptureQueriesContext(connection) as ctx:
        assert _start(client).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rol", ["titularis", "zorgcoordinator", "clb"])
def test_the_start_page_costs_the_same_queries_for_5_or_100_action_items(
    wereld, cel, client_voor, template_queries, rol
):
    user = wereld.users[rol]
    client = client_voor(user)
    for i in range(5):
        kf.actiepunt(cel, wereld.leerling_a, user, dagen=i - 2)
    weinig = _tel_start(client)
    for i in range(95):
        kf.actiepunt(cel, wereld.leerling_a, user, dagen=i - 50)
    veel = _tel_start(client)
    assert weinig == veel <= 25
    assert template_queries == []
