"""The new school year (issue 16): the rollover wizard of zorg.beheer.overgang.

The world's current year holds 3A (Lotte Peeters, taught by `leerkracht`,
class teacher `titularis`) and 3B (Noah Janssens); both are grade 3, the
school's highest grade this year unless a test adds a higher one."""

import datetime
import threading

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from leerlingen.models import Inschrijving, Klas, Lesopdracht, Maatregel, Zorgfase
from leerlingen.policies import leerlingen_visible_to
from tests import factories as f
from tests.datums import lokaal
from zorg.accounts.models import Schooljaar, User
from zorg.audit.models import AuditEvent
from zorg.beheer import overgang
from zorg.beheer.overgang import Doel, Plan

D = datetime.date


def _hoger_leerjaar(w):
    """A grade-4 class beside 3A and 3B, so those move up and 4C leaves."""
    klas = f.KlasFactory(schooljaar=w.schooljaar, naam="4C", leerjaar=4)
    f.leerling_in(klas, voornaam="Bram", achternaam="Maes")
    return klas


def _plan(w):
    """3A → 4A and 3B → 4B (the proposal would let grade 3, the world's
    highest, leave)."""
    return Plan(klassen={w.klas_a.pk: Doel("4A", 4), w.klas_b.pk: Doel("4B", 4)})


def _vers(user):
    """The user read anew: the access scope is cached on the object."""
    return User.objects.get(pk=user.pk)


def _uitvoeren(w, plan=None, *, nu_huidig=False):
    return overgang.overgang_uitvoeren(
        school=w.school, plan=plan or _plan(w), nu_huidig=nu_huidig, door=w.beheerder
    )


# --- the proposal ------------------------------------------------------------------


def test_the_next_year_is_counted_from_the_current_year_not_from_today(wereld):
    jaar = Schooljaar(naam="2026-2027", begin=D(2026, 9, 1), einde=D(2027, 8, 31))
    for dag in (lokaal(2027, 1, 1, 0, 5), lokaal(2027, 6, 15), lokaal(2027, 9, 1)):
        with time_machine.travel(dag):
            doel = overgang.volgend_schooljaar_gegevens(jaar)
            assert (doel.naam, doel.begin, doel.einde) == (
                "2027-2028",
                D(2027, 9, 1),
                D(2028, 8, 31),
            )


@pytest.mark.parametrize(
    ("naam", "volgend"),
    [("3A", "4A"), ("1B", "2B"), ("6WEWI2", "7WEWI2"), ("2 Latijn", "3 Latijn"), ("Okan", "Okan")],
)
def test_a_class_name_moves_up_by_its_first_number(naam, volgend):
    assert overgang.volgende_klasnaam(naam) == volgend


def test_the_proposal_moves_every_class_up_and_lets_the_top_grade_leave(wereld):
    klas_c = _hoger_leerjaar(wereld)
    plan = overgang.standaardplan(overgang.bronklassen(wereld.schooljaar))
    assert plan.klassen == {
        wereld.klas_a.pk: Doel("4A", 4),
        wereld.klas_b.pk: Doel("4B", 4),
        klas_c.pk: None,
    }


# --- the dry run ---------------------------------------------------------------------


def test_the_dry_run_writes_nothing_and_names_every_student(wereld):
    _hoger_leerjaar(wereld)
    voor = (Schooljaar.objects.count(), Klas.objects.count(), Inschrijving.objects.count())
    plan = overgang.standaardplan(overgang.bronklassen(wereld.schooljaar))
    overzicht = overgang.overgang_berekenen(wereld.schooljaar, plan)
    assert (Schooljaar.objects.count(), Klas.objects.count(), Inschrijving.objects.count()) == voor
    assert overzicht.jaar_aanmaken
    assert [(k.naam, k.leerjaar, k.leerlingen) for k in overzicht.nieuwe_klassen] == [
        ("4A", 4, 1),
        ("4B", 4, 1),
    ]
    assert {(b.leerling.voornaam, b.van, b.naar) for b in overzicht.bewegingen} == {
        ("Lotte", "3A", "4A"),
        ("Noah", "3B", "4B"),
        ("Bram", "4C", None),
    }
    assert [b.leerling.voornaam for b in overzicht.vertrekkers] == ["Bram"]
    assert overzicht.telling() == {
        "schooljaar": 1,
        "klassen": 2,
        "inschrijvingen": 2,
        "vertrekkers": 1,
        "titularissen": 0,
        "lesopdrachten": 0,
    }


