from django.db import migrations

FASEN = {
    "basis": [
        (0, "Brede basiszorg"),
        (1, "Verhoogde zorg"),
        (2, "Uitbreiding van zorg"),
        (3, "Individueel aangepast curriculum (IAC)"),
    ],
    "secundair": [
        (0, "Brede basiszorg"),
        (1, "Verhoogde zorg"),
        (2, "Uitbreiding van zorg"),
        (3, "Individueel aangepast curriculum (IAC)"),
    ],
    # Part-time arts education has a shorter continuum.
    "dko": [
        (0, "Brede basiszorg"),
        (1, "Verhoogde zorg"),
        (2, "Individueel aangepast curriculum (IAC)"),
    ],
}


def fasen_aanmaken(apps, schema_editor):
    Zorgfase = apps.get_model("leerlingen", "Zorgfase")
    for schooltype, fasen in FASEN.items():
        for nummer, naam in fasen:
            Zorgfase.objects.update_or_create(
                schooltype=schooltype, nummer=nummer, defaults={"naam": naam}
            )


class Migration(migrations.Migration):
    dependencies = [("leerlingen", "0001_initial")]
    operations = [migrations.RunPython(fasen_aanmaken, migrations.RunPython.noop)]
