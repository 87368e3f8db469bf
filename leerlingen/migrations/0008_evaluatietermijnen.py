"""Evaluation deadlines that do not move (the director's report counts the
share of evaluations on time against them).

`Maatregel.evaluatietermijn`: the deadline of a measure's next evaluation as
first set; an edit of `evaluatiedatum` (the planned date) leaves it.
`MaatregelEvaluatie.termijn`: the deadline an evaluation answered.

From now on the services set both. For the rows already there, the best
value the record still holds:

- An evaluation's deadline is the `volgende_evaluatie` of the evaluation
  recorded just before it on the same measure: that is exactly the deadline
  that was set when it was scheduled, since an evaluation is never edited
  (a later edit of the measure moved only `evaluatiedatum`). Recorded, not
  dated: each recording set the deadline of the next one, whatever date a
  user gave the evaluation.
- The first evaluation of a measure answered the date planned when the
  measure was made, and a continuing evaluation overwrote that date with the
  next one: it is gone. Only when the first evaluation also stopped the
  measure is it still there, as the measure's `evaluatiedatum` (an edit may
  have moved it; the date as last planned is the best there is). Otherwise
  the deadline stays unknown (None), and the report leaves the evaluation
  out rather than guess: the evaluation's own date would count it on time,
  a date worked out from the school's evaluation period would be invented.
- A measure's open deadline is the `volgende_evaluatie` of its last
  recorded evaluation (exact, as above); for a measure never evaluated, or
  whose last evaluation stopped it, its `evaluatiedatum` (as last planned).
"""

from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def termijnen_invullen(apps, schema_editor):
    Maatregel = apps.get_model("leerlingen", "Maatregel")
    MaatregelEvaluatie = apps.get_model("leerlingen", "MaatregelEvaluatie")
    eerder = MaatregelEvaluatie.objects.filter(maatregel=OuterRef("maatregel")).filter(
        Q(aangemaakt__lt=OuterRef("aangemaakt"))
        | Q(aangemaakt=OuterRef("aangemaakt"), pk__lt=OuterRef("pk"))
    )
    MaatregelEvaluatie.objects.update(
        termijn=Subquery(eerder.order_by("-aangemaakt", "-pk").values("volgende_evaluatie")[:1])
    )
    MaatregelEvaluatie.objects.filter(termijn__isnull=True, beslissing="stoppen").exclude(
        models.Exists(eerder)
    ).update(
        termijn=Subquery(
            Maatregel.objects.filter(pk=OuterRef("maatregel")).values("evaluatiedatum")[:1]
        )
    )
    laatste = MaatregelEvaluatie.objects.filter(maatregel=OuterRef("pk")).order_by(
        "-aangemaakt", "-pk"
    )
    Maatregel.objects.update(
        evaluatietermijn=Coalesce(
            Subquery(laatste.values("volgende_evaluatie")[:1]), F("evaluatiedatum")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("leerlingen", "0007_een_open_aanmelding_per_leerling"),
    ]

    operations = [
        migrations.AddField(
            model_name="maatregel",
            name="evaluatietermijn",
            field=models.DateField(null=True, verbose_name="oorspronkelijke evaluatietermijn"),
        ),
        migrations.AddField(
            model_name="maatregelevaluatie",
            name="termijn",
            field=models.DateField(blank=True, null=True, verbose_name="termijn"),
        ),
        migrations.RunPython(termijnen_invullen, migrations.RunPython.noop),
    ]
