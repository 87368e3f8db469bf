import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import ProgrammingError
from django.urls import reverse
from django.utils.html import escape

from clb.models import Trajectstap
from klassenraad.models import BeslissingSoort, Bespreekvraag
from leerlingen.models import (
    Gesprek,
    Maatregel,
    MaatregelEvaluatie,
    ObservatieSoort,
    VlagKleur,
    VlagOpvolging,
)
from tests.dossier import INHOUD, dossier_vullen
from zorg.audit.models import Actie, AppendOnlyError, AuditEvent
from zorg.audit.services import audit_vastleggen


def test_reading_a_student_page_is_logged_with_who_what_where(wereld, client_voor):
    client = client_voor(wereld.titularis)
    client.get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk]),
        REMOTE_ADDR="10.1.2.3",
    )
    event = AuditEvent.objects.get(leerling_id=wereld.leerling_a.pk, actie=Actie.LEZEN)
    assert event.gebruiker == wereld.titularis
    assert event.school_id == wereld.school.pk
    assert event.ip == "10.1.2.3"
    assert event.pad == f"/leerlingen/{wereld.leerling_a.pk}/"
    assert "zorgfase" in event.omschrijving
    assert "ouders" in event.omschrijving


def test_what_the_secretariat_read_excludes_care(wereld, client_voor):
    client_voor(wereld.secretariaat).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    event = AuditEvent.objects.get(leerling_id=wereld.leerling_a.pk, gebruiker=wereld.secretariaat)
    assert "zorgfase" not in event.omschrijving


def test_a_refused_read_is_not_logged_as_a_read(wereld, client_voor):
    client_voor(wereld.leerkracht_b).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    assert not AuditEvent.objects.filter(leerling_id=wereld.leerling_a.pk).exists()


def test_logging_a_read_costs_one_insert(wereld, client_voor, django_assert_num_queries):
    client = client_voor(wereld.titularis)
    url = reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    client.get(url)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert "audit_auditevent" in inserts[0]


def test_one_call_for_many_students_is_one_insert(wereld, django_assert_num_queries):
    with django_assert_num_queries(1):
        events = audit_vastleggen(
            gebruiker=wereld.directie,
            actie=Actie.EXPORTEREN,
            onderwerp="test",
            leerlingen=[wereld.leerling_a, wereld.leerling_b],
        )
    assert len(events) == 2


