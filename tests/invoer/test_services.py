"""The import from upload to outcome, through the services: the dry run's
outcome per row, the import in one transaction, idempotent re-imports,
"vertrokken?", and the school boundary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from leerlingen.models import Inschrijving, Klas, Leerling, Lesopdracht, Ouder, Vak
from tests import factories as f
from zorg.accounts.models import Campus, Lidmaatschap, Rol, User
from zorg.audit.models import AuditEvent
from zorg.invoer import verwerken
from zorg.invoer.models import Importopdracht
from zorg.invoer.services import (
    import_bevestigen,
    importopdracht_aanmaken,
    invoer_opruimen,
    koppeling_bewaren,
)

from .conftest import KOP, csv_bestand, xlsx_bestand

Status = Importopdracht.Status


def _controleren(opdracht, capture, koppeling=None):
    with capture(execute=True):
        koppeling_bewaren(opdracht=opdracht, koppeling=koppeling or opdracht.koppeling)
    opdracht.refresh_from_db()
    return opdracht


def _invoeren(opdracht, capture, *, vertrokken_beeindigen=False):
    with capture(execute=True):
        assert import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=vertrokken_beeindigen)
    opdracht.refresh_from_db()
    return opdracht


def _opdracht(wereld, bestand, soort="leerlingen", volledig=False):
    return importopdracht_aanmaken(
        school=wereld.school,
        door=wereld.users["beheerder"],
        soort=soort,
        volledig=volledig,
        bestand=bestand,
    )


def _uitkomsten(opdracht):
    return {r["sleutel"]: (r["uitkomst"], r["velden"], r["reden"]) for r in opdracht.regels}


RIJEN = [
    KOP,
    "9001;Emma;Claes;14/03/2012;3A;Sofie Claes;moeder;0470 11 22 33;sofie@example.org",
    "9002;Jonas;Maes;2012-05-01;3b;;;;",
]


def test_a_dry_run_shows_each_row_and_writes_nothing(wereld, django_capture_on_commit_callbacks):
    opdracht = _opdracht(wereld, csv_bestand(RIJEN))
    assert opdracht.koppeling["leerlingnummer"] == 0
    opdracht = _controleren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.status == Status.GECONTROLEERD
    assert opdracht.totalen == {
        "nieuw": 2,
        "gewijzigd": 0,
        "ongewijzigd": 0,
        "fout": 0,
        "vertrokken": 0,
    }
    assert not Leerling.objects.filter(leerlingnummer__in=["9001", "9002"]).exists()


def test_the_confirmed_import_writes_students_guardians_and_enrolments(
    wereld, django_capture_on_commit_callbacks
):
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(RIJEN)), django_capture_on_commit_callbacks
    )
    voor = AuditEvent.objects.count()
    opdracht = _invoeren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.status == Status.KLAAR, opdracht.reden
    emma = Leerling.objects.get(school=wereld.school, leerlingnummer="9001")
    assert (emma.voornaam, emma.geboortedatum) == ("Emma", datetime.date(2012, 3, 14))
    assert emma.zorgfase.nummer == 0
    assert Inschrijving.objects.actief().get(leerling=emma).klas == wereld.klas_a
    ouder = Ouder.objects.get(leerling=emma)
    assert (ouder.naam, ouder.relatie, ouder.email) == (
        "Sofie Claes",
        "moeder",
        "sofie@example.org",
    )
    jonas = Leerling.objects.get(school=wereld.school, leerlingnummer="9002")
    # Class names match whatever their case.
    assert Inschrijving.objects.actief().get(leerling=jonas).klas == wereld.klas_b
    # One audit event for the whole import, naming no student.
    events = list(AuditEvent.objects.order_by("pk")[voor:])
    assert len(events) == 1
    assert events[0].onderwerp == "import_leerlingen" and events[0].leerling_id is None
    assert "2 nieuw" in events[0].omschrijving and "Emma" not in events[0].omschrijving
    # The stored file is gone once the import ended.
    assert opdracht.bestand == ""


def test_a_re_import_updates_and_never_duplicates(
    schooljaar_onderweg, wereld, django_capture_on_commit_callbacks
):
    _invoeren(
        _controleren(_opdracht(wereld, csv_bestand(RIJEN)), django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    # Enrolled since the school year began (the first import ran today).
    Inschrijving.objects.filter(leerling__school=wereld.school).update(
        begin=wereld.schooljaar.begin
    )
    tweede = [
        KOP,
        # A corrected birth date, a new phone number, a move to 3B.
        "9001;Emma;Claes;15/03/2012;3B;Sofie Claes;moeder;0470 99 99 99;",
        "9002;Jonas;Maes;2012-05-01;3B;;;;",
    ]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(tweede)), django_capture_on_commit_callbacks
    )
    uitkomsten = _uitkomsten(opdracht)
    assert uitkomsten["9001"][0] == "gewijzigd"
    assert set(uitkomsten["9001"][1]) == {"geboortedatum", "klas", "ouder 1"}
    assert uitkomsten["9002"] == ("ongewijzigd", [], "")
    assert opdracht.totalen["ongewijzigd"] == 1
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    assert Leerling.objects.filter(school=wereld.school, leerlingnummer="9001").count() == 1
    emma = Leerling.objects.get(school=wereld.school, leerlingnummer="9001")
    assert emma.geboortedatum == datetime.date(2012, 3, 15)
    ouder = Ouder.objects.get(leerling=emma)
    # The new number replaces the old; the e-mail the file left empty stays.
    assert (ouder.telefoon, ouder.email) == ("0470 99 99 99", "sofie@example.org")
    # The class change ended the old enrolment and began a new one.
    inschrijvingen = list(Inschrijving.objects.filter(leerling=emma).order_by("pk"))
    assert [i.klas for i in inschrijvingen] == [wereld.klas_a, wereld.klas_b]
    assert inschrijvingen[0].einde is not None and inschrijvingen[1].einde is None
    # The same file a third time: nothing to do.
    derde = _controleren(_opdracht(wereld, csv_bestand(tweede)), django_capture_on_commit_callbacks)
    assert derde.totalen["ongewijzigd"] == 2
    assert {r["uitkomst"] for r in derde.regels} == {"ongewijzigd"}


def test_errors_are_reported_per_row_in_dutch(wereld, django_capture_on_commit_callbacks):
    rijen = [
        KOP,
        "9001;Emma;Claes;14/03/2012;3A;;;;",
        "9001;Jonas;Maes;14/03/2012;3A;;;;",
        "9003;Noor;Aerts;31/02/2012;3A;;;;",
        "9004;Lars;Wouters;14/03/2012;9Z;;;;",
        ";Bram;Bosmans;14/03/2012;3A;;;;",
        "9006;Cas;Maes;14/03/2012;3A;Jan Maes;oom;;geen-mail",
        "9007;Finn;Claes;14/03/2012;3X;;;;",
    ]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen)), django_capture_on_commit_callbacks
    )
    redenen = {r["rij"]: r["reden"] for r in opdracht.regels if r["uitkomst"] == "fout"}
    assert "staat ook op rij 2" in redenen[3]
    assert "geen datum" in redenen[4]
    assert "Klas 9Z bestaat niet" in redenen[5]
    assert "leerlingnummer ontbreekt" in redenen[6]
    assert "Relatie 'oom'" in redenen[7] and "geen e-mailadres" in redenen[7]
    # A class of another school is no class of this one.
    assert "Klas 3X bestaat niet" in redenen[8]
    assert opdracht.totalen["fout"] == 6 and opdracht.totalen["nieuw"] == 1
    # With errors, the import cannot be confirmed.
    with pytest.raises(ValidationError):
        import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)


def test_an_error_in_row_n_writes_nothing(wereld, django_capture_on_commit_callbacks, monkeypatch):
    """The confirmed import checks every row again: a row that became wrong
    since the dry run (its class was removed) stops the whole import, and
    the rows before it, already written in their batch, are undone."""
    monkeypatch.setattr(verwerken, "BATCH", 2)
    klas_c = f.KlasFactory(schooljaar=wereld.schooljaar, naam="3C")
    rijen = [KOP] + [f"95{i:02d};Emma;Claes;14/03/2012;3A;;;;" for i in range(6)]
    rijen.append("9599;Jonas;Maes;14/03/2012;3C;;;;")
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen)), django_capture_on_commit_callbacks
    )
    assert opdracht.totalen["nieuw"] == 7
    klas_c.delete()
    opdracht = _invoeren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.status == Status.MISLUKT
    assert "Rij 8" in opdracht.reden and "Klas 3C bestaat niet" in opdracht.reden
    assert not Leerling.objects.filter(leerlingnummer__startswith="95").exists()
    assert not AuditEvent.objects.filter(object_id=str(opdracht.pk)).exists()


def test_a_student_missing_from_a_full_import_is_reported_and_only_ends_when_ticked(
    wereld, django_capture_on_commit_callbacks
):
    nummer_a = wereld.leerling_a.leerlingnummer
    rijen = [
        KOP,
        f"{nummer_a};Lotte;Peeters;{wereld.leerling_a.geboortedatum:%d/%m/%Y};3A;;;;",
    ]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen), volledig=True), django_capture_on_commit_callbacks
    )
    assert [v["sleutel"] for v in opdracht.vertrokken] == [wereld.leerling_b.leerlingnummer]
    assert opdracht.totalen["vertrokken"] == 1
    # Not ticked: the enrolment stays.
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    assert Inschrijving.objects.actief().filter(leerling=wereld.leerling_b).exists()
    # Ticked: it ends (yesterday), and the history stays.
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen), volledig=True), django_capture_on_commit_callbacks
    )
    opdracht = _invoeren(opdracht, django_capture_on_commit_callbacks, vertrokken_beeindigen=True)
    assert opdracht.totalen["beeindigd"] == 1
    assert not Inschrijving.objects.actief().filter(leerling=wereld.leerling_b).exists()
    assert Inschrijving.objects.filter(leerling=wereld.leerling_b).count() == 1
    # A student of another school is never "vertrokken?" from this one.
    assert Inschrijving.objects.actief().filter(leerling=wereld.leerling_x).exists()


def test_an_import_of_school_1_never_touches_school_2_with_the_same_number(
    wereld, django_capture_on_commit_callbacks
):
    nummer_x = wereld.leerling_x.leerlingnummer
    rijen = [KOP, f"{nummer_x};Emma;Claes;14/03/2012;3A;;;;"]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen)), django_capture_on_commit_callbacks
    )
    assert _uitkomsten(opdracht)[nummer_x][0] == "nieuw"
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    wereld.leerling_x.refresh_from_db()
    assert (wereld.leerling_x.voornaam, wereld.leerling_x.school) == ("Mila", wereld.school2)
    assert Leerling.objects.get(school=wereld.school, leerlingnummer=nummer_x).voornaam == "Emma"


def test_an_xlsx_export_with_other_headers_is_mapped_by_guess(
    wereld, django_capture_on_commit_callbacks
):
    bestand = xlsx_bestand(
        [
            ["Stamnummer", "Naam", "Voornaam", "Geboortedatum", "Klas", "Opmerking"],
            [9101, "Claes", "Emma", datetime.datetime(2012, 3, 14), "3A", "x"],
            [9102, "Maes", "Jonas", 40982, "3B", ""],
        ]
    )
    opdracht = _opdracht(wereld, bestand)
    assert opdracht.formaat == "xlsx"
    assert opdracht.koppeling == {
        "leerlingnummer": 0,
        "achternaam": 1,
        "voornaam": 2,
        "geboortedatum": 3,
        "klas": 4,
    }
    _invoeren(
        _controleren(opdracht, django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    jonas = Leerling.objects.get(school=wereld.school, leerlingnummer="9102")
    assert (jonas.voornaam, jonas.achternaam, jonas.geboortedatum) == (
        "Jonas",
        "Maes",
        datetime.date(2012, 3, 14),
    )


def test_a_mapping_missing_a_required_field_fails_the_dry_run_with_a_message(
    wereld, django_capture_on_commit_callbacks
):
    opdracht = _opdracht(wereld, csv_bestand(RIJEN))
    koppeling = {k: v for k, v in opdracht.koppeling.items() if k != "klas"}
    opdracht = _controleren(opdracht, django_capture_on_commit_callbacks, koppeling)
    assert opdracht.status == Status.MISLUKT and "klas" in opdracht.reden
    # A failed import keeps no file.
    assert opdracht.bestand == ""


def test_a_file_over_20_mb_is_refused(wereld):
    bestand = csv_bestand([KOP])
    bestand.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="groter dan 20 MB"):
        _opdracht(wereld, bestand)


def test_confirming_twice_imports_once(wereld, django_capture_on_commit_callbacks):
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(RIJEN)), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)
        assert not import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)
    assert Leerling.objects.filter(school=wereld.school, leerlingnummer="9001").count() == 1
    assert AuditEvent.objects.filter(object_id=str(opdracht.pk)).count() == 1
    # The task delivered again (acks_late) finds the import taken.
    from zorg.invoer.services import invoer_uitvoeren

    assert invoer_uitvoeren(str(opdracht.pk)) == "overgeslagen"


def test_classes_are_created_and_updated(wereld, django_capture_on_commit_callbacks):
    Campus.objects.create(school=wereld.school, naam="Centrum")
    rijen = [
        "naam;leerjaar;campus;titularis",
        "3A;3;Centrum;titularis@test.example",
        "4A;4;;leerkracht@test.example",
        "5A;9;Elders;zorg@andere.example",
    ]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen), soort="klassen"), django_capture_on_commit_callbacks
    )
    uitkomsten = _uitkomsten(opdracht)
    assert uitkomsten["3A"] == ("gewijzigd", ["campus"], "")
    assert uitkomsten["4A"][0] == "nieuw"
    assert "leerjaar" in uitkomsten["5A"][2] and "Campus Elders" in uitkomsten["5A"][2]
    # The care coordinator of another school is no staff member of this one.
    assert "zorg@andere.example is geen personeelslid" in uitkomsten["5A"][2]
    goed = rijen[:3]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(goed), soort="klassen"), django_capture_on_commit_callbacks
    )
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    klas = Klas.objects.get(schooljaar=wereld.schooljaar, naam="4A")
    assert list(klas.klastitularissen.all()) == [wereld.users["leerkracht"]]
    wereld.klas_a.refresh_from_db()
    assert wereld.klas_a.campus.naam == "Centrum"


def test_staff_get_an_account_without_password_and_a_membership(
    wereld, django_capture_on_commit_callbacks
):
    rijen = [
        "email;voornaam;achternaam;rol",
        "Bart.Aerts@School.example;Bart;Aerts;Leerkracht",
        "bart.aerts@school.example;Bart;Aerts;zorgcoördinator",
        "leerkracht@test.example;Jan;Janssens;leerkracht",
        "zorg@andere.example;Kim;Wouters;directie",
        "nog-iemand@school.example;Rik;Maes;kok",
    ]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen), soort="personeel"), django_capture_on_commit_callbacks
    )
    regels = {(r["rij"]): r for r in opdracht.regels}
    assert regels[2]["uitkomst"] == "nieuw" and "uitnodigen" in regels[2]["velden"]
    assert regels[3]["uitkomst"] == "nieuw"
    # Someone of another school joins as new: nothing says they exist elsewhere.
    assert regels[5]["uitkomst"] == "nieuw"
    assert "Rol 'kok' is onbekend" in regels[6]["reden"]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen[:5]), soort="personeel"),
        django_capture_on_commit_callbacks,
    )
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    bart = User.objects.get(email="bart.aerts@school.example")
    assert not bart.has_usable_password()
    assert set(
        Lidmaatschap.objects.filter(user=bart, school=wereld.school).values_list("rol", flat=True)
    ) == {Rol.LEERKRACHT, Rol.ZORGCOORDINATOR}
    buitenstaander = wereld.users["buitenstaander"]
    buitenstaander.refresh_from_db()
    assert buitenstaander.first_name != "Kim" or buitenstaander.last_name != "Wouters"
    assert Lidmaatschap.objects.filter(user=buitenstaander, school=wereld.school).exists()


def test_teaching_assignments_create_missing_subjects(wereld, django_capture_on_commit_callbacks):
    rijen = [
        "leerkracht;klas;vak",
        "leerkracht@test.example;3B;Sterrenkunde",
        "leerkracht@test.example;3B;Sterrenkunde",
        "niemand@test.example;3A;Wiskunde",
    ]
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen), soort="lesopdrachten"),
        django_capture_on_commit_callbacks,
    )
    assert opdracht.totalen["nieuw"] == 1 and opdracht.totalen["fout"] == 2
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(rijen[:2]), soort="lesopdrachten"),
        django_capture_on_commit_callbacks,
    )
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    vak = Vak.objects.get(school=wereld.school, naam="Sterrenkunde")
    assert Lesopdracht.objects.filter(
        leerkracht=wereld.users["leerkracht"], klas=wereld.klas_b, vak=vak
    ).exists()


def test_the_sweep_deletes_files_of_abandoned_imports(wereld, invoer_map):
    opdracht = _opdracht(wereld, csv_bestand(RIJEN))
    assert any(invoer_map.iterdir())
    invoer_opruimen(nu=timezone.now() + datetime.timedelta(days=3))
    opdracht.refresh_from_db()
    assert opdracht.bestand == "" and opdracht.status == Status.MISLUKT
    assert not any(invoer_map.iterdir())


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_dry_run_and_the_import(wereld, echte_worker, settings, tmp_path):
    """With production's path: the request commits, the task goes through
    Redis to a worker, which reads the stored file and writes."""
    from tests.processen import wacht_tot

    settings.MEDIA_ROOT = tmp_path
    opdracht = _opdracht(wereld, csv_bestand(RIJEN))
    koppeling_bewaren(opdracht=opdracht, koppeling=opdracht.koppeling)

    def status():
        opdracht.refresh_from_db()
        return opdracht.status

    assert wacht_tot(lambda: status() == Status.GECONTROLEERD, 30), opdracht.status
    assert opdracht.totalen["nieuw"] == 2
    assert not Leerling.objects.filter(school=wereld.school, leerlingnummer="9001").exists()
    assert import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)
    assert wacht_tot(lambda: status() == Status.KLAAR, 30), (opdracht.status, opdracht.reden)
    assert (
        Leerling.objects.filter(school=wereld.school, leerlingnummer__in=["9001", "9002"]).count()
        == 2
    )
    assert opdracht.bestand == "" and not any((tmp_path / "invoer").iterdir())


def test_a_file_with_headers_only_fails_the_dry_run(wereld, django_capture_on_commit_callbacks):
    """Were it taken as a full list, every enrolled student would look gone."""
    opdracht = _opdracht(wereld, csv_bestand([KOP, ";;;;;;;;"]), volledig=True)
    opdracht = _controleren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.status == Status.MISLUKT
    assert "geen rijen onder de kolomkoppen" in opdracht.reden
    assert Inschrijving.objects.actief().filter(leerling=wereld.leerling_a).exists()


@pytest.mark.parametrize("soort", ["leerlingen", "klassen", "personeel", "lesopdrachten"])
def test_a_dry_run_runs_no_query_per_row(wereld, soort):
    """Each kind reads what it matches against once: 3 rows or 60, the
    same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from zorg.invoer.services import invoer_controleren

    def rijen(n):
        if soort == "leerlingen":
            return [KOP] + [
                f"{9000 + i};Emma;Claes;14/03/2012;3A;Sofie Claes;moeder;;" for i in range(n)
            ]
        if soort == "klassen":
            return ["naam;leerjaar;campus;titularis"] + [
                f"{i}Z;3;;titularis@test.example" for i in range(n)
            ]
        if soort == "personeel":
            return ["email;voornaam;achternaam;rol"] + [
                f"p{i}@school.example;Bart;Aerts;leerkracht" for i in range(n)
            ]
        return ["leerkracht;klas;vak"] + [f"leerkracht@test.example;3A;Vak {i}" for i in range(n)]

    tellingen = []
    for n in (3, 60):
        opdracht = _opdracht(wereld, csv_bestand(rijen(n)), soort=soort)
        Importopdracht.objects.filter(pk=opdracht.pk).update(status=Status.CONTROLE)
        with CaptureQueriesContext(connection) as queries:
            assert invoer_controleren(str(opdracht.pk)) == Status.GECONTROLEERD
        tellingen.append(len(queries.captured_queries))
    assert tellingen[0] == tellingen[1], tellingen