def test_a_student_who_left_during_the_year_does_not_move_up(wereld):
    weg = f.leerling_in(wereld.klas_a, voornaam="Jan", achternaam="Weg")
    begin = wereld.schooljaar.begin
    Inschrijving.objects.filter(leerling=weg).update(einde=begin)
    with time_machine.travel(lokaal(begin.year, begin.month, begin.day + 1)):
        overzicht = overgang.overgang_berekenen(wereld.schooljaar, _plan(wereld))
    assert "Jan" not in {b.leerling.voornaam for b in overzicht.bewegingen}


def test_two_classes_into_one_class_with_two_grades_is_refused(wereld):
    plan = Plan(klassen={wereld.klas_a.pk: Doel("4AB", 4), wereld.klas_b.pk: Doel("4AB", 5)})
    overzicht = overgang.overgang_berekenen(wereld.schooljaar, plan)
    assert overzicht.fouten == ["Klas 4AB krijgt twee verschillende leerjaren."]
    with pytest.raises(overgang.OvergangOngeldig):
        _uitvoeren(wereld, plan)
    assert (
        not Schooljaar.objects.filter(school=wereld.school, is_huidig=False)
        .exclude(pk=wereld.vorig_schooljaar.pk)
        .exists()
    )
    assert Klas.objects.filter(naam="4AB").count() == 0


# --- the run -------------------------------------------------------------------------


def test_the_run_creates_the_year_the_classes_and_the_enrolments(wereld):
    campus = wereld.school.campussen.create(naam="Campus Noord")
    Klas.objects.filter(pk=wereld.klas_a.pk).update(campus=campus)
    telling = _uitvoeren(wereld)
    doel = overgang.volgend_schooljaar_gegevens(wereld.schooljaar)
    jaar = Schooljaar.objects.get(school=wereld.school, naam=doel.naam)
    assert (jaar.begin, jaar.einde, jaar.is_huidig, jaar.kalender_vastgelegd) == (
        doel.begin,
        doel.einde,
        False,
        False,
    )
    klas_4a = Klas.objects.get(schooljaar=jaar, naam="4A")
    assert (klas_4a.leerjaar, klas_4a.campus_id) == (4, campus.pk)
    nieuw = Inschrijving.objects.get(leerling=wereld.leerling_a, klas=klas_4a)
    assert (nieuw.begin, nieuw.einde) == (jaar.begin, None)
    # Last year's enrolment stays as it was: history.
    assert Inschrijving.objects.get(leerling=wereld.leerling_a, klas=wereld.klas_a).einde is None
    assert telling["inschrijvingen"] == 2
    # Class teams are not carried over unless asked.
    assert not klas_4a.klastitularissen.exists()
    assert not Lesopdracht.objects.filter(klas=klas_4a).exists()


def test_the_run_is_audited_once_with_its_counts_and_no_student(wereld):
    _uitvoeren(wereld)
    events = AuditEvent.objects.filter(onderwerp="schooljaarovergang", actie="aanmaken")
    assert events.count() == 1
    event = events.get()
    assert event.leerling_id is None and event.school_id == wereld.school.pk
    assert "klassen 2, inschrijvingen 2, vertrekkers 0" in event.omschrijving
    assert "Peeters" not in event.omschrijving


def test_running_twice_creates_nothing_new(wereld):
    _hoger_leerjaar(wereld)  # a student who leaves: the second run counts her no more
    _uitvoeren(wereld)
    aantallen = (Schooljaar.objects.count(), Klas.objects.count(), Inschrijving.objects.count())
    events = AuditEvent.objects.filter(onderwerp="schooljaarovergang").count()
    telling = _uitvoeren(wereld)
    assert not any(telling.values())
    assert (Schooljaar.objects.count(), Klas.objects.count(), Inschrijving.objects.count()) == (
        aantallen
    )
    assert AuditEvent.objects.filter(onderwerp="schooljaarovergang").count() == events