def test_the_trail_refuses_changes_through_the_orm(wereld):
    (event,) = audit_vastleggen(gebruiker=wereld.directie, actie=Actie.LEZEN, onderwerp="x")
    event.omschrijving = "herschreven"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(omschrijving="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET omschrijving = 'herschreven'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_postgresql_refuses_changes_to_the_trail(wereld, sql):
    audit_vastleggen(gebruiker=wereld.directie, actie=Actie.LEZEN, onderwerp="x")
    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEvent.objects.filter(onderwerp="x").exists()


def test_on_postgresql_the_trail_has_its_trigger_and_not_the_sqlite_ones(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger"
            " WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
        )
        assert cursor.fetchall() == [("audit_auditevent_append_only",)]


# Issue 19: a foreign key constraint on the trail is checked once per inserted
# row (PostgreSQL's RI trigger, deferred to the commit: one statement each),
# so a page that logs the 700 students it shows made PostgreSQL run 700
# statements the ORM never sees. The trail keeps no constraint at all: it is
# append-only and outlives the rows it names.
def test_the_trail_has_no_foreign_key_constraint_so_no_check_per_inserted_row(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint"
            " WHERE conrelid = 'audit_auditevent'::regclass AND contype = 'f'"
        )
        assert cursor.fetchall() == []
        # The RI triggers a constraint brings along (RI_FKey_check_ins per row).
        cursor.execute(
            "SELECT tgname FROM pg_trigger"
            " WHERE tgrelid = 'audit_auditevent'::regclass AND tgisinternal"
        )
        assert cursor.fetchall() == []


def _scans_van_gebruikers() -> int:
    """How often PostgreSQL has read the user table in this transaction,
    statements the ORM does not see (a trigger's) included."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables"
            " WHERE relid = 'accounts_user'::regclass"
        )
        (rij,) = cursor.fetchall() or [(0,)]
    return rij[0]


def test_logging_two_hundred_students_does_not_look_up_the_user_two_hundred_times(wereld):
    leerlingen = [SimpleNamespace(pk=i, school_id=wereld.school.pk) for i in range(1, 201)]
    with connection.cursor() as cursor:
        # Deferred checks would run at the commit, after the test: now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    voor = _scans_van_gebruikers()

    events = audit_vastleggen(
        gebruiker=wereld.directie, actie=Actie.LEZEN, onderwerp="x", leerlingen=leerlingen
    )

    assert len(events) == 200
    assert _scans_van_gebruikers() == voor


def test_a_user_with_events_in_the_trail_still_cannot_be_deleted(wereld):
    audit_vastleggen(gebruiker=wereld.leerkracht_b, actie=Actie.LEZEN, onderwerp="x")
    with pytest.raises(ProtectedError):
        wereld.leerkracht_b.delete()
    assert AuditEvent.objects.filter(gebruiker=wereld.leerkracht_b).exists()


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sqlite_database(tmp_path_factory):
    """A SQLite database migrated as the embedded mode (`make run`) does."""
    path = tmp_path_factory.mktemp("embedded") / "zorg.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "ZORG_DB_APP_ROLE"}
    }
    # A DATABASE_URL leaves the embedded mode (whose file is ./zorg.sqlite3):
    # give what production settings ask for.
    env |= {
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "zorg.settings",
        "ZORG_ALLOWED_HOSTS": "zorg.example.org",
        "ZORG_BASE_URL": "https://zorg.example.org",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "audit", "--verbosity=0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    database = sqlite3.connect(path)
    database.execute(
        "INSERT INTO audit_auditevent (tijdstip, actie, onderwerp, object_id, omschrijving,"
        " velden, methode, pad) VALUES ('2026-12-04 10:00', 'lezen', 'x', '', '', '[]', '', '')"
    )
    database.commit()
    yield database
    database.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET omschrijving = 'herschreven'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_sqlite_refuses_changes_to_the_trail(sqlite_database, sql):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        sqlite_database.execute(sql)
    sqlite_database.rollback()

    assert sqlite_database.execute(
        "SELECT omschrijving FROM audit_auditevent WHERE onderwerp = 'x'"
    ).fetchall() == [("",)]


def test_director_sees_the_log_of_one_student_only(wereld, client_voor):
    client_voor(wereld.titularis).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_a.pk])
    )
    client_voor(wereld.leerkracht_b).get(
        reverse("leerlingen:leerling_detail", args=[wereld.leerling_b.pk])
    )
    response = client_voor(wereld.directie).get(
        reverse("leerlingen:leerling_audit", args=[wereld.leerling_a.pk])
    )
    gebruikers = {e.gebruiker for e in response.context["pagina"].object_list}
    assert wereld.titularis in gebruikers
    assert wereld.leerkracht_b not in gebruikers


def test_logins_and_failed_logins_are_logged(wereld, client):
    from tests.factories import WACHTWOORD

    client.post(reverse("account_login"), {"login": "zorg@test.example", "password": "fout"})
    client.post(reverse("account_login"), {"login": "zorg@test.example", "password": WACHTWOORD})
    acties = list(
        AuditEvent.objects.filter(onderwerp="sessie").order_by("id").values_list("actie", flat=True)
    )
    assert acties == [Actie.AANMELDEN_MISLUKT, Actie.AANMELDEN]


# --- the trail names records, never their content ------------------------------------

# Values chosen in care records that say something about the student: a
# measure's status and an evaluation's verdict, a flag's colour, the kind of a
# talk, observation or follow-up, where a request is to be discussed, a
# decision's kind, a trajectory's stage. Record kinds (the `onderwerp`) and
# administrative words (versie, pagina, overleg 12) are fine.
GEKOZEN_INHOUD = {
    *MaatregelEvaluatie.Effect.values,
    *MaatregelEvaluatie.Beslissing.values,
    *VlagKleur.values,
    *VlagOpvolging.Soort.values,
    *Gesprek.Soort.values,
    *ObservatieSoort.values,
    Maatregel.Status.ACTIEF,
    Maatregel.Status.VOORGESTELD,
    BeslissingSoort.AFSPRAAK,
    *Bespreekvraag.Waar.values,
    *Trajectstap.values,
    "rode",
    "afschaling",
}


def _woorden(tekst: str) -> set[str]:
    return set(re.findall(r"\w+", tekst.lower()))


@pytest.fixture
def dossier(wereld):
    eerste = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    d = dossier_vullen(wereld)
    d.events = list(AuditEvent.objects.filter(id__gt=eerste).order_by("id"))
    return d


def test_the_services_write_no_care_content_into_the_trail(dossier):
    onderwerpen = {e.onderwerp for e in dossier.events}
    # The walk must reach every kind of care record, or this test proves little.
    assert {
        "zorgfase",
        "aanmelding",
        "hgd_traject",
        "hgd_doel",
        "maatregel",
        "maatregelevaluatie",
        "maatregelcatalogus",
        "observatie",
        "gesprek",
        "vlag",
        "vlagopvolging",
        "intake",
        "beslissing",
        "bespreekvraag",
    } <= onderwerpen
    lek = [
        f"{event.onderwerp}: {event.omschrijving}"
        for event in dossier.events
        if any(inhoud.lower() in event.omschrijving.lower() for inhoud in INHOUD.values())
        or _woorden(event.omschrijving) & {woord.lower() for woord in GEKOZEN_INHOUD}
        or "→" in event.omschrijving
    ]
    assert not lek, f"care content in the audit trail: {lek}"
    # The names of the changed fields, never their values.
    for event in dossier.events:
        for veld in event.velden:
            assert re.fullmatch(r"[a-z_]+", veld), (event.onderwerp, veld)


def test_the_administrator_reads_no_care_content_on_the_audit_page(wereld, dossier, client_voor):
    response = client_voor(wereld.beheerder).get(
        reverse("leerlingen:leerling_audit", args=[wereld.leerling_a.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    tabel = html[html.index("<tbody>") : html.index("</tbody>")]
    assert "hgd_doel" in tabel  # the page shows the dossier's events
    for inhoud in INHOUD.values():
        assert escape(inhoud) not in tabel
    assert not _woorden(tabel) & {"actief", "werkt_deels", "stoppen", "rood", "ouders"}
    assert "→" not in tabel
    # Nor links to the records: the administrator may open none of them.
    assert "/maatregelen/" not in tabel


def test_the_director_follows_the_trail_to_the_records(wereld, dossier, client_voor):
    client = client_voor(wereld.directie)
    html = client.get(
        reverse("leerlingen:leerling_audit", args=[wereld.leerling_a.pk])
    ).content.decode()
    maatregel = reverse(
        "leerlingen:maatregel_detail", args=[wereld.leerling_a.pk, dossier.maatregel.pk]
    )
    assert f'href="{maatregel}"' in html
    assert f'href="{reverse("leerlingen:vlag_detail", args=[dossier.vlag.pk])}"' in html
    links = set(re.findall(r'<td><a href="([^"]+)"', html))
    assert len(links) >= 5
    for link in links:
        assert client.get(link).status_code == 200, link
