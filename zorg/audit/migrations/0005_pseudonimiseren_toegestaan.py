from django.db import migrations

# The one sanctioned change of the trail: when an event has outlived the
# audit term (bewaring.regels), bewaring.services.audit_pseudonimiseren
# clears who and about whom (leerling_id, gebruiker_id, ip, pad) inside a
# transaction that sets `zorg.audit_pseudonimiseren` locally. The trigger
# lets exactly that through: an UPDATE under the flag that sets those four
# columns to nothing and leaves every other column as it was. DELETE stays
# refused always, and so does every other UPDATE. SET LOCAL ends with its
# transaction, so the flag cannot leak into a later request on the same
# connection. (SQLite, the embedded mode, keeps refusing every change: its
# triggers cannot read a session flag, so nothing is pseudonymised there.)
FUNCTIE = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND coalesce(current_setting('zorg.audit_pseudonimiseren', true), '') = 'aan'
       AND NEW.leerling_id IS NULL
       AND NEW.gebruiker_id IS NULL
       AND NEW.ip IS NULL
       AND NEW.pad = ''
       AND (NEW.id, NEW.tijdstip, NEW.actie, NEW.school_id, NEW.onderwerp, NEW.object_id,
            NEW.omschrijving, NEW.velden, NEW.methode)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.tijdstip, OLD.actie, OLD.school_id, OLD.onderwerp, OLD.object_id,
            OLD.omschrijving, OLD.velden, OLD.methode)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""

OUD = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def functie_vervangen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTIE, params=None)


def functie_terugzetten(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OUD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_afmelden")]
    operations = [migrations.RunPython(functie_vervangen, functie_terugzetten)]
