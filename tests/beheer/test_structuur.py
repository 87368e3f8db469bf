"""The school's structure in the app (issue 16): campuses, school years,
classes with class teachers, subjects, teaching assignments. Who may see
and change them, names that are odd (long, only spaces, the same but for
case), what may not be removed, two people saving at once, a double
submit, the audit trail, and lists whose queries do not grow with rows.

The world is built in the school year 2026-2027 (wereld_in_2026_2027):
the previous one runs from 1 September 2025 to 31 August 2026."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from leerlingen.models import Inschrijving, Klas, Lesopdracht, Vak
from tests import factories as f
from zorg.accounts.models import Campus, Lidmaatschap, Rol
from zorg.audit.models import Actie, AuditEvent
from zorg.beheer.structuur import policies, services
from zorg.versies import VerouderdeVersie

pytestmark = pytest.mark.usefixtures("wereld_in_2026_2027")

D = datetime.date
LANG = "Campus " + "x" * 400


def _events(onderwerp, **filters):
    return AuditEvent.objects.filter(onderwerp=onderwerp, **filters)


def _sleutel():
    return str(uuid.uuid4())


def _fouten(response) -> str:
    return response.content.decode()


# --- campuses ---------------------------------------------------------------------


def test_a_campus_name_is_stripped_and_its_add_audited(wereld):
    campus = services.campus_toevoegen(
        school=wereld.school, naam="  Campus   Noord ", door=wereld.beheerder
    )
    assert campus.naam == "Campus Noord"
    event = _events("campus", object_id=str(campus.pk)).get()
    assert event.actie == Actie.AANMAKEN
    assert event.gebruiker == wereld.beheerder
    assert event.school_id == wereld.school.pk


@pytest.mark.parametrize(
    ("naam", "bericht"),
    [
        ("   ", "Geef de campus een naam."),
        (LANG, "hoogstens 200 tekens"),
        ("campus NOORD", "al een campus met die naam"),
    ],
)
def test_an_odd_campus_name_is_refused_with_a_message(wereld, naam, bericht):
    Campus.objects.create(school=wereld.school, naam="Campus Noord")
    with pytest.raises(ValidationError) as fout:
        services.campus_toevoegen(school=wereld.school, naam=naam, door=wereld.beheerder)
    assert bericht in str(fout.value.message_dict["naam"])


def test_the_same_campus_name_in_another_school_is_fine(wereld):
    Campus.objects.create(school=wereld.school2, naam="Campus Noord")
    services.campus_toevoegen(school=wereld.school, naam="campus noord", door=wereld.beheerder)
    assert Campus.objects.filter(school=wereld.school).count() == 1


@pytest.mark.parametrize(
    ("naam", "bericht"),
    [
        ("   ", "Geef de campus een naam."),
        ("x" * 1000, "te lang"),
        ("CAMPUS noord", "al een campus met die naam"),
    ],
)
def test_the_add_page_shows_a_dutch_message_for_odd_names_never_a_500(
    wereld, client_voor, naam, bericht
):
    Campus.objects.create(school=wereld.school, naam="Campus Noord")
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:campus_toevoegen", args=[wereld.school.pk]),
        {"naam": naam, "adres": "", "sleutel": _sleutel()},
    )
    assert response.status_code == 200
    assert bericht in _fouten(response)
    assert Campus.objects.filter(school=wereld.school).count() == 1


def test_a_double_submitted_campus_is_added_once(wereld, client_voor):
    client = client_voor(wereld.beheerder)
    data = {"naam": "Campus Zuid", "adres": "", "sleutel": _sleutel()}
    url = reverse("beheer:campus_toevoegen", args=[wereld.school.pk])
    assert client.post(url, data).status_code == 302
    tweede = client.post(url, data, follow=True)
    assert "er werd niets dubbel bewaard" in _fouten(tweede)
    assert Campus.objects.filter(school=wereld.school, naam="Campus Zuid").count() == 1


def test_a_rename_from_an_old_page_is_refused(wereld):
    campus = Campus.objects.create(school=wereld.school, naam="Campus Noord")
    services.campus_wijzigen(campus=campus, versie=1, naam="Campus Oost", door=wereld.beheerder)
    with pytest.raises(VerouderdeVersie):
        services.campus_wijzigen(campus=campus, versie=1, naam="Campus West", door=wereld.beheerder)
    campus.refresh_from_db()
    assert (campus.naam, campus.versie) == ("Campus Oost", 2)
    event = _events("campus", actie=Actie.WIJZIGEN).get()
    assert event.omschrijving == "Campus Noord → Campus Oost"
    assert event.velden == ["naam"]


def test_a_conflicting_rename_shows_the_conflict_and_keeps_the_input(wereld, client_voor):
    campus = Campus.objects.create(school=wereld.school, naam="Campus Noord")
    services.campus_wijzigen(campus=campus, versie=1, naam="Campus Oost", door=wereld.beheerder)
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:campus_wijzigen", args=[campus.pk]),
        {"naam": "Campus West", "adres": "", "versie": "1"},
    )
    assert response.status_code == 200
    assert 'data-testid="conflict"' in _fouten(response)
    assert 'value="Campus West"' in _fouten(response)
    campus.refresh_from_db()
    assert campus.naam == "Campus Oost"


def test_renaming_a_campus_to_its_own_name_in_other_case_is_a_rename(wereld):
    campus = Campus.objects.create(school=wereld.school, naam="campus noord")
    gewijzigd = services.campus_wijzigen(
        campus=campus, versie=1, naam="Campus Noord", door=wereld.beheerder
    )
    assert gewijzigd == ["naam"]


def test_a_campus_a_class_uses_is_not_removed(wereld, client_voor):
    campus = Campus.objects.create(school=wereld.school, naam="Campus Noord")
    Klas.objects.filter(pk=wereld.klas_a.pk).update(campus=campus)
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:campus_verwijderen", args=[campus.pk]), follow=True
    )
    assert "wordt nog door een klas gebruikt" in _fouten(response)
    assert Campus.objects.filter(pk=campus.pk).exists()
    assert not _events("campus", actie=Actie.VERWIJDEREN).exists()


def test_an_unused_campus_is_removed_and_audited(wereld, client_voor):
    campus = Campus.objects.create(school=wereld.school, naam="Campus Noord")
    client_voor(wereld.beheerder).post(reverse("beheer:campus_verwijderen", args=[campus.pk]))
    assert not Campus.objects.filter(pk=campus.pk).exists()
    assert _events("campus", actie=Actie.VERWIJDEREN).get().omschrijving == "Campus Noord"


def test_another_schools_campus_is_a_404_for_the_administrator(wereld, client_voor):
    campus = Campus.objects.create(school=wereld.school2, naam="Campus Elders")
    client = client_voor(wereld.beheerder)
    assert client.get(reverse("beheer:campus_wijzigen", args=[campus.pk])).status_code == 404
    assert client.post(reverse("beheer:campus_verwijderen", args=[campus.pk])).status_code == 404
    assert Campus.objects.filter(pk=campus.pk).exists()


# --- subjects -------------------------------------------------------------------


def test_a_subject_with_a_teaching_assignment_is_not_removed(wereld):
    vak = Lesopdracht.objects.get(leerkracht=wereld.leerkracht).vak
    with pytest.raises(services.InGebruik):
        services.vak_verwijderen(vak=vak, door=wereld.beheerder)
    assert Vak.objects.filter(pk=vak.pk).exists()


def test_a_subject_in_a_measures_scope_is_not_removed(wereld):
    from leerlingen.models import Maatregel

    vak = f.VakFactory(school=wereld.school, naam="Frans")
    maatregel = Maatregel.objects.create(
        leerling=wereld.leerling_a,
        soort="compenserend",
        titel="Woordenlijst",
        domeinen=1,
        bereik="gekozen_vakken",
        begin=D(2026, 10, 1),
        evaluatiedatum=D(2026, 12, 1),
        evaluatietermijn=D(2026, 12, 1),
        beslist_waar="klassenraad",
        beslist_door=wereld.zorgcoordinator,
    )
    maatregel.vakken.add(vak)
    with pytest.raises(services.InGebruik):
        services.vak_verwijderen(vak=vak, door=wereld.beheerder)


def test_an_unused_subject_is_removed_and_a_duplicate_refused(wereld):
    vak = services.vak_toevoegen(school=wereld.school, naam=" Latijn ", door=wereld.beheerder)
    with pytest.raises(ValidationError, match="al een vak met die naam"):
        services.vak_toevoegen(school=wereld.school, naam="LATIJN", door=wereld.beheerder)
    services.vak_verwijderen(vak=vak, door=wereld.beheerder)
    assert not Vak.objects.filter(pk=vak.pk).exists()
    assert [e.actie for e in _events("vak").order_by("pk")] == [Actie.AANMAKEN, Actie.VERWIJDEREN]


# --- school years -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("begin", "einde", "bericht"),
    [
        (D(2026, 9, 1), D(2026, 9, 1), "na het begin"),
        (D(2026, 9, 1), D(2026, 8, 31), "na het begin"),
        (D(2026, 9, 1), D(2027, 10, 31), "hoogstens dertien maanden"),
        # The previous year ends on 31 August 2026.
        (D(2026, 8, 31), D(2027, 6, 30), "overlappen met schooljaar"),
    ],
)
def test_a_school_years_dates_are_checked(wereld, begin, einde, bericht):
    with pytest.raises(ValidationError, match=bericht):
        services.schooljaar_wijzigen(
            schooljaar=wereld.schooljaar, versie=1, begin=begin, einde=einde, door=wereld.beheerder
        )


def test_a_school_year_may_end_on_30_june_and_the_change_is_audited(wereld):
    gewijzigd = services.schooljaar_wijzigen(
        schooljaar=wereld.schooljaar,
        versie=wereld.schooljaar.versie,
        begin=D(2026, 9, 1),
        einde=D(2027, 6, 30),
        door=wereld.beheerder,
    )
    assert gewijzigd == ["einde"]
    wereld.schooljaar.refresh_from_db()
    assert wereld.schooljaar.einde == D(2027, 6, 30)
    assert _events("schooljaar").get().velden == ["einde"]


def test_a_school_year_over_a_leap_day_is_a_normal_year(wereld):
    # 2027-2028 holds 29 February 2028: 366 days from 1 September to 31
    # August, and it touches the current year (ending 31 August 2027)
    # without overlapping it.
    jaar = f.SchooljaarFactory(school=wereld.school, begin=D(2027, 9, 1), is_huidig=False)
    services.schooljaar_wijzigen(
        schooljaar=jaar, versie=1, begin=D(2027, 9, 1), einde=D(2028, 9, 30), door=wereld.beheerder
    )
    with pytest.raises(ValidationError, match="hoogstens dertien maanden"):
        services.schooljaar_wijzigen(
            schooljaar=jaar,
            versie=2,
            begin=D(2027, 9, 1),
            einde=D(2028, 10, 31),
            door=wereld.beheerder,
        )
    with pytest.raises(ValidationError, match="overlappen met schooljaar 2026-2027"):
        services.schooljaar_wijzigen(
            schooljaar=jaar,
            versie=2,
            begin=D(2027, 8, 31),
            einde=D(2028, 6, 30),
            door=wereld.beheerder,
        )


def test_the_school_year_form_shows_bad_dates_in_dutch(wereld, client_voor):
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:schooljaar_wijzigen", args=[wereld.schooljaar.pk]),
        {"begin": "2026-09-01", "einde": "niet-een-datum", "versie": "1"},
    )
    assert response.status_code == 200
    assert "Vul een geldige datum in." in _fouten(response)


# --- classes ----------------------------------------------------------------------


def test_a_class_is_added_with_its_class_teacher(wereld, client_voor):
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:klas_toevoegen", args=[wereld.schooljaar.pk]),
        {
            "naam": " 4B ",
            "leerjaar": "4",
            "campus": "",
            "klastitularissen": [str(wereld.leerkracht.pk)],
            "sleutel": _sleutel(),
        },
    )
    klas = Klas.objects.get(schooljaar=wereld.schooljaar, naam="4B")
    assert response.status_code == 302
    assert list(klas.klastitularissen.all()) == [wereld.leerkracht]
    assert _events("klas", object_id=str(klas.pk)).get().actie == Actie.AANMAKEN


@pytest.mark.parametrize(
    ("wijziging", "bericht"),
    [
        ({"naam": "3a"}, "al een klas met die naam"),
        ({"naam": "   "}, "Geef de klas een naam."),
        ({"naam": "3" * 300}, "te lang"),
        ({"leerjaar": "8"}, "Kies een leerjaar van 1 tot en met 7."),
        ({"leerjaar": "0"}, "Kies een leerjaar van 1 tot en met 7."),
        ({"leerjaar": "drie"}, "Kies een leerjaar van 1 tot en met 7."),
    ],
)
def test_a_bad_class_gets_a_dutch_message(wereld, client_voor, wijziging, bericht):
    data = {"naam": "4B", "leerjaar": "4", "campus": "", "sleutel": _sleutel(), **wijziging}
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:klas_toevoegen", args=[wereld.schooljaar.pk]), data
    )
    assert response.status_code == 200
    assert bericht in _fouten(response)
    assert not Klas.objects.filter(schooljaar=wereld.schooljaar, naam="4B").exists()


def test_the_class_teacher_picker_offers_only_this_schools_active_teachers(wereld, client_voor):
    weg = f.UserFactory()
    f.LidmaatschapFactory(user=weg, school=wereld.school, rol=Rol.LEERKRACHT, actief=False)
    elders = f.UserFactory()
    f.LidmaatschapFactory(user=elders, school=wereld.school2, rol=Rol.LEERKRACHT)
    kiesbaar = set(policies.kiesbare_leerkrachten(wereld.school.pk))
    assert wereld.leerkracht in kiesbaar
    assert not kiesbaar & {weg, elders, wereld.secretariaat, wereld.zorgcoordinator}
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:klas_toevoegen", args=[wereld.schooljaar.pk]),
        {
            "naam": "4B",
            "leerjaar": "4",
            "klastitularissen": [str(elders.pk)],
            "sleutel": _sleutel(),
        },
    )
    assert response.status_code == 200
    assert "Kies als klastitularis een actieve leerkracht van deze school." in _fouten(response)


def test_a_class_teacher_taken_off_is_audited_by_name_and_loses_the_class(wereld, client_voor):
    klas = wereld.klas_a
    detail = reverse("leerlingen:klas_detail", args=[klas.pk])
    assert client_voor(wereld.titularis).get(detail).status_code == 200
    services.klas_wijzigen(
        klas=klas,
        versie=klas.versie,
        naam="3A",
        leerjaar=3,
        campus=None,
        klastitularissen=[],
        kiesbaar=policies.kiesbare_leerkrachten(wereld.school.pk),
        door=wereld.beheerder,
    )
    event = _events("klas", actie=Actie.WIJZIGEN).get()
    assert event.velden == ["klastitularissen"]
    assert "klastitularis eraf" in event.omschrijving
    assert client_voor(wereld.titularis).get(detail).status_code == 404


def test_a_class_edit_from_an_old_page_is_refused(wereld, client_voor):
    klas = wereld.klas_b
    url = reverse("beheer:klas_wijzigen", args=[klas.pk])
    client = client_voor(wereld.beheerder)
    data = {"naam": "3B", "leerjaar": "3", "campus": "", "versie": "1"}
    assert client.post(url, {**data, "naam": "3C"}).status_code == 302
    response = client.post(url, {**data, "leerjaar": "4"})
    assert 'data-testid="conflict"' in _fouten(response)
    klas.refresh_from_db()
    assert (klas.naam, klas.leerjaar) == ("3C", 3)


def test_a_class_with_students_is_not_removed_and_the_page_says_why(wereld, client_voor):
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:klas_verwijderen", args=[wereld.klas_a.pk]), follow=True
    )
    assert "overgang naar het nieuwe schooljaar" in _fouten(response)
    assert Klas.objects.filter(pk=wereld.klas_a.pk).exists()


def test_a_class_whose_students_all_left_is_not_removed_either(wereld):
    Inschrijving.objects.filter(klas=wereld.klas_b).update(einde=D(2026, 10, 1))
    with pytest.raises(services.InGebruik):
        services.klas_verwijderen(klas=wereld.klas_b, door=wereld.beheerder)


def test_an_empty_class_is_removed_with_its_assignments_each_audited(wereld):
    klas = f.KlasFactory(schooljaar=wereld.schooljaar, naam="7Z")
    opdracht = f.LesopdrachtFactory(klas=klas, leerkracht=wereld.leerkracht_b)
    services.klas_verwijderen(klas=klas, door=wereld.beheerder)
    assert not Klas.objects.filter(pk=klas.pk).exists()
    assert _events("klas", actie=Actie.VERWIJDEREN).get().omschrijving.endswith(": 7Z")
    assert _events("lesopdracht", object_id=str(opdracht.pk)).get().actie == Actie.VERWIJDEREN


# --- teaching assignments --------------------------------------------------------


def test_an_assignment_gives_the_class_and_removing_it_takes_it_away(wereld, client_voor):
    klas = wereld.klas_b
    detail = reverse("leerlingen:klas_detail", args=[klas.pk])
    assert client_voor(wereld.leerkracht).get(detail).status_code == 404
    vak = f.VakFactory(school=wereld.school, naam="Geschiedenis")
    beheerder = client_voor(wereld.beheerder)
    data = {"leerkracht": wereld.leerkracht.pk, "vak": vak.pk, "sleutel": _sleutel()}
    url = reverse("beheer:lesopdracht_toevoegen", args=[klas.pk])
    assert beheerder.post(url, data).status_code == 302
    assert beheerder.post(url, data).status_code == 302  # the double click
    opdracht = Lesopdracht.objects.get(klas=klas, leerkracht=wereld.leerkracht)
    assert client_voor(wereld.leerkracht).get(detail).status_code == 200

    client_voor(wereld.beheerder).post(
        reverse("beheer:lesopdracht_verwijderen", args=[klas.pk, opdracht.pk])
    )
    assert client_voor(wereld.leerkracht).get(detail).status_code == 404
    acties = [e.actie for e in _events("lesopdracht", object_id=str(opdracht.pk)).order_by("pk")]
    assert acties == [Actie.AANMAKEN, Actie.VERWIJDEREN]


def test_the_assignment_picker_refuses_a_teacher_of_another_school(wereld, client_voor):
    elders = f.UserFactory()
    f.LidmaatschapFactory(user=elders, school=wereld.school2, rol=Rol.LEERKRACHT)
    vak_elders = f.VakFactory(school=wereld.school2, naam="Geschiedenis")
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:lesopdracht_toevoegen", args=[wereld.klas_b.pk]),
        {"leerkracht": elders.pk, "vak": vak_elders.pk, "sleutel": _sleutel()},
    )
    assert response.status_code == 200
    assert "Kies een actieve leerkracht van deze school." in _fouten(response)
    assert "Kies een vak van deze school." in _fouten(response)
    assert not Lesopdracht.objects.filter(leerkracht=elders).exists()


def test_removing_an_assignment_twice_says_it_is_gone(wereld, client_voor):
    opdracht = Lesopdracht.objects.get(leerkracht=wereld.leerkracht_b)
    url = reverse("beheer:lesopdracht_verwijderen", args=[wereld.klas_b.pk, opdracht.pk])
    client = client_voor(wereld.beheerder)
    client.post(url)
    response = client.post(url, follow=True)
    assert "bestond al niet meer" in _fouten(response)
    assert _events("lesopdracht").count() == 1


# --- who sees the buttons ---------------------------------------------------------


def test_the_director_reads_the_structure_without_buttons(wereld, client_voor):
    campus = Campus.objects.create(school=wereld.school, naam="Campus Noord")
    client = client_voor(wereld.directie)
    overzicht = _fouten(client.get(reverse("beheer:structuur", args=[wereld.school.pk])))
    assert "Campus Noord" in overzicht
    assert reverse("beheer:campus_wijzigen", args=[campus.pk]) not in overzicht
    assert reverse("beheer:campus_toevoegen", args=[wereld.school.pk]) not in overzicht
    klas = _fouten(client.get(reverse("beheer:klas", args=[wereld.klas_a.pk])))
    assert reverse("beheer:klas_wijzigen", args=[wereld.klas_a.pk]) not in klas
    beheerder = _fouten(
        client_voor(wereld.beheerder).get(reverse("beheer:klas", args=[wereld.klas_a.pk]))
    )
    assert reverse("beheer:klas_wijzigen", args=[wereld.klas_a.pk]) in beheerder


def test_the_menu_offers_the_structure_only_to_its_readers(wereld, client_voor):
    link = reverse("beheer:structuur_start")
    start = reverse("start")
    assert link in _fouten(client_voor(wereld.beheerder).get(start))
    assert link in _fouten(client_voor(wereld.directie).get(start))
    assert link not in _fouten(client_voor(wereld.zorgcoordinator).get(start))
    assert link not in _fouten(client_voor(wereld.leerkracht).get(start))


# --- query counts -----------------------------------------------------------------


def _klassen_vullen(wereld, aantal):
    for n in range(aantal):
        klas = f.KlasFactory(schooljaar=wereld.schooljaar, naam=f"5{n}", leerjaar=5)
        klas.klastitularissen.add(wereld.leerkracht)
        f.leerling_in(klas)
        f.LesopdrachtFactory(klas=klas, leerkracht=wereld.leerkracht_b)
        Campus.objects.create(school=wereld.school, naam=f"Campus {n}")
        f.VakFactory(school=wereld.school, naam=f"Vak {n}")


def test_the_list_pages_ask_a_fixed_number_of_queries(
    wereld, client_voor, django_assert_max_num_queries
):
    # Guards against a count of students, classes or assignments per row and
    # a query per class for its class teachers.
    client = client_voor(wereld.beheerder)
    urls = [
        reverse("beheer:structuur", args=[wereld.school.pk]),
        reverse("beheer:klassen", args=[wereld.schooljaar.pk]),
        reverse("beheer:klas", args=[wereld.klas_a.pk]),
    ]
    aantallen = {}
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(15) as weinig:
            client.get(url)
        aantallen[url] = len(weinig.captured_queries)
    _klassen_vullen(wereld, 12)
    for url in urls:
        with django_assert_max_num_queries(aantallen[url]):
            assert client.get(url).status_code == 200


def test_the_class_list_counts_only_students_enrolled_now(wereld, client_voor):
    klas = f.KlasFactory(schooljaar=wereld.schooljaar, naam="6A", leerjaar=6)
    f.leerling_in(klas)
    f.leerling_in(klas)
    vertrokken = f.leerling_in(klas)
    Inschrijving.objects.filter(leerling=vertrokken).update(einde=D(2026, 10, 1))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0), tick=False):
        response = client_voor(wereld.beheerder).get(
            reverse("beheer:klassen", args=[wereld.schooljaar.pk])
        )
    rijen = {k.naam: k.aantal_leerlingen for k in response.context["klassen"]}
    assert rijen["6A"] == 2
    assert rijen["3A"] == 1


def _aantallen(client, jaar):
    response = client.get(reverse("beheer:klassen", args=[jaar.pk]))
    assert response.status_code == 200
    return {k.naam: k.aantal_leerlingen for k in response.context["klassen"]}


@pytest.mark.parametrize(
    "dag",
    [D(2026, 12, 31), D(2027, 1, 1), D(2027, 7, 15), D(2027, 8, 31)],
    ids=["oudejaar", "nieuwjaar", "zomer", "laatste-zomerdag"],
)
def test_in_summer_the_ending_year_still_counts_its_students(wereld, client_voor, dag):
    # The new year is prepared in summer but not current yet: its classes
    # have students enrolled from 1 September, counted once it is current.
    volgend = f.SchooljaarFactory(school=wereld.school, begin=D(2027, 9, 1), is_huidig=False)
    nieuw = f.KlasFactory(schooljaar=volgend, naam="4A", leerjaar=4)
    f.InschrijvingFactory(leerling=wereld.leerling_a, klas=nieuw, begin=D(2027, 9, 1))
    with time_machine.travel(datetime.datetime(dag.year, dag.month, dag.day, 12, 0), tick=False):
        # Signed in on that day: a session from the day the world was made
        # would have timed out.
        client = client_voor(wereld.directie)
        assert _aantallen(client, wereld.schooljaar)["3A"] == 1
        assert _aantallen(client, volgend)["4A"] == 0


def test_once_the_new_year_is_current_its_classes_count_before_1_september(wereld, client_voor):
    volgend = f.SchooljaarFactory(school=wereld.school, begin=D(2027, 9, 1), is_huidig=False)
    nieuw = f.KlasFactory(schooljaar=volgend, naam="4A", leerjaar=4)
    f.InschrijvingFactory(leerling=wereld.leerling_a, klas=nieuw, begin=D(2027, 9, 1))
    type(volgend).objects.filter(pk=wereld.schooljaar.pk).update(is_huidig=False)
    type(volgend).objects.filter(pk=volgend.pk).update(is_huidig=True)
    for dag in (D(2027, 8, 20), D(2028, 2, 29)):  # summer, and the leap day
        with time_machine.travel(datetime.datetime(dag.year, dag.month, dag.day, 12, 0)):
            client = client_voor(wereld.beheerder)
            assert _aantallen(client, volgend)["4A"] == 1
            assert _aantallen(client, wereld.schooljaar)["3A"] == 0


def test_a_null_character_in_a_name_is_a_message_not_a_500(wereld, client_voor):
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:vak_toevoegen", args=[wereld.school.pk]),
        {"naam": "Lat\x00ijn", "sleutel": _sleutel()},
    )
    assert response.status_code == 200
    assert not Vak.objects.filter(school=wereld.school, naam__startswith="Lat").exists()


def test_a_simultaneous_add_of_the_same_name_is_a_message(wereld, monkeypatch):
    # Two administrators add "Latijn" at the same moment: both pass the
    # check before either saves; the unique constraint refuses the second,
    # which the service turns into the same message as the check's.
    services.vak_toevoegen(school=wereld.school, naam="Latijn", door=wereld.beheerder)
    monkeypatch.setattr(services, "_uniek", lambda *args, **kwargs: None)
    with pytest.raises(ValidationError, match="al een vak met die naam"):
        services.vak_toevoegen(school=wereld.school, naam="Latijn", door=wereld.beheerder)
    assert _events("vak").count() == 1


def test_an_edit_form_that_lost_its_version_says_so(wereld, client_voor):
    campus = Campus.objects.create(school=wereld.school, naam="Campus Noord")
    response = client_voor(wereld.beheerder).post(
        reverse("beheer:campus_wijzigen", args=[campus.pk]), {"naam": "Campus Zuid", "versie": "x"}
    )
    assert response.status_code == 200
    assert "Het formulier is onvolledig. Laad de pagina opnieuw." in _fouten(response)
    campus.refresh_from_db()
    assert campus.naam == "Campus Noord"


def test_a_class_teacher_who_left_stays_when_the_class_is_renamed(wereld, client_voor):
    # The titularis's teacher membership ended: renaming 3A keeps them
    # (the form offers the class's own class teachers), but no other class
    # can name them.
    Lidmaatschap.objects.filter(user=wereld.titularis).update(actief=False)
    klas = wereld.klas_a
    client = client_voor(wereld.beheerder)
    response = client.post(
        reverse("beheer:klas_wijzigen", args=[klas.pk]),
        {
            "naam": "3A1",
            "leerjaar": "3",
            "klastitularissen": [str(wereld.titularis.pk)],
            "versie": str(klas.versie),
        },
    )
    assert response.status_code == 302
    assert list(Klas.objects.get(pk=klas.pk).klastitularissen.all()) == [wereld.titularis]
    andere = client.post(
        reverse("beheer:klas_wijzigen", args=[wereld.klas_b.pk]),
        {
            "naam": "3B",
            "leerjaar": "3",
            "klastitularissen": [str(wereld.titularis.pk)],
            "versie": str(wereld.klas_b.versie),
        },
    )
    assert andere.status_code == 200
    assert not wereld.klas_b.klastitularissen.exists()


# --- last year's classes are archived (issue 16: the rollover leaves them) ---------


def test_last_years_classes_their_teams_and_assignments_stay_as_they_were(wereld, client_voor):
    w = wereld
    oud = f.KlasFactory(schooljaar=w.vorig_schooljaar, naam="2A", leerjaar=2)
    vak = Vak.objects.create(school=w.school, naam="Aardrijkskunde")
    opdracht = Lesopdracht.objects.create(klas=oud, leerkracht=w.leerkracht, vak=vak)
    kiesbaar = policies.kiesbare_leerkrachten(w.school.pk)
    bericht = "Dit schooljaar is voorbij"
    with pytest.raises(services.InGebruik, match=bericht):
        services.klas_wijzigen(
            klas=oud,
            versie=oud.versie,
            naam="2Z",
            leerjaar=2,
            campus=None,
            klastitularissen=[],
            kiesbaar=kiesbaar,
            door=w.beheerder,
        )
    with pytest.raises(services.InGebruik, match=bericht):
        services.klas_toevoegen(
            schooljaar=w.vorig_schooljaar,
            naam="2Q",
            leerjaar=2,
            campus=None,
            kiesbaar=kiesbaar,
            door=w.beheerder,
        )
    with pytest.raises(services.InGebruik, match=bericht):
        services.lesopdracht_toevoegen(
            klas=oud, leerkracht=w.users["titularis"], vak=vak, kiesbaar=kiesbaar, door=w.beheerder
        )
    with pytest.raises(services.InGebruik, match=bericht):
        services.lesopdracht_verwijderen(opdracht=opdracht, door=w.beheerder)
    with pytest.raises(services.InGebruik, match=bericht):
        services.klas_verwijderen(klas=oud, door=w.beheerder)
    oud.refresh_from_db()
    assert oud.naam == "2A" and Lesopdracht.objects.filter(pk=opdracht.pk).exists()
    # The pages show the history without a button; the removal says why.
    client = client_voor(w.beheerder)
    pagina = client.get(reverse("beheer:klas", args=[oud.pk])).content.decode()
    assert 'data-testid="gearchiveerd"' in pagina
    assert reverse("beheer:lesopdracht_toevoegen", args=[oud.pk]) not in pagina
    lijst = client.get(reverse("beheer:klassen", args=[w.vorig_schooljaar.pk])).content.decode()
    assert reverse("beheer:klas_toevoegen", args=[w.vorig_schooljaar.pk]) not in lijst
    antwoord = client.post(
        reverse("beheer:lesopdracht_verwijderen", args=[oud.pk, opdracht.pk]), follow=True
    )
    assert bericht in antwoord.content.decode()


def test_the_current_and_a_prepared_next_year_stay_editable(wereld):
    from zorg.accounts.models import Schooljaar

    w = wereld
    volgend = Schooljaar.objects.create(
        school=w.school,
        naam="2027-2028",
        begin=datetime.date(2027, 9, 1),
        einde=datetime.date(2028, 8, 31),
    )
    assert not services.is_gearchiveerd(w.schooljaar)
    assert not services.is_gearchiveerd(volgend)
    assert services.is_gearchiveerd(w.vorig_schooljaar)
    klas = services.klas_toevoegen(
        schooljaar=volgend,
        naam="1A",
        leerjaar=1,
        campus=None,
        kiesbaar=policies.kiesbare_leerkrachten(w.school.pk),
        door=w.beheerder,
    )
    assert klas.schooljaar == volgend