def test_the_sweep_runs_again_an_import_whose_worker_died(
    wereld, django_capture_on_commit_callbacks
):
    """A worker killed mid-import left nothing (its transaction rolled
    back) and its claim: after twice the task's time limit the sweep
    clears the claim and queues the import again, which then runs once."""
    opdracht = _controleren(
        _opdracht(wereld, csv_bestand(RIJEN)), django_capture_on_commit_callbacks
    )
    with django_capture_on_commit_callbacks(execute=False):
        assert import_bevestigen(opdracht=opdracht, vertrokken_beeindigen=False)
    # The task was claimed, then its worker died.
    Importopdracht.objects.filter(pk=opdracht.pk).update(gestart_op=timezone.now())
    later = timezone.now() + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert invoer_opruimen(nu=later) == (0, 0)  # not yet: it may still be running
    with django_capture_on_commit_callbacks(execute=True):
        assert invoer_opruimen(nu=later + datetime.timedelta(hours=1)) == (0, 1)
    opdracht.refresh_from_db()
    assert opdracht.status == Status.KLAAR, opdracht.reden
    assert Leerling.objects.filter(school=wereld.school, leerlingnummer="9001").count() == 1


# --- a next school year the rollover prepared ------------------------------------


@pytest.fixture
def volgend_jaar(wereld):
    from zorg.accounts.models import Schooljaar

    jaar = Schooljaar.objects.create(
        school=wereld.school,
        naam="2027-2028",
        begin=datetime.date(2027, 9, 1),
        einde=datetime.date(2028, 8, 31),
    )
    jaar.klas_4a = Klas.objects.create(schooljaar=jaar, naam="4A", leerjaar=4)
    return jaar


