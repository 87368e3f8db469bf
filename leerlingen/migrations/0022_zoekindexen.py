"""Student search by name and number, indexed on PostgreSQL (issue 19).

The search (`LeerlingQuerySet.zoeken`) asks `icontains` on the first and
last name, which PostgreSQL runs as `UPPER(naam::text) LIKE UPPER('%…%')`:
a B-tree cannot serve a pattern that starts with a wildcard, a trigram
index (pg_trgm, a trusted extension the database owner may create) can,
for any part of a name of three letters or more. Chosen over an unaccented
prefix index because people type a piece of a name ("verbe", "lotte")
rather than its start, and over full-text search because names are not
words to stem. The number (`iexact`) gets a B-tree on its upper case.

SQLite (the embedded `make run`) gets none of this: its few hundred demo
students need no index, and it has no pg_trgm."""

from django.db import migrations

INDEXEN = [
    "CREATE INDEX IF NOT EXISTS leerling_voornaam_trgm ON leerlingen_leerling "
    "USING gin ((UPPER(voornaam::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS leerling_achternaam_trgm ON leerlingen_leerling "
    "USING gin ((UPPER(achternaam::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS leerling_nummer_upper ON leerlingen_leerling "
    "((UPPER(leerlingnummer::text)))",
]
NAMEN = ["leerling_voornaam_trgm", "leerling_achternaam_trgm", "leerling_nummer_upper"]


def aanmaken(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXEN:
        schema_editor.execute(sql)


def verwijderen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for naam in NAMEN:
        schema_editor.execute(f"DROP INDEX IF EXISTS {naam}")


class Migration(migrations.Migration):
    dependencies = [("leerlingen", "0021_leerling_dossier_vernietigd_op")]

    operations = [migrations.RunPython(aanmaken, verwijderen)]
