"""A student has at most one referral waiting for the CLB. Doubles made
before this rule (double submits) are closed first: the oldest open referral
of a student stays open, the later ones are closed, not deleted."""

from django.db import migrations, models


def dubbels_sluiten(apps, schema_editor):
    Aanmelding = apps.get_model("leerlingen", "Aanmelding")
    eerste: set[int] = set()
    dubbel = []
    for pk, leerling_id in (
        Aanmelding.objects.filter(status="open")
        .order_by("leerling_id", "datum", "aangemaakt", "pk")
        .values_list("pk", "leerling_id")
    ):
        if leerling_id in eerste:
            dubbel.append(pk)
        else:
            eerste.add(leerling_id)
    Aanmelding.objects.filter(pk__in=dubbel).update(status="afgesloten")


class Migration(migrations.Migration):
    dependencies = [
        ("leerlingen", "0006_vlagsleutels_als_indiening"),
    ]

    operations = [
        migrations.RunPython(dubbels_sluiten, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="aanmelding",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")),
                fields=("leerling",),
                name="een_open_aanmelding_per_leerling",
            ),
        ),
    ]