def test_a_student_enrolled_since_in_the_new_year_is_not_enrolled_twice(wereld):
    _uitvoeren(wereld)
    nieuw = f.leerling_in(wereld.klas_a, voornaam="Eva", achternaam="Claes")
    overzicht = overgang.overgang_berekenen(wereld.schooljaar, _plan(wereld))
    assert [(k.naam, k.bestaat, k.leerlingen) for k in overzicht.klassen] == [
        ("4A", True, 1),
        ("4B", True, 0),
    ]
    telling = _uitvoeren(wereld)
    assert telling["inschrijvingen"] == 1
    assert Inschrijving.objects.filter(leerling=nieuw, klas__naam="4A").count() == 1
    assert Inschrijving.objects.filter(leerling=wereld.leerling_a, klas__naam="4A").count() == 1


def test_a_single_student_can_repeat_or_leave(wereld):
    plan = _plan(wereld)
    plan.klassen[wereld.klas_b.pk] = Doel("4B", 4)
    plan.leerlingen = {wereld.leerling_a.pk: "4B", wereld.leerling_b.pk: None}
    telling = _uitvoeren(wereld, plan)
    assert telling["vertrekkers"] == 1
    assert Inschrijving.objects.filter(leerling=wereld.leerling_a, klas__naam="4B").exists()
    assert not Inschrijving.objects.filter(leerling=wereld.leerling_b, klas__naam="4B").exists()


def test_a_move_to_a_class_the_new_year_does_not_have_is_refused(wereld):
    plan = _plan(wereld)
    plan.leerlingen = {wereld.leerling_a.pk: "9Z"}
    overzicht = overgang.overgang_berekenen(wereld.schooljaar, plan)
    assert len(overzicht.fouten) == 1 and "9Z" in overzicht.fouten[0]


def test_class_teams_are_copied_when_asked_and_only_once(wereld):
    plan = _plan(wereld)
    plan.leerkrachten_kopieren = True
    telling = _uitvoeren(wereld, plan)
    assert (telling["titularissen"], telling["lesopdrachten"]) == (1, 2)
    klas_4a = Klas.objects.get(
        naam="4A", schooljaar__is_huidig=False, schooljaar__school=wereld.school
    )
    assert list(klas_4a.klastitularissen.all()) == [wereld.titularis]
    assert Lesopdracht.objects.filter(klas=klas_4a, leerkracht=wereld.leerkracht).count() == 1
    assert _uitvoeren(wereld, plan)["lesopdrachten"] == 0


def test_the_care_record_stays_with_the_student(wereld):
    fase = Zorgfase.objects.get(schooltype=wereld.school.schooltype, nummer=1)
    wereld.leerling_a.zorgfase = fase
    wereld.leerling_a.save()
    begin = wereld.schooljaar.begin
    maatregel = Maatregel.objects.create(
        leerling=wereld.leerling_a,
        soort="compenserend",
        titel="Laptop met voorleessoftware",
        domeinen=1,
        bereik="alle_vakken",
        begin=begin,
        evaluatiedatum=begin + datetime.timedelta(days=300),
        evaluatietermijn=begin + datetime.timedelta(days=300),
        beslist_waar="cel",
        beslist_door=wereld.zorgcoordinator,
        status=Maatregel.Status.ACTIEF,
    )
    _hoger_leerjaar(wereld)  # Bram in 4C leaves the school
    _uitvoeren(wereld, nu_huidig=True)
    wereld.leerling_a.refresh_from_db()
    herladen = Maatregel.objects.get(pk=maatregel.pk)
    assert wereld.leerling_a.zorgfase == fase
    assert (herladen.status, herladen.evaluatiedatum, herladen.versie) == (
        Maatregel.Status.ACTIEF,
        maatregel.evaluatiedatum,
        1,
    )
    # The care coordinator still sees the student, now in the new class,
    # and the one who left.
    zichtbaar = leerlingen_visible_to(_vers(wereld.zorgcoordinator))
    assert {"Lotte", "Noah", "Bram"} <= set(zichtbaar.values_list("voornaam", flat=True))
    assert {wereld.leerling_a.pk, wereld.leerling_b.pk} <= set(
        zichtbaar.values_list("pk", flat=True)
    )
    assert Inschrijving.objects.actief().get(leerling=wereld.leerling_a).klas.naam == "4A"


def test_a_stale_confirmation_is_refused(wereld):
    with pytest.raises(overgang.OvergangOngeldig):
        overgang.overgang_uitvoeren(
            school=wereld.school,
            plan=_plan(wereld),
            nu_huidig=False,
            door=wereld.beheerder,
            van=wereld.vorig_schooljaar.pk,
        )
    assert not Klas.objects.filter(naam="4A").exists()


