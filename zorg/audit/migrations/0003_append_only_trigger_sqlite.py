from django.db import migrations

# The embedded mode (make run) keeps its trail in SQLite: there too the
# database itself refuses to rewrite it, not only the model. SQLite has no
# roles, so this is all it can do; PostgreSQL has its trigger (0002) and the
# application's role lacks UPDATE, DELETE and TRUNCATE (zorg/audit/rechten.py).
TRIGGERS = [
    """
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only (UPDATE refused)'); END
    """,
    """
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only (DELETE refused)'); END
    """,
]

DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]


def triggers_aanmaken(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS:
            schema_editor.execute(sql, params=None)


def triggers_verwijderen(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(triggers_aanmaken, triggers_verwijderen)]
