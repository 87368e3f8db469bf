from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_schoolinstellingen_en_kalender"),
    ]

    operations = [
        migrations.AddField(
            model_name="schooljaar",
            name="versie",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]