def test_making_the_year_current_now_switches_and_archives(wereld):
    telling = _uitvoeren(wereld, nu_huidig=True)
    assert telling["huidig"] == 1
    wereld.schooljaar.refresh_from_db()
    assert not wereld.schooljaar.is_huidig
    nieuw = Schooljaar.objects.get(school=wereld.school, is_huidig=True)
    assert nieuw.naam == overgang.volgend_schooljaar_gegevens(wereld.schooljaar).naam
    # 3A is history: nobody is active in it any more.
    assert not Inschrijving.objects.actief().filter(klas=wereld.klas_a).exists()


def test_a_prepared_year_becomes_current_once(wereld):
    _uitvoeren(wereld)
    jaar = overgang.voorbereid_schooljaar(wereld.school)
    assert overgang.schooljaar_huidig_maken(doeljaar=jaar, door=wereld.beheerder)
    assert not overgang.schooljaar_huidig_maken(doeljaar=jaar, door=wereld.beheerder)
    assert Schooljaar.objects.get(school=wereld.school, is_huidig=True) == jaar
    assert AuditEvent.objects.filter(onderwerp="schooljaarovergang", actie="wijzigen").count() == 1


def test_the_other_school_is_untouched(wereld):
    _uitvoeren(wereld, nu_huidig=True)
    assert Schooljaar.objects.filter(school=wereld.school2).count() == 1
    assert Schooljaar.objects.get(school=wereld.school2).is_huidig


# --- across the summer: what teachers see --------------------------------------------


def _ziet(user) -> set[str]:
    return set(leerlingen_visible_to(_vers(user)).values_list("voornaam", flat=True))


@pytest.mark.parametrize(
    "dag",
    [
        lokaal(2027, 6, 15),
        lokaal(2027, 7, 1),
        lokaal(2027, 8, 31, 23, 30),
        lokaal(2027, 9, 1, 0, 10),
    ],
    ids=["15-juni", "1-juli", "31-augustus", "1-september"],
)
def test_across_the_summer_teachers_see_last_years_class_until_the_new_year_is_current(
    wereld_in_2026_2027, wereld, dag
):
    plan = _plan(wereld)
    plan.leerkrachten_kopieren = True
    with time_machine.travel(dag, tick=False):
        assert _ziet(wereld.leerkracht) == {"Lotte"}
        telling = _uitvoeren(wereld, plan)
        assert telling["inschrijvingen"] == 2
        # Prepared: the teacher still sees 3A, in 3A.
        assert _ziet(wereld.leerkracht) == {"Lotte"}
        assert Inschrijving.objects.actief().get(leerling=wereld.leerling_a).klas.naam == "3A"
        jaar = overgang.voorbereid_schooljaar(wereld.school)
        assert jaar.naam == "2027-2028"
        overgang.schooljaar_huidig_maken(doeljaar=jaar, door=wereld.beheerder)
        # Current: the new class counts before 1 September too; the copied
        # teaching assignment shows her in 4A.
        assert _ziet(wereld.leerkracht) == {"Lotte"}
        assert Inschrijving.objects.actief().get(leerling=wereld.leerling_a).klas.naam == "4A"
        assert _ziet(wereld.leerkracht_b) == {"Noah"}


@pytest.mark.parametrize("dag", [lokaal(2027, 6, 15), lokaal(2027, 9, 1)], ids=["juni", "sept"])
def test_without_copied_assignments_a_teacher_sees_nobody_once_the_year_is_current(
    wereld_in_2026_2027, wereld, dag
):
    with time_machine.travel(dag, tick=False):
        _uitvoeren(wereld, nu_huidig=True)
        assert _ziet(wereld.leerkracht) == set()
        assert {"Lotte", "Noah"} <= _ziet(wereld.zorgcoordinator)


def test_a_rollover_on_new_years_day_prepares_the_next_september(wereld_in_2026_2027, wereld):
    with time_machine.travel(lokaal(2027, 1, 1, 0, 1), tick=False):
        _uitvoeren(wereld)
        jaar = overgang.voorbereid_schooljaar(wereld.school)
        assert (jaar.naam, jaar.begin) == ("2027-2028", D(2027, 9, 1))
        assert _ziet(wereld.leerkracht) == {"Lotte"}


# --- the pages ---------------------------------------------------------------------


