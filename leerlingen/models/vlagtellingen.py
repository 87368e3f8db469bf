"""Flags counted per Brussels day and colour, kept beside the flags so the
trends of a school year cost a few hundred rows whatever the number of
flags (issue 19): one table for the whole school (every flag, with or
without a class), one per class.

The counts change in the same transaction as the flag (leerlingen.vlagtellingen
listens to the flag's saves and deletes) and can be rebuilt for a period
from the flags themselves (`manage.py vlagtellingen_herbouwen`): a count is
a cache of the flags, never a source of its own."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import School

from .school import Klas
from .vlaggen import VlagKleur


class VlagtellingSchool(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kleur = models.CharField(max_length=10, choices=VlagKleur.choices)
    dag = models.DateField()
    aantal = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("vlagtelling van een school")
        verbose_name_plural = _("vlagtellingen van scholen")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "dag", "kleur"], name="vlagtelling_school_dag_kleur"
            ),
        ]

    def __str__(self):
        return f"{self.school_id} {self.dag} {self.kleur}: {self.aantal}"


class VlagtellingKlas(models.Model):
    klas = models.ForeignKey(Klas, on_delete=models.CASCADE, related_name="+")
    # The class's school, copied: the grade filter reads a school's classes.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    kleur = models.CharField(max_length=10, choices=VlagKleur.choices)
    dag = models.DateField()
    aantal = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("vlagtelling van een klas")
        verbose_name_plural = _("vlagtellingen van klassen")
        constraints = [
            models.UniqueConstraint(
                fields=["klas", "dag", "kleur"], name="vlagtelling_klas_dag_kleur"
            ),
        ]
        indexes = [models.Index(fields=["school", "dag"], name="vlagtelling_klas_school_dag")]

    def __str__(self):
        return f"{self.klas_id} {self.dag} {self.kleur}: {self.aantal}"
