from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_append_only_trigger_sqlite"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actie",
            field=models.CharField(
                choices=[
                    ("lezen", "gelezen"),
                    ("aanmaken", "aangemaakt"),
                    ("wijzigen", "gewijzigd"),
                    ("verwijderen", "verwijderd"),
                    ("downloaden", "gedownload"),
                    ("exporteren", "geëxporteerd"),
                    ("aanmelden", "aangemeld"),
                    ("aanmelden_mislukt", "aanmelden mislukt"),
                    ("afmelden", "afgemeld"),
                ],
                max_length=20,
                verbose_name="actie",
            ),
        ),
    ]