def test_the_administrator_corrects_the_proposal_and_sees_the_preview(wereld, client_voor):
    klas_c = _hoger_leerjaar(wereld)
    client = client_voor(wereld.beheerder)
    url = reverse("beheer:overgang_start", args=[wereld.school.pk])
    pagina = client.get(url)
    assert pagina.status_code == 200
    assert 'value="4A"' in pagina.content.decode()
    antwoord = client.post(
        url,
        {
            f"naam_{wereld.klas_a.pk}": "4 Latijn",
            f"leerjaar_{wereld.klas_a.pk}": "4",
            f"geen_{wereld.klas_b.pk}": "on",
            f"geen_{klas_c.pk}": "on",
        },
    )
    assert antwoord.status_code == 302
    voorbeeld = client.get(antwoord.url).content.decode()
    assert "4 Latijn" in voorbeeld and "Peeters Lotte" in voorbeeld
    assert 'data-testid="vertrek"' in voorbeeld and "Janssens Noah" in voorbeeld
    assert 'data-testid="bevestigen"' in voorbeeld


def test_a_missing_class_name_gets_a_dutch_message(wereld, client_voor):
    client = client_voor(wereld.beheerder)
    antwoord = client.post(
        reverse("beheer:overgang_start", args=[wereld.school.pk]),
        {f"leerjaar_{wereld.klas_a.pk}": "4", f"naam_{wereld.klas_b.pk}": "4B"},
    )
    assert antwoord.status_code == 200
    assert "Geef de naam van de nieuwe klas" in antwoord.content.decode()


def test_the_director_reads_the_preview_without_buttons(wereld, client_voor):
    pagina = client_voor(wereld.directie).get(
        reverse("beheer:overgang_voorbeeld", args=[wereld.school.pk])
    )
    inhoud = pagina.content.decode()
    assert pagina.status_code == 200
    assert "Peeters Lotte" in inhoud
    assert 'data-testid="bevestigen"' not in inhoud and 'data-testid="verplaatsen"' not in inhoud
    start = client_voor(wereld.directie).get(
        reverse("beheer:overgang_start", args=[wereld.school.pk])
    )
    assert (
        "disabled" in start.content.decode() and "Naar het voorbeeld" not in start.content.decode()
    )


def test_the_preview_shows_no_care_content(wereld, client_voor):
    Maatregel.objects.create(
        leerling=wereld.leerling_a,
        soort="compenserend",
        titel="Laptop met voorleessoftware",
        domeinen=1,
        bereik="alle_vakken",
        begin=wereld.schooljaar.begin,
        evaluatiedatum=wereld.schooljaar.einde,
        evaluatietermijn=wereld.schooljaar.einde,
        beslist_waar="cel",
        beslist_door=wereld.zorgcoordinator,
        status=Maatregel.Status.ACTIEF,
    )
    inhoud = (
        client_voor(wereld.beheerder)
        .get(reverse("beheer:overgang_voorbeeld", args=[wereld.school.pk]))
        .content.decode()
    )
    assert "Laptop" not in inhoud


def test_a_student_is_moved_in_the_preview_then_the_run_is_confirmed_once(wereld, client_voor):
    client = client_voor(wereld.beheerder)
    pk = wereld.school.pk
    sessie = client.session
    sessie[f"overgang:{pk}"] = _plan(wereld).naar_sessie()
    sessie.save()
    antwoord = client.post(
        reverse("beheer:overgang_leerling", args=[pk]),
        {"leerling": wereld.leerling_a.pk, "naar": "-"},
    )
    assert antwoord.status_code == 302
    voorbeeld = client.get(reverse("beheer:overgang_voorbeeld", args=[pk]))
    assert voorbeeld.context["telling"]["vertrekkers"] == 1
    sleutel = voorbeeld.context["bevestigen"].initial["sleutel"]
    gegevens = {"sleutel": sleutel, "van": wereld.schooljaar.pk, "moment": "later"}
    eerste = client.post(reverse("beheer:overgang_uitvoeren", args=[pk]), gegevens)
    assert eerste.status_code == 302
    aantal = Inschrijving.objects.count()
    tweede = client.post(reverse("beheer:overgang_uitvoeren", args=[pk]), gegevens, follow=True)
    assert "al verstuurd" in tweede.content.decode()
    assert Inschrijving.objects.count() == aantal
    assert not Inschrijving.objects.filter(leerling=wereld.leerling_a, klas__naam="4A").exists()
    assert Inschrijving.objects.filter(leerling=wereld.leerling_b, klas__naam="4B").exists()
    assert AuditEvent.objects.filter(onderwerp="schooljaarovergang", actie="aanmaken").count() == 1


