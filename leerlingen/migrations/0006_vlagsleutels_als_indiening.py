"""The flag form's keys move to the one mechanism of every create form
(zorg.eenmalig): each flag's key becomes an `Indiening`, so a resubmit of a
page loaded before this change still finds its flag. `Vlag.sleutel` stays."""

from django.db import migrations


def overnemen(apps, schema_editor):
    Vlag = apps.get_model("leerlingen", "Vlag")
    Indiening = apps.get_model("eenmalig", "Indiening")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Vlag.objects.exists():
        return
    soort, _ = ContentType.objects.get_or_create(app_label="leerlingen", model="vlag")
    rijen = Vlag.objects.values_list("sleutel", "gemeld_door_id", "pk")
    Indiening.objects.bulk_create(
        (
            Indiening(
                sleutel=sleutel,
                door_id=door_id,
                formulier="leerlingen.vlag",
                inhoud_type=soort,
                inhoud_id=str(pk),
            )
            for sleutel, door_id, pk in rijen.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("eenmalig", "0001_indiening"),
        ("leerlingen", "0005_indexen_voor_de_agenda"),
    ]

    operations = [migrations.RunPython(overnemen, migrations.RunPython.noop)]
