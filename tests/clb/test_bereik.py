"""The CLB's reach (issue 6, Access): a CLB worker reaches only the schools
its CLB serves and, within them, only the students with an open or accepted
referral (so with a running trajectory) or on the agenda of a meeting the
worker attends. There it reads the whole care record; anywhere else it sees
nothing: no student page, timeline, flag, search hit, class list or class
page. A CLB worker of another CLB sees nothing at all.

leerlingen.policies.clb_bereik decides it, in one query cached per user;
klassenraad registers the meetings the worker attends."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klassenraad import policies as overlegpolicies
from klassenraad.models import OverlegSoort
from leerlingen import domeinen, policies
from leerlingen.models import Aanmelding, VlagBetrokkene, VlagKleur, Zichtbaarheid
from leerlingen.services.observaties import observatie_maken
from leerlingen.services.vlaggen import vlag_registreren, vlag_url
from tests import factories as f
from tests.clb.factories import aanmelding, traject
from tests.klassenraad.factories import agendapunt, overleg
from tests.test_matrix import MATRIX
from zorg.accounts.models import User
from zorg.accounts.policies import toegang

ZORGTEAM_TEKST = "Zorgteam: thuissituatie gewijzigd sinds de verhuis."
KLASTEAM_TEKST = "Klasteam: werkt vlot in groep."
VLAG_TEKST = "Duwde een klasgenoot van de trap."


def fresh(user) -> User:
    """A new user object, as a new request has (the reach is cached on it)."""
    return User.objects.get(pk=user.pk)


def _detail(leerling) -> str:
    return reverse("leerlingen:leerling_detail", args=[leerling.pk])


def _tijdlijn(leerling) -> str:
    return reverse("leerlingen:tijdlijn", args=[leerling.pk])


def _namen_in_lijst(response) -> set[str]:
    return {f"{ll.voornaam} {ll.achternaam}" for ll in response.context["pagina"].object_list}


@pytest.fixture
def dossier(wereld):
    """leerling_a's care record: a care-team and a class-team observation
    (each with its timeline entry) and an orange flag she shares with a
    classmate the CLB never reaches."""
    w = wereld
    for tekst, zichtbaarheid, auteur in (
        (ZORGTEAM_TEKST, Zichtbaarheid.ZORGTEAM, w.zorgcoordinator),
        (KLASTEAM_TEKST, Zichtbaarheid.KLASTEAM, w.leerkracht),
    ):
        observatie_maken(
            leerling=w.leerling_a,
            auteur=auteur,
            datum=timezone.localdate() - datetime.timedelta(days=1),
            domeinen=domeinen.PSYCHOSOCIAAL,
            soort="zorg",
            tekst=tekst,
            zichtbaarheid=zichtbaarheid,
        )
    klasgenoot = f.leerling_in(w.klas_a, voornaam="Zenobia", achternaam="Xylofoon")
    vlag, _ = vlag_registreren(
        klas=w.klas_a,
        door=w.leerkracht,
        kleur=VlagKleur.ORANJE,
        moment=timezone.now() - datetime.timedelta(minutes=10),
        leerlingen_met_rol=[
            (w.leerling_a, VlagBetrokkene.Rol.BETROKKEN),
            (klasgenoot, VlagBetrokkene.Rol.GETUIGE),
        ],
        omschrijving=VLAG_TEKST,
        sleutel=uuid.uuid4(),
    )
    return {"vlag": vlag, "klasgenoot": klasgenoot}


# --- the three ways into the reach ------------------------------------------------------


def _open_aanmelding(w):
    aanmelding(w.leerling_a, w.zorgcoordinator, status=Aanmelding.Status.OPEN)


def _lopend_traject(w):
    # On an accepted referral, led by the world's CLB worker.
    t = traject(w)
    assert t.aanmelding.status == Aanmelding.Status.AANVAARD


def _op_cel_die_hij_bijwoont(w):
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(w.users["clb"])
    agendapunt(cel, w.leerling_a)


BEREIK = {
    "open_aanmelding": _open_aanmelding,
    "lopend_traject": _lopend_traject,
    "op_cel_die_hij_bijwoont": _op_cel_die_hij_bijwoont,
}


@pytest.mark.parametrize("manier", list(BEREIK))
def test_the_clb_worker_reaches_the_student_and_reads_the_care_record(
    wereld, dossier, client_voor, manier
):
    w = wereld
    BEREIK[manier](w)
    assert policies.in_clb_bereik(fresh(w.users["clb"]), w.leerling_a)
    client = client_voor(w.users["clb"])

    pagina = client.get(_detail(w.leerling_a))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert ZORGTEAM_TEKST in html and KLASTEAM_TEKST in html
    assert "Sofie Peeters" in html  # the guardians' contact details

    tijdlijn = client.get(_tijdlijn(w.leerling_a))
    assert tijdlijn.status_code == 200
    html = tijdlijn.content.decode()
    assert ZORGTEAM_TEKST in html and KLASTEAM_TEKST in html
    assert vlag_url(dossier["vlag"]) in html

    # The flag: hers named, the classmate it does not reach counted.
    vlag = client.get(vlag_url(dossier["vlag"]))
    assert vlag.status_code == 200
    html = vlag.content.decode()
    assert VLAG_TEKST in html
    assert "Lotte Peeters" in html
    assert "Zenobia" not in html and "Xylofoon" not in html
    assert "en 1 andere leerling" in html
    assert client.get(_detail(dossier["klasgenoot"])).status_code == 404

    # Never another CLB's worker, whatever the reason the first one has.
    ander = client_voor(w.users["clb_ander"])
    for url in (_detail(w.leerling_a), _tijdlijn(w.leerling_a), vlag_url(dossier["vlag"])):
        assert ander.get(url).status_code == 404


# --- and the ways that do not lead in ------------------------------------------------------


def _geen_aanmelding(w):
    pass


def _afgesloten_aanmelding(w):
    aanmelding(w.leerling_a, w.zorgcoordinator, status=Aanmelding.Status.AFGESLOTEN)


def _op_cel_die_hij_niet_bijwoont(w):
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(w.directie)
    agendapunt(cel, w.leerling_a)


def _collega_woont_de_cel_bij(w):
    # Reach through a meeting is the attending worker's, not the whole CLB's.
    collega = f.CLBMedewerkerFactory(clb=w.clb).user
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(collega)
    agendapunt(cel, w.leerling_a)


def _school_niet_meer_bediend(w):
    aanmelding(w.leerling_a, w.zorgcoordinator)
    w.clb.scholen.remove(w.school)


def _inactieve_medewerker(w):
    aanmelding(w.leerling_a, w.zorgcoordinator)
    w.clb.medewerkers.update(actief=False)


GEEN_BEREIK = {
    "geen_aanmelding": _geen_aanmelding,
    "afgesloten_aanmelding": _afgesloten_aanmelding,
    "op_cel_die_hij_niet_bijwoont": _op_cel_die_hij_niet_bijwoont,
    "collega_woont_de_cel_bij": _collega_woont_de_cel_bij,
    "school_niet_meer_bediend": _school_niet_meer_bediend,
    "inactieve_medewerker": _inactieve_medewerker,
}


@pytest.mark.parametrize("manier", list(GEEN_BEREIK))
def test_without_reach_the_clb_worker_sees_nothing_of_the_student(
    wereld, dossier, client_voor, manier
):
    w = wereld
    GEEN_BEREIK[manier](w)
    gebruiker = fresh(w.users["clb"])
    assert not policies.in_clb_bereik(gebruiker, w.leerling_a)
    assert not policies.can_view_zorg(gebruiker, w.leerling_a)
    assert not policies.vlaggen_visible_to(gebruiker).exists()
    client = client_voor(w.users["clb"])
    for url in (_detail(w.leerling_a), _tijdlijn(w.leerling_a), vlag_url(dossier["vlag"])):
        assert client.get(url).status_code == 404, url
    lijst = client.get(reverse("leerlingen:leerling_lijst"), {"q": "Peeters"})
    assert _namen_in_lijst(lijst) == set()
    assert "Lotte" not in lijst.content.decode()


def test_a_cell_it_does_not_attend_shows_the_meeting_but_not_the_item(wereld, client_voor):
    w = wereld
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    punt = agendapunt(cel, w.leerling_a, notities="Geheim over Lotte")
    assert list(overlegpolicies.agendapunten_visible_to(fresh(w.users["clb"]), cel)) == []
    client = client_voor(w.users["clb"])
    pagina = client.get(reverse("klassenraad:overleg_detail", args=[cel.pk]))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Lotte" not in html and "Geheim over Lotte" not in html
    notities = reverse("klassenraad:agendapunt_notities", args=[cel.pk, punt.pk])
    assert client.get(notities).status_code == 404

    # With a referral it reads that item (and only that one), though it
    # does not take part.
    agendapunt(cel, w.leerling_b, notities="Geheim over Noah")
    aanmelding(w.leerling_a, w.zorgcoordinator)
    assert list(overlegpolicies.agendapunten_visible_to(fresh(w.users["clb"]), cel)) == [punt]
    html = client.get(reverse("klassenraad:overleg_detail", args=[cel.pk])).content.decode()
    assert "Lotte Peeters" in html
    assert "Noah" not in html and "Geheim over Noah" not in html


def test_attending_a_cell_reaches_every_student_on_its_agenda(wereld, client_voor):
    w = wereld
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(w.users["clb"])
    agendapunt(cel, w.leerling_a)
    agendapunt(cel, w.leerling_b, notities="Noah: moeilijke thuissituatie")
    gebruiker = fresh(w.users["clb"])
    assert overlegpolicies.ziet_volledige_agenda(gebruiker, cel)
    assert policies.clb_bereik(gebruiker) == {w.leerling_a.pk, w.leerling_b.pk}
    html = client_voor(w.users["clb"]).get(reverse("klassenraad:overleg_detail", args=[cel.pk]))
    assert "Noah: moeilijke thuissituatie" in html.content.decode()


def test_another_clb_attending_a_cell_of_a_school_it_does_not_serve_reaches_nothing(
    wereld, client_voor
):
    w = wereld
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(w.users["clb_ander"])
    agendapunt(cel, w.leerling_a)
    aanmelding(w.leerling_a, w.zorgcoordinator)
    gebruiker = fresh(w.users["clb_ander"])
    assert policies.clb_bereik(gebruiker) == frozenset()
    assert not overlegpolicies.overleggen_visible_to(gebruiker).filter(pk=cel.pk).exists()
    assert client_voor(w.users["clb_ander"]).get(_detail(w.leerling_a)).status_code == 404


# --- a school it does not serve ---------------------------------------------------------------


def test_a_referral_in_another_clbs_school_opens_nothing(wereld, client_voor):
    w = wereld
    aanmelding(w.leerling_a, w.zorgcoordinator)  # school 1: wereld.users["clb"]'s
    aanmelding(w.leerling_x, w.buitenstaander)  # school 2: clb_ander's
    # Each CLB reaches only its own school's referred student.
    assert policies.clb_bereik(fresh(w.users["clb"])) == {w.leerling_a.pk}
    assert policies.clb_bereik(fresh(w.users["clb_ander"])) == {w.leerling_x.pk}
    for rol, niet in (("clb", w.leerling_x), ("clb_ander", w.leerling_a)):
        client = client_voor(w.users[rol])
        assert client.get(_detail(niet)).status_code == 404
        assert client.get(_tijdlijn(niet)).status_code == 404
        lijst = client.get(reverse("leerlingen:leerling_lijst"), {"q": niet.achternaam})
        assert niet.pk not in {ll.pk for ll in lijst.context["pagina"].object_list}


def test_in_clb_bereik_checks_the_school_not_only_the_student(wereld):
    # Belt and braces: were a student ever in the reach set of a school the
    # CLB does not serve, in_clb_bereik still says no.
    gebruiker = fresh(wereld.users["clb"])
    policies.clb_bereik(gebruiker)
    setattr(gebruiker, policies._BEREIK_ATTR, frozenset({wereld.leerling_x.pk}))
    assert not policies.in_clb_bereik(gebruiker, wereld.leerling_x)
    assert not policies.leerlingen_visible_to(gebruiker).exists()


# --- classes and the student list --------------------------------------------------------------


def test_the_clb_sees_no_class_list_and_no_class_page(wereld, client_voor):
    w = wereld
    aanmelding(w.leerling_a, w.zorgcoordinator)
    gebruiker = fresh(w.users["clb"])
    assert not policies.klassen_visible_to(gebruiker).exists()
    assert not policies.can_view_zorg_in_klas(gebruiker, w.klas_a)
    client = client_voor(w.users["clb"])
    lijst = client.get(reverse("leerlingen:klas_lijst"))
    assert lijst.status_code == 200
    html = lijst.content.decode()
    for klas in (w.klas_a, w.klas_b):
        assert reverse("leerlingen:klas_detail", args=[klas.pk]) not in html
        assert client.get(reverse("leerlingen:klas_detail", args=[klas.pk])).status_code == 404


def test_the_student_page_names_the_class_without_a_dead_link_for_the_clb(wereld, client_voor):
    w = wereld
    aanmelding(w.leerling_a, w.zorgcoordinator)
    html = client_voor(w.users["clb"]).get(_detail(w.leerling_a)).content.decode()
    assert "3A" in html
    assert reverse("leerlingen:klas_detail", args=[w.klas_a.pk]) not in html


def test_the_student_list_and_search_hold_only_the_students_in_reach(wereld, client_voor):
    w = wereld
    ook_peeters = f.leerling_in(w.klas_b, voornaam="Jana", achternaam="Peeters")
    f.leerling_in(w.klas_b, voornaam="Ruben", achternaam="Peeters")
    aanmelding(w.leerling_a, w.zorgcoordinator)
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(w.users["clb"])
    agendapunt(cel, ook_peeters)
    client = client_voor(w.users["clb"])
    alles = client.get(reverse("leerlingen:leerling_lijst"))
    assert _namen_in_lijst(alles) == {"Lotte Peeters", "Jana Peeters"}
    gezocht = client.get(reverse("leerlingen:leerling_lijst"), {"q": "peeters"})
    assert _namen_in_lijst(gezocht) == {"Lotte Peeters", "Jana Peeters"}
    assert "Ruben" not in gezocht.content.decode()
    assert "Mila" not in gezocht.content.decode()
    assert _namen_in_lijst(client.get(reverse("leerlingen:leerling_lijst"), {"q": "Ruben"})) == (
        set()
    )


# --- the role matrix with a referral ------------------------------------------------------------

# In the matrix world leerling_a has no referral (tests/matrix.py): the CLB
# gets a 404 for her pages. With an open referral, exactly her read pages
# open; every write stays closed, and the other CLB still sees nothing.
LEEST_MET_AANMELDING = {
    "leerlingen:leerling_detail",
    "leerlingen:tijdlijn",
    "leerlingen:intake",
    "leerlingen:observatie_lijst",
    "leerlingen:maatregel_detail",
    "leerlingen:gesprek_detail",
    "leerlingen:document_download",
    "leerlingen:vlag_detail",
    # Issue 17: the absences with what they mean for care (the threshold).
    "leerlingen:leerling_afwezigheden",
    "leerlingen:ouderbrief_detail",
}
# The CLB app's own rows are its parts' (tests/clb/matrix_rijen).
SCHOOLRIJEN = [naam for naam in MATRIX if not naam.startswith("clb:")]


def test_the_matrix_rows_that_open_with_a_referral_are_read_pages_that_exist():
    assert set(SCHOOLRIJEN) >= LEEST_MET_AANMELDING
    for naam in LEEST_MET_AANMELDING:
        assert MATRIX[naam].get["clb"] == 404, naam


@pytest.mark.parametrize("methode", ["get", "post"])
@pytest.mark.parametrize("naam", SCHOOLRIJEN)
@pytest.mark.parametrize("rol", ["clb", "clb_ander"])
def test_the_role_matrix_for_a_clb_worker_once_leerling_a_is_referred(
    wereld, client_voor, naam, rol, methode
):
    rij = MATRIX[naam]
    aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    kwargs = rij.kwargs(wereld) if rij.kwargs else {}
    url = reverse(naam, kwargs=kwargs)
    response = getattr(client_voor(wereld.users[rol]), methode)(url)
    verwacht = getattr(rij, methode)[rol]
    if rol == "clb" and methode == "get" and naam in LEEST_MET_AANMELDING:
        verwacht = 200
    assert response.status_code == verwacht, (
        f"{methode.upper()} {url} as {rol} with a referral: {response.status_code}, "
        f"expected {verwacht}"
    )


# --- queries ---------------------------------------------------------------------------------


def test_clb_bereik_is_one_query_and_cached_per_user(wereld, django_assert_num_queries):
    w = wereld
    aanmelding(w.leerling_a, w.zorgcoordinator)
    cel = overleg(w, OverlegSoort.CEL, dagen=3)
    cel.deelnemers.add(w.users["clb"])
    agendapunt(cel, w.leerling_b)
    gebruiker = fresh(w.users["clb"])
    toegang(gebruiker)  # the core scope: its own queries
    with django_assert_num_queries(1):
        bereik = policies.clb_bereik(gebruiker)
    assert bereik == {w.leerling_a.pk, w.leerling_b.pk}
    with django_assert_num_queries(0):
        assert policies.clb_bereik(gebruiker) is bereik
        assert policies.in_clb_bereik(gebruiker, w.leerling_a)
        assert not policies.in_clb_bereik(gebruiker, w.leerling_x)
    # Another user object (a new request) asks again, and sees new referrals.
    nieuw = f.leerling_in(w.klas_b)
    aanmelding(nieuw, w.zorgcoordinator)
    assert nieuw.pk not in policies.clb_bereik(gebruiker)
    assert nieuw.pk in policies.clb_bereik(fresh(w.users["clb"]))


def test_no_clb_role_costs_no_reach_query(wereld, django_assert_num_queries):
    gebruiker = fresh(wereld.zorgcoordinator)
    toegang(gebruiker)
    with django_assert_num_queries(0):
        assert policies.clb_bereik(gebruiker) == frozenset()


def _lijst_queries(client) -> int:
    url = reverse("leerlingen:leerling_lijst")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _aangemeld(w, aantal, start):
    for i in range(start, start + aantal):
        leerling = f.leerling_in(w.klas_a if i % 2 else w.klas_b, achternaam=f"Leerling{i:03}")
        aanmelding(leerling, w.zorgcoordinator)


def test_the_student_list_costs_the_same_for_5_or_50_referred_students(
    wereld, client_voor, template_queries
):
    client = client_voor(wereld.users["clb"])
    _aangemeld(wereld, 5, 0)
    weinig = _lijst_queries(client)
    _aangemeld(wereld, 45, 5)
    veel = _lijst_queries(client)
    assert weinig == veel
    assert template_queries == []
    totaal = client.get(reverse("leerlingen:leerling_lijst")).context["pagina"].paginator.count
    assert totaal == 50


def test_the_menu_offers_the_clb_pages_to_the_clb_and_no_class_pages(wereld, client_voor):
    w = wereld
    clb_url = reverse("clb:aanmelding_lijst")
    klassen_url = reverse("leerlingen:klas_lijst")
    menu_clb = client_voor(w.users["clb"]).get(reverse("start")).content.decode()
    assert f'href="{clb_url}"' in menu_clb
    assert f'href="{klassen_url}"' not in menu_clb
    for gebruiker in (w.zorgcoordinator, w.leerkracht):
        menu = client_voor(gebruiker).get(reverse("start")).content.decode()
        assert f'href="{clb_url}"' not in menu
        assert f'href="{klassen_url}"' in menu


@pytest.mark.parametrize(("dagen_geleden", "bereikt"), [(None, True), (5, True), (31, False)])
def test_reach_through_a_meeting_ends_a_month_after_it_closed(wereld, dagen_geleden, bereikt):
    """An attended care cell opens the student's record to the CLB worker
    while the meeting runs and for a month after closing (to read back and
    follow up), not for ever."""
    w = wereld
    cel = overleg(w, OverlegSoort.CEL, dagen=-40)
    cel.deelnemers.add(w.users["clb"])
    agendapunt(cel, w.leerling_a)
    if dagen_geleden is not None:
        cel.status = cel.Status.AFGESLOTEN
        cel.afgesloten_op = timezone.now() - datetime.timedelta(days=dagen_geleden)
        cel.afgesloten_door = w.zorgcoordinator
        cel.save()
    assert policies.in_clb_bereik(fresh(w.users["clb"]), w.leerling_a) is bereikt