def test_a_bad_move_gets_a_dutch_message(wereld, client_voor):
    antwoord = client_voor(wereld.beheerder).post(
        reverse("beheer:overgang_leerling", args=[wereld.school.pk]),
        {"leerling": wereld.leerling_x.pk, "naar": "4A"},
    )
    assert antwoord.status_code == 200
    assert "Kies een leerling van dit schooljaar." in antwoord.content.decode()


def test_the_preview_records_whom_it_showed(wereld, client_voor):
    client_voor(wereld.beheerder).get(reverse("beheer:overgang_voorbeeld", args=[wereld.school.pk]))
    assert set(
        AuditEvent.objects.filter(onderwerp="schooljaarovergang", actie="lezen").values_list(
            "leerling_id", flat=True
        )
    ) == {wereld.leerling_a.pk, wereld.leerling_b.pk}


def test_a_school_without_a_current_year_says_so(wereld, client_voor):
    Schooljaar.objects.filter(school=wereld.school).update(is_huidig=False)
    pagina = client_voor(wereld.beheerder).get(
        reverse("beheer:overgang_voorbeeld", args=[wereld.school.pk])
    )
    assert pagina.status_code == 200
    assert 'data-testid="geen-huidig-jaar"' in pagina.content.decode()


def _meet(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    return len(ctx.captured_queries)


def test_the_preview_costs_the_same_queries_for_two_or_many_classes(wereld, client_voor):
    # Guards the N+1 of a query per class (its target, its team) or per
    # student (their class, their enrolment in the new year).
    client = client_voor(wereld.beheerder)
    url = reverse("beheer:overgang_voorbeeld", args=[wereld.school.pk])
    plan = _plan(wereld)
    plan.leerkrachten_kopieren = True
    _uitvoeren(wereld, plan)  # a prepared year with classes to compare against
    sessie = client.session
    sessie[f"overgang:{wereld.school.pk}"] = plan.naar_sessie()
    sessie.save()
    weinig = _meet(client, url)
    for i in range(6):
        klas = f.KlasFactory(schooljaar=wereld.schooljaar, naam=f"2{chr(65 + i)}", leerjaar=2)
        f.LesopdrachtFactory(klas=klas)
        for _ in range(5):
            f.leerling_in(klas)
    veel = _meet(client, url)
    assert veel == weinig
    # 6 of every page (session, user, idle limit, scope, its CLBs, unread
    # notifications) and 10 of its own: school, year, classes, next year,
    # its classes, who is in it, the enrolments, two for the class teams,
    # the one INSERT recording whom the page showed.
    assert veel <= 16


def test_the_start_page_costs_the_same_queries_for_two_or_many_classes(wereld, client_voor):
    # Guards a query per class row (its campus, its proposal).
    client = client_voor(wereld.beheerder)
    url = reverse("beheer:overgang_start", args=[wereld.school.pk])
    weinig = _meet(client, url)
    campus = wereld.school.campussen.create(naam="Campus Zuid")
    for i in range(8):
        f.KlasFactory(
            schooljaar=wereld.schooljaar, naam=f"1{chr(65 + i)}", leerjaar=1, campus=campus
        )
    assert _meet(client, url) == weinig


# --- two runs at once ------------------------------------------------------------------


def _gelijktijdig(monkeypatch, *aanroepen):
    """Run the calls in two threads that both reach the lock at once."""
    samen = threading.Barrier(len(aanroepen), timeout=10)
    echt = overgang._vergrendeld_huidig_jaar

    def tegelijk(school):
        samen.wait()
        return echt(school)

    monkeypatch.setattr(overgang, "_vergrendeld_huidig_jaar", tegelijk)
    uitkomsten, fouten = [], []

    def draai(aanroep):
        try:
            uitkomsten.append(aanroep())
        except Exception as exc:
            fouten.append(exc)
        finally:
            connection.close()

    draden = [threading.Thread(target=draai, args=(a,)) for a in aanroepen]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join(30)
    return uitkomsten, fouten


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_create_everything_once(wereld, monkeypatch):
    plan = _plan(wereld)
    run = lambda: overgang.overgang_uitvoeren(  # noqa: E731
        school=wereld.school, plan=plan, nu_huidig=False, door=wereld.beheerder
    )
    uitkomsten, fouten = _gelijktijdig(monkeypatch, run, run)
    assert not fouten
    assert sorted(t["inschrijvingen"] for t in uitkomsten) == [0, 2]
    assert Schooljaar.objects.filter(school=wereld.school).count() == 3
    assert Inschrijving.objects.filter(klas__naam__in=["4A", "4B"]).count() == 2
    assert AuditEvent.objects.filter(onderwerp="schooljaarovergang", actie="aanmaken").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_that_waited_for_one_that_made_the_year_current_is_refused(wereld, monkeypatch):
    plan = _plan(wereld)
    run = lambda: overgang.overgang_uitvoeren(  # noqa: E731
        school=wereld.school,
        plan=plan,
        nu_huidig=True,
        door=wereld.beheerder,
        van=wereld.schooljaar.pk,
    )
    uitkomsten, fouten = _gelijktijdig(monkeypatch, run, run)
    assert len(uitkomsten) == 1 and uitkomsten[0]["huidig"] == 1
    assert [type(f) for f in fouten] == [overgang.OvergangOngeldig]
    # Not a year after the new one: the plan was not applied to it.
    assert Schooljaar.objects.filter(school=wereld.school).count() == 3


def test_the_administrator_makes_the_prepared_year_current_from_the_start_page(wereld, client_voor):
    _uitvoeren(wereld)
    jaar = overgang.voorbereid_schooljaar(wereld.school)
    client = client_voor(wereld.beheerder)
    start = reverse("beheer:overgang_start", args=[wereld.school.pk])
    knop = reverse("beheer:schooljaar_huidig_maken", args=[jaar.pk])
    assert knop in client.get(start).content.decode()
    # The director reads that it is prepared, without the button.
    directie = client_voor(wereld.directie).get(start).content.decode()
    assert 'data-testid="voorbereid"' in directie and knop not in directie
    client = client_voor(wereld.beheerder)
    eerste = client.post(knop, follow=True)
    assert f"{jaar.naam} is nu het huidige schooljaar." in eerste.content.decode()
    tweede = client.post(knop, follow=True)
    assert "er werd niets gewijzigd" in tweede.content.decode()
    assert Schooljaar.objects.get(school=wereld.school, is_huidig=True) == jaar


def test_after_the_rollover_the_care_team_plans_every_new_class_portrait_council_at_once(
    wereld, client_voor
):
    """The portrait class councils of the new year: once it is current, its
    classes are on the care team's planning page, with their students."""
    import re

    from klassenraad.models import Agendapunt, Overleg, OverlegSoort

    w = wereld
    _uitvoeren(w, nu_huidig=True)
    nieuw_a = Klas.objects.get(schooljaar__school=w.school, schooljaar__is_huidig=True, naam="4A")
    nieuw_b = Klas.objects.get(schooljaar__school=w.school, schooljaar__is_huidig=True, naam="4B")
    client = client_voor(_vers(w.zorgcoordinator))
    url = reverse("klassenraad:portretten_plannen", args=[w.school.pk])
    html = client.get(url).content.decode()
    assert f'name="datum_{nieuw_a.pk}"' in html and f'name="datum_{w.klas_a.pk}"' not in html
    sleutel = re.search(r'name="sleutel" value="([0-9a-f-]{36})"', html)[1]
    antwoord = client.post(
        url,
        {
            "sleutel": sleutel,
            f"datum_{nieuw_a.pk}": f"{nieuw_a.schooljaar.begin.year}-09-15",
            f"tijd_{nieuw_a.pk}": "15:45",
            f"datum_{nieuw_b.pk}": f"{nieuw_a.schooljaar.begin.year}-09-16",
            f"tijd_{nieuw_b.pk}": "15:45",
        },
    )
    assert antwoord.status_code == 302
    raad = Overleg.objects.get(soort=OverlegSoort.PORTRET, klas=nieuw_a)
    assert list(Agendapunt.objects.filter(overleg=raad).values_list("leerling", flat=True)) == [
        w.leerling_a.pk
    ]
    assert Overleg.objects.filter(soort=OverlegSoort.PORTRET, klas=nieuw_b).exists()
