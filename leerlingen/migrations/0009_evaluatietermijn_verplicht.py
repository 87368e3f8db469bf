"""Every measure has an evaluation deadline (filled in by 0008). Its own
migration: PostgreSQL refuses to alter a table in the transaction that
updated its rows while constraint checks are pending."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("leerlingen", "0008_evaluatietermijnen"),
    ]

    operations = [
        migrations.AlterField(
            model_name="maatregel",
            name="evaluatietermijn",
            field=models.DateField(verbose_name="oorspronkelijke evaluatietermijn"),
        ),
    ]