def test_the_new_classes_of_a_prepared_year_are_filled_before_it_begins(
    wereld, volgend_jaar, django_capture_on_commit_callbacks
):
    """The rollover prepared 2027-2028: the import fills its classes (a new
    student, and one already in 3A now) and leaves this year as it is."""
    bestaand = wereld.leerling_a
    rijen = [
        KOP,
        "9101;Noor;Wouters;02/02/2011;4A;;;;",
        f"{bestaand.leerlingnummer};{bestaand.voornaam};{bestaand.achternaam};"
        f"{bestaand.geboortedatum:%d/%m/%Y};4a;;;;",
    ]
    opdracht = importopdracht_aanmaken(
        school=wereld.school,
        door=wereld.users["beheerder"],
        soort="leerlingen",
        volledig=True,
        bestand=csv_bestand(rijen),
        schooljaar=volgend_jaar,
    )
    opdracht = _controleren(opdracht, django_capture_on_commit_callbacks)
    assert opdracht.totalen["fout"] == 0, opdracht.regels
    # A full list of next year misses nobody of this year.
    assert opdracht.vertrokken == []
    _invoeren(opdracht, django_capture_on_commit_callbacks)
    noor = Leerling.objects.get(school=wereld.school, leerlingnummer="9101")
    nieuw = Inschrijving.objects.filter(klas=volgend_jaar.klas_4a)
    assert {(i.leerling_id, i.begin, i.einde) for i in nieuw} == {
        (noor.pk, volgend_jaar.begin, None),
        (bestaand.pk, volgend_jaar.begin, None),
    }
    # This year's enrolment goes on; the new one counts once the year is current.
    assert Inschrijving.objects.actief().get(leerling=bestaand).klas == wereld.klas_a
    assert not Inschrijving.objects.actief().filter(leerling=noor).exists()


def test_only_the_current_year_and_later_ones_can_be_imported_into(wereld, volgend_jaar):
    from zorg.invoer.services import invoerjaren

    assert invoerjaren(wereld.school) == [wereld.schooljaar, volgend_jaar]
    for jaar in (wereld.vorig_schooljaar, wereld.school2.schooljaren.first()):
        with pytest.raises(ValidationError):
            importopdracht_aanmaken(
                school=wereld.school,
                door=wereld.users["beheerder"],
                soort="leerlingen",
                volledig=False,
                bestand=csv_bestand(RIJEN),
                schooljaar=jaar,
            )
    assert not Importopdracht.objects.exists()
