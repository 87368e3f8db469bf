"""Notifications name their student in `leerling` (the audit trail of the
list that shows them). Reminders made before remember what they were about
(herinneringen.Herinnering: kind and object), so they get theirs too."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# The reminder kinds whose title names a student, and where their object
# keeps the student.
_LEERLING_VAN = {
    "maatregel_evaluatie": ("leerlingen", "Maatregel", "leerling_id"),
    "actiepunt_morgen": ("klassenraad", "Actiepunt", "leerling_id"),
    "actiepunt_achterstallig": ("klassenraad", "Actiepunt", "leerling_id"),
    "actiepunt_escalatie": ("klassenraad", "Actiepunt", "leerling_id"),
    "doel_evaluatie": ("clb", "Doel", "traject__leerling_id"),
}


def leerlingen_invullen(apps, schema_editor):
    Melding = apps.get_model("meldingen", "Melding")
    Herinnering = apps.get_model("herinneringen", "Herinnering")
    for soort, (app, model, veld) in _LEERLING_VAN.items():
        objecten = apps.get_model(app, model).objects.filter(pk=OuterRef("object_id"))
        herinneringen = Herinnering.objects.filter(soort=soort, melding_id=OuterRef("pk")).annotate(
            leerling=Subquery(objecten.values(veld)[:1])
        )
        Melding.objects.filter(soort=soort, leerling__isnull=True).update(
            leerling_id=Subquery(herinneringen.values("leerling")[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("leerlingen", "0009_evaluatietermijn_verplicht"),
        ("meldingen", "0003_soorten_voorkeuren_samenvatting"),
        ("herinneringen", "0001_herinnering"),
        ("klassenraad", "0002_indexen_voor_de_agenda"),
        ("clb", "0001_hgd_traject"),
    ]

    operations = [
        migrations.AddField(
            model_name="melding",
            name="leerling",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="leerlingen.leerling",
            ),
        ),
        migrations.RunPython(leerlingen_invullen, migrations.RunPython.noop),
    ]
