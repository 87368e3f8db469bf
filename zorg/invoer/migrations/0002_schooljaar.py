import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_campus_versie"),
        ("invoer", "0001_importopdracht"),
    ]

    operations = [
        migrations.AddField(
            model_name="importopdracht",
            name="schooljaar",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.schooljaar",
                verbose_name="schooljaar",
            ),
        ),
    ]
