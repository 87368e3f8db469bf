"""The class measures overview: "which measures must I apply for the
students in front of me now?"."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leerlingen.models import Bereik, Inschrijving, Lesopdracht, Maatregel, MaatregelSoort
from tests import factories as f
from tests.clb.factories import aanmelding
from tests.leerlingen.factories_maatregelen import MaatregelFactory
from zorg.audit.models import Actie, AuditEvent

VANDAAG = datetime.date.today()
DAG = datetime.timedelta(days=1)
# The brief's ceiling; today a subject teacher needs 11 (session, user, two for
# the scope, the classes taught, the class, the enrolments, the measures,
# their subjects, the audit INSERT and the unread notifications).
PLAFOND = 12


def _url(klas, **params):
    return reverse("leerlingen:klas_maatregelen", args=[klas.pk])


def _titels(response) -> set[str]:
    return {
        m.titel
        for blok in response.context["blokken"]
        for groep in blok["groepen"]
        for m in groep["maatregelen"]
    }


@pytest.fixture
def vakken(wereld):
    """3A: `leerkracht` teaches Wiskunde (the world's own assignment), a
    second teacher teaches Frans."""
    wiskunde = Lesopdracht.objects.get(leerkracht=wereld.leerkracht, klas=wereld.klas_a).vak
    frans = f.VakFactory(school=wereld.school, naam="Frans")
    franskracht = f.UserFactory(email="frans@test.example")
    f.LidmaatschapFactory(user=franskracht, school=wereld.school, rol="leerkracht")
    f.LesopdrachtFactory(leerkracht=franskracht, klas=wereld.klas_a, vak=frans)
    return {"wiskunde": wiskunde, "frans": frans, "franskracht": franskracht}


def test_teacher_of_another_class_gets_404(wereld, client_voor):
    MaatregelFactory(leerling=wereld.leerling_a)
    assert client_voor(wereld.leerkracht_b).get(_url(wereld.klas_a)).status_code == 404


@pytest.mark.parametrize("rol", ["secretariaat", "beheerder", "clb", "buitenstaander"])
def test_no_overview_outside_the_class_team_and_care_team(wereld, client_voor, rol):
    if rol == "clb":
        # A referred student of the class opens no class to the CLB.
        aanmelding(wereld.leerling_a, wereld.zorgcoordinator)
    assert client_voor(wereld.users[rol]).get(_url(wereld.klas_a)).status_code == 404


def test_a_measure_for_french_only_shows_for_the_french_teacher_and_the_class_teacher(
    wereld, client_voor, vakken
):
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Geen quotering voor spelling",
        bereik=Bereik.GEKOZEN_VAKKEN,
        vakken=[vakken["frans"]],
    )
    wiskunde = client_voor(wereld.leerkracht).get(_url(wereld.klas_a))
    assert _titels(wiskunde) == set()
    assert "Geen quotering voor spelling" not in wiskunde.content.decode()

    frans = client_voor(vakken["franskracht"]).get(_url(wereld.klas_a))
    assert _titels(frans) == {"Geen quotering voor spelling"}

    titularis = client_voor(wereld.titularis).get(_url(wereld.klas_a))
    assert _titels(titularis) == {"Geen quotering voor spelling"}
    zorg = client_voor(wereld.zorgcoordinator).get(_url(wereld.klas_a))
    assert _titels(zorg) == {"Geen quotering voor spelling"}


def test_a_subject_the_teacher_teaches_in_another_class_does_not_count(wereld, client_voor, vakken):
    # The maths teacher also teaches French, but in 3B, not in 3A.
    f.LesopdrachtFactory(leerkracht=wereld.leerkracht, klas=wereld.klas_b, vak=vakken["frans"])
    MaatregelFactory(
        leerling=wereld.leerling_a, bereik=Bereik.GEKOZEN_VAKKEN, vakken=[vakken["frans"]]
    )
    assert _titels(client_voor(wereld.leerkracht).get(_url(wereld.klas_a))) == set()


def test_measures_for_all_subjects_and_for_tests_show_for_every_teacher(
    wereld, client_voor, vakken
):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Rekenkaart gebruiken")
    MaatregelFactory(
        leerling=wereld.leerling_a, titel="Toetsen in aparte ruimte", bereik=Bereik.TOETSEN
    )
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Vergrote kopieën",
        bereik=Bereik.GEKOZEN_VAKKEN,
        vakken=[vakken["wiskunde"], vakken["frans"]],
    )
    response = client_voor(wereld.leerkracht).get(_url(wereld.klas_a))
    assert _titels(response) == {
        "Rekenkaart gebruiken",
        "Toetsen in aparte ruimte",
        "Vergrote kopieën",
    }
    html = response.content.decode()
    assert "toetsen en examens" in html
    assert "Frans, Wiskunde" in html


@pytest.mark.parametrize(
    ("status", "begin", "einde"),
    [
        ("voorgesteld", -5, None),
        ("gestopt", -30, -1),
        ("geevalueerd", -30, -1),
        ("actief", 3, None),
        ("actief", -30, -1),
    ],
)
def test_ended_proposed_and_future_measures_are_not_shown(
    wereld, client_voor, status, begin, einde
):
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Niet vandaag",
        status=status,
        begin=VANDAAG + begin * DAG,
        einde=VANDAAG + einde * DAG if einde is not None else None,
        evaluatiedatum=VANDAAG + 60 * DAG,
    )
    MaatregelFactory(leerling=wereld.leerling_a, titel="Wel vandaag", einde=VANDAAG)
    response = client_voor(wereld.titularis).get(_url(wereld.klas_a))
    assert _titels(response) == {"Wel vandaag"}
    assert "Niet vandaag" not in response.content.decode()


@pytest.mark.usefixtures("schooljaar_onderweg")
def test_students_who_left_the_class_and_other_classes_are_not_shown(wereld, client_voor):
    vertrokken = f.leerling_in(wereld.klas_a, voornaam="Jonas", achternaam="Maes")
    # Not VANDAAG: that is read when the module loads, before the clock moves.
    Inschrijving.objects.filter(leerling=vertrokken).update(einde=timezone.localdate() - DAG)
    MaatregelFactory(leerling=vertrokken, titel="Van Jonas")
    MaatregelFactory(leerling=wereld.leerling_b, titel="Van Noah")
    response = client_voor(wereld.zorgcoordinator).get(_url(wereld.klas_a))
    assert _titels(response) == set()
    assert response.context["aantal_leerlingen"] == 1


def test_measures_are_grouped_per_student_then_by_sticordi_kind_and_students_without_are_counted(
    wereld, client_voor
):
    emma = f.leerling_in(wereld.klas_a, voornaam="Emma", achternaam="Aerts")
    f.leerling_in(wereld.klas_a, voornaam="Finn", achternaam="Wouters")  # no measures
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Geen quotering voor spelling",
        soort=MaatregelSoort.DISPENSEREND,
    )
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Laptop met voorleessoftware",
        soort=MaatregelSoort.COMPENSEREND,
    )
    MaatregelFactory(
        leerling=wereld.leerling_a,
        titel="Extra tijd bij toetsen",
        soort=MaatregelSoort.COMPENSEREND,
    )
    MaatregelFactory(leerling=emma, titel="Positieve feedback", soort=MaatregelSoort.STIMULEREND)

    response = client_voor(wereld.titularis).get(_url(wereld.klas_a))

    blokken = response.context["blokken"]
    assert [b["leerling"].volledige_naam for b in blokken] == ["Emma Aerts", "Lotte Peeters"]
    lotte = blokken[1]["groepen"]
    assert [g["code"] for g in lotte] == ["compenserend", "dispenserend"]
    assert [m.titel for m in lotte[0]["maatregelen"]] == [
        "Extra tijd bij toetsen",
        "Laptop met voorleessoftware",
    ]
    assert response.context["zonder"] == 1
    html = response.content.decode()
    assert "1 leerling van de klas heeft geen lopende maatregelen." in html
    assert "Finn" not in html


def test_an_empty_overview_says_so(wereld, client_voor):
    response = client_voor(wereld.leerkracht).get(_url(wereld.klas_a))
    assert response.status_code == 200
    assert "Geen lopende maatregelen voor jou in deze klas." in response.content.decode()


def test_the_print_layout_has_no_navigation_and_no_inline_script(wereld, client_voor):
    MaatregelFactory(leerling=wereld.leerling_a, titel="Rekenkaart gebruiken")
    scherm = client_voor(wereld.titularis).get(_url(wereld.klas_a))
    assert 'href="?print=1"' in scherm.content.decode()

    response = client_voor(wereld.titularis).get(_url(wereld.klas_a), {"print": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rekenkaart gebruiken" in html
    assert "navbar" not in html
    assert "<script" not in html and "onclick" not in html and "style=" not in html
    assert "css/zorg.css" in html


def test_reading_the_overview_audits_each_student_shown_in_one_insert(wereld, client_voor):
    andere = f.leerling_in(wereld.klas_a)
    zonder = f.leerling_in(wereld.klas_a)
    MaatregelFactory(leerling=wereld.leerling_a)
    MaatregelFactory(leerling=andere)
    client = client_voor(wereld.titularis)
    with CaptureQueriesContext(connection) as ctx:
        client.get(_url(wereld.klas_a))

    inserts = [q for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "audit')]
    assert len(inserts) == 1
    events = AuditEvent.objects.filter(onderwerp="klas_maatregelen", actie=Actie.LEZEN)
    assert events.count() == 2
    assert {e.leerling_id for e in events} == {wereld.leerling_a.pk, andere.pk}
    assert zonder.pk not in {e.leerling_id for e in events}


def test_an_overview_without_measures_is_still_audited_for_the_class(wereld, client_voor):
    client_voor(wereld.leerkracht).get(_url(wereld.klas_a))
    event = AuditEvent.objects.get(onderwerp="klas_maatregelen")
    assert (event.leerling_id, event.school_id, event.object_id) == (
        None,
        wereld.school.pk,
        str(wereld.klas_a.pk),
    )


def _vul(wereld, vakken, aantal):
    """`aantal` students in 3A with measures of every scope."""
    bestaand = Maatregel.objects.values("leerling").distinct().count()
    for _ in range(aantal - bestaand):
        leerling = f.leerling_in(wereld.klas_a)
        MaatregelFactory(leerling=leerling)
        MaatregelFactory(
            leerling=leerling, bereik=Bereik.TOETSEN, soort=MaatregelSoort.DISPENSEREND
        )
        MaatregelFactory(
            leerling=leerling,
            bereik=Bereik.GEKOZEN_VAKKEN,
            vakken=[vakken["wiskunde"], vakken["frans"]],
        )
        f.leerling_in(wereld.klas_a)  # and one without


def _meet(client, url, params=None) -> int:
    client.get(url, params)  # session, scope and caches warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("rol", ["leerkracht", "titularis", "zorgcoordinator"])
@pytest.mark.parametrize("params", [None, {"print": "1"}])
def test_query_count_does_not_grow_with_the_class(
    wereld, client_voor, vakken, template_queries, rol, params
):
    # Guards against a query per student (their measures), per measure (its
    # subjects) and per subject (whether this teacher teaches it here).
    client = client_voor(wereld.users[rol])
    _vul(wereld, vakken, 5)
    weinig = _meet(client, _url(wereld.klas_a), params)
    _vul(wereld, vakken, 30)
    veel = _meet(client, _url(wereld.klas_a), params)

    assert weinig == veel <= PLAFOND
    assert template_queries == []


def test_the_start_page_links_each_class_to_its_measures(wereld, client_voor):
    html = client_voor(wereld.titularis).get(reverse("start")).content.decode()
    assert f'href="{_url(wereld.klas_a)}"' in html
