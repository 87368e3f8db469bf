import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Issue 19: the foreign key constraint on the user was checked at commit once
# per inserted row (a deferred RI trigger, one statement each), so a page
# that logs the 700 students it shows ran 700 statements more than the ORM
# counts. Like school and leerling, the column keeps its index and its
# PROTECT at the ORM level; only the database constraint goes.
#
# SQLite (the embedded mode) alters a column by rebuilding the table, which
# drops the append-only triggers of 0003: they are created again right after
# (and again after the rebuild of a rollback).
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only (UPDATE refused)'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit trail is append-only (DELETE refused)'); END
    """,
]


def sqlite_triggers_aanmaken(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_pseudonimiseren_toegestaan"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Runs last when the migration is rolled back.
        migrations.RunPython(migrations.RunPython.noop, sqlite_triggers_aanmaken),
        migrations.AlterField(
            model_name="auditevent",
            name="gebruiker",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="gebruiker",
            ),
        ),
        migrations.RunPython(sqlite_triggers_aanmaken, migrations.RunPython.noop),
    ]
