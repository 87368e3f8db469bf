"""What the application's own database role may do (PostgreSQL, production).

Two roles: the schema owner runs `migrate` and owns every table; the web app
and the Celery workers connect as a second role (ZORG_DB_APP_ROLE) that owns
nothing. An owner can disable or drop the audit trigger and truncate the
table, so the trail is only append-only against the application if the
application is not the owner. The app role gets plain DML on every table, and
only SELECT and INSERT on the audit table (plus UPDATE of the four columns that
pseudonymisation clears, which the trigger allows only as that): no other
UPDATE, no DELETE or TRUNCATE, and,
owning nothing and lacking CREATE on the schema, no DDL at all.

`migrate` applies this after every run (post_migrate, see apps.py), so a
migration that adds or rebuilds a table cannot leave the grants behind; the
default privileges cover tables created outside `migrate` by the owner.
"""

from django.conf import settings
from django.core.management import CommandError
from django.db import connections

from .models import AuditEvent

TABELRECHTEN = "SELECT, INSERT, UPDATE, DELETE"
AUDITRECHTEN = "SELECT, INSERT"
# Pseudonymising an event past the audit term (bewaring.services) clears
# these columns; the trigger allows it only under a transaction-local flag
# and only to nothing, so the column grant rewrites no history.
PSEUDONIEM_KOLOMMEN = "leerling_id, gebruiker_id, ip, pad"


class AppRolFout(CommandError):
    """Stops `migrate` with a message instead of a traceback."""


def app_rol_rechten_toekennen(*, connection, rol: str) -> None:
    """Grant `rol` what Zorg needs in the current schema, and nothing more.
    Run as the owner of the tables; safe to run again."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), current_user")
        schema, eigenaar = cursor.fetchone()
        if rol == eigenaar:
            raise AppRolFout(
                f"ZORG_DB_APP_ROLE is {rol!r}, the role that runs migrate: the application "
                "must connect as a role that owns nothing (see README.md)"
            )
        # The checks PostgreSQL would not make for us: a superuser or a member
        # of the owner role would inherit everything that is revoked below.
        cursor.execute(
            "SELECT rolsuper, pg_has_role(rolname, current_user, 'USAGE')"
            " FROM pg_roles WHERE rolname = %s",
            [rol],
        )
        rij = cursor.fetchone()
        if rij is None:
            raise AppRolFout(f"ZORG_DB_APP_ROLE: role {rol!r} does not exist (createuser it)")
        if any(rij):
            raise AppRolFout(
                f"role {rol!r} is a superuser or a member of {eigenaar!r}: "
                "it could rewrite the audit trail"
            )

        r, s, audit = qn(rol), qn(schema), qn(AuditEvent._meta.db_table)
        for sql in [
            # Start from nothing, so a TRUNCATE or TRIGGER granted by hand goes.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {r}",
            f"REVOKE CREATE ON SCHEMA {s} FROM {r}",
            f"GRANT USAGE ON SCHEMA {s} TO {r}",
            f"GRANT {TABELRECHTEN} ON ALL TABLES IN SCHEMA {s} TO {r}",
            f"REVOKE ALL ON {audit} FROM {r}",
            f"GRANT {AUDITRECHTEN} ON {audit} TO {r}",
            f"GRANT UPDATE ({PSEUDONIEM_KOLOMMEN}) ON {audit} TO {r}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT {TABELRECHTEN} ON TABLES TO {r}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {r}",
        ]:
            cursor.execute(sql)

        # CREATE on the schema may also come through PUBLIC (the default
        # before PostgreSQL 15); that is the database administrator's to revoke.
        cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [rol, schema])
        if cursor.fetchone()[0]:
            raise AppRolFout(
                f"role {rol!r} may create tables in schema {schema!r}: "
                f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC (as its owner)"
            )


def na_migratie(sender, using, **kwargs):
    """post_migrate: grant ZORG_DB_APP_ROLE its rights, when it is set."""
    rol = settings.ZORG_DB_APP_ROLE
    if rol:
        app_rol_rechten_toekennen(connection=connections[using], rol=rol)
