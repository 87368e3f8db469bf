"""The audit trail is append-only against the application itself.

Production runs `migrate` as the owner of the tables with ZORG_DB_APP_ROLE
set, and the web app and workers as that role. These tests make such a role,
apply the grants the way production does (`migrate`, whose post_migrate
handler grants), then act as the role with SET ROLE on the test connection.
A refusal must be PostgreSQL's permission check (SQLSTATE 42501), not the
audit trigger (which an owner could disable, and which TRUNCATE never fires).
"""

import datetime
import secrets
from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from leerlingen.models import Leerling
from zorg.audit.models import Actie, AuditEvent
from zorg.audit.rechten import AppRolFout
from zorg.audit.services import audit_vastleggen

GEEN_RECHT = "42501"  # insufficient_privilege, also "must be owner of table"
TRIGGER = "audit_auditevent_append_only"


class _Terugdraaien(Exception):
    pass


def sqlstate(sql: str) -> str | None:
    """Runs sql in its own savepoint, which is always rolled back; returns
    the SQLSTATE it failed with, or None when it succeeded."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
            raise _Terugdraaien
    except _Terugdraaien:
        return None
    except DatabaseError as error:
        return error.__cause__.sqlstate


@contextmanager
def als(rol: str):
    # Outside any savepoint: rolling one back would undo the SET ROLE too.
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(rol)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def trigger_staat_aan() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger"
            " WHERE tgname = %s AND tgrelid = 'audit_auditevent'::regclass",
            [TRIGGER],
        )
        return cursor.fetchone() == ("O",)


@pytest.fixture
def app_rol(wereld, settings):
    # Roles are cluster-wide: a name of its own per run, and dropped again
    # (the test's rollback would undo CREATE ROLE as well).
    rol = f"zorg_app_test_{secrets.token_hex(6)}"
    q = connection.ops.quote_name(rol)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {q} NOLOGIN")
        # SET ROLE needs membership; PostgreSQL 16 no longer gives a role's
        # creator that by itself.
        cursor.execute(f"GRANT {q} TO CURRENT_USER")
    settings.ZORG_DB_APP_ROLE = rol
    call_command("migrate", verbosity=0)
    audit_vastleggen(gebruiker=wereld.directie, actie=Actie.LEZEN, onderwerp="x")
    yield rol
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute(f"DROP OWNED BY {q}")
        cursor.execute(f"DROP ROLE {q}")


REFUSED = {
    "disable all triggers": "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "disable the trigger": f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}",
    "drop the trigger": f"DROP TRIGGER {TRIGGER} ON audit_auditevent",
    "update": "UPDATE audit_auditevent SET omschrijving = 'herschreven'",
    "delete": "DELETE FROM audit_auditevent",
    "truncate": "TRUNCATE audit_auditevent",
    "drop the table": "DROP TABLE audit_auditevent",
    "create a table": "CREATE TABLE zorg_eigen_tabel (id integer)",
    "create a function": "CREATE FUNCTION zorg_f() RETURNS int AS 'SELECT 1' LANGUAGE sql",
    "alter another table": "ALTER TABLE leerlingen_leerling ADD COLUMN x integer",
}


@pytest.mark.parametrize("sql", REFUSED.values(), ids=REFUSED.keys())
def test_the_app_role_may_not_rewrite_the_trail_nor_change_the_schema(app_rol, sql):
    with als(app_rol):
        assert sqlstate(sql) == GEEN_RECHT

    assert trigger_staat_aan()
    assert AuditEvent.objects.filter(onderwerp="x", omschrijving="").exists()


@pytest.mark.parametrize(
    "sql",
    [
        # (ALL would include the foreign keys' system triggers: superuser only.)
        REFUSED["disable the trigger"],
        REFUSED["drop the trigger"],
        REFUSED["truncate"],
        REFUSED["create a table"],
    ],
)
def test_the_owner_still_can_which_is_why_the_app_must_not_be_the_owner(app_rol, sql):
    # ALTER TABLE waits for no deferred foreign-key check of the row just written.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    assert sqlstate(sql) is None


def test_the_app_role_appends_to_and_reads_the_trail(app_rol, wereld):
    with als(app_rol):
        audit_vastleggen(
            gebruiker=wereld.titularis,
            actie=Actie.LEZEN,
            onderwerp="leerling",
            leerlingen=[wereld.leerling_a],
        )
        assert AuditEvent.objects.filter(gebruiker=wereld.titularis).count() == 1


def test_the_app_role_changes_every_other_table(app_rol, wereld):
    with als(app_rol):
        Leerling.objects.filter(pk=wereld.leerling_a.pk).update(voornaam="Gewijzigd")
        Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())
        Session.objects.filter(session_key="k" * 32).delete()
        interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
        taak = PeriodicTask.objects.create(name="t", task="t", interval=interval)
        taak.enabled = False
        taak.save()
        taak.delete()

    wereld.leerling_a.refresh_from_db()
    assert wereld.leerling_a.voornaam == "Gewijzigd"


def test_a_table_the_owner_adds_later_is_open_to_the_app_role(app_rol):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE zorg_later (id bigint GENERATED BY DEFAULT AS IDENTITY)")
    with als(app_rol), connection.cursor() as cursor:
        cursor.execute("INSERT INTO zorg_later DEFAULT VALUES")
        cursor.execute("DELETE FROM zorg_later")


def test_migrate_refuses_to_hand_the_app_role_to_the_owner(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (eigenaar,) = cursor.fetchone()
    settings.ZORG_DB_APP_ROLE = eigenaar

    with pytest.raises(AppRolFout, match="owns nothing"):
        call_command("migrate", verbosity=0)


def test_migrate_refuses_a_role_that_does_not_exist(db, settings):
    settings.ZORG_DB_APP_ROLE = f"zorg_bestaat_niet_{secrets.token_hex(6)}"

    with pytest.raises(AppRolFout, match="does not exist"):
        call_command("migrate", verbosity=0)


def test_the_app_role_pseudonymises_old_events_through_the_sanctioned_path(app_rol, wereld):
    """Issue 18: the nightly job runs as the app role. Its column grant lets
    it clear the four columns, and only under the trigger's flag."""
    from bewaring.services import audit_pseudonimiseren

    oud = AuditEvent.objects.create(
        tijdstip=timezone.now() - datetime.timedelta(days=6 * 366),
        gebruiker=wereld.directie,
        actie=Actie.LEZEN,
        onderwerp="leerling",
        leerling_id=wereld.leerling_a.pk,
        ip="192.0.2.7",
        pad="/leerlingen/",
    )
    with als(app_rol):
        assert sqlstate("UPDATE audit_auditevent SET leerling_id = NULL") is not None
        audit_pseudonimiseren(nu=timezone.now())

    oud.refresh_from_db()
    assert (oud.leerling_id, oud.gebruiker_id, oud.ip, oud.pad) == (None, None, None, "")
