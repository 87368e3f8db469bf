from django.db import migrations

from leerlingen.zorgfasen import zorgfasen_aanmaken


def fasen_aanmaken(apps, schema_editor):
    zorgfasen_aanmaken(apps.get_model("leerlingen", "Zorgfase"))


class Migration(migrations.Migration):
    dependencies = [("leerlingen", "0001_initial")]
    operations = [migrations.RunPython(fasen_aanmaken, migrations.RunPython.noop)]
