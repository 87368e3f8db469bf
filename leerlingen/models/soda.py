"""SODA reports: stiptheid, orde, discipline, attitude (punctuality, order,
discipline, attitude), scored per period by each subject teacher.

The school defines its periods per school year (e.g. Kerstrapport,
Paasrapport, Eindrapport) and one scale (e.g. 1-4 or A-D), with the values
that count as low. A score is one row per student, period and teaching
assignment (so per subject and teacher), with a value of the school's scale
in each of the four columns; a column may stay empty until it is filled in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import School, Schooljaar

from .school import Leerling, Lesopdracht


class SodaCriterium(models.TextChoices):
    """The four columns of a SODA report, in their order."""

    STIPTHEID = "stiptheid", _("stiptheid")
    ORDE = "orde", _("orde")
    DISCIPLINE = "discipline", _("discipline")
    ATTITUDE = "attitude", _("attitude")


class SodaSchaal(models.Model):
    """A school's SODA scale; its values are SodaWaarde rows."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="soda_schaal")
    # Optimistic locking of the scale page (zorg.versies): one version for
    # all of its values.
    versie = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("SODA-schaal")
        verbose_name_plural = _("SODA-schalen")

    def __str__(self):
        return str(self.school)


class SodaWaarde(models.Model):
    """One value of a scale, lowest `volgorde` first. The low values are the
    lowest ones of the scale (the service keeps it so): then "half or more
    of the scores are low" and "the (lower) median is low" are the same."""

    schaal = models.ForeignKey(SodaSchaal, on_delete=models.CASCADE, related_name="waarden")
    volgorde = models.PositiveSmallIntegerField(_("volgorde"))
    code = models.CharField(_("code"), max_length=5)
    label = models.CharField(_("label"), max_length=50)
    omschrijving = models.CharField(_("omschrijving"), max_length=200, blank=True)
    is_laag = models.BooleanField(_("telt als laag"), default=False)

    class Meta:
        verbose_name = _("SODA-waarde")
        verbose_name_plural = _("SODA-waarden")
        ordering = ["schaal", "volgorde"]
        constraints = [
            models.UniqueConstraint(fields=["schaal", "code"], name="soda_waarde_code_uniek"),
            models.UniqueConstraint(
                fields=["schaal", "volgorde"], name="soda_waarde_volgorde_uniek"
            ),
        ]

    def __str__(self):
        return self.code


class SodaPeriode(models.Model):
    """A reporting period of a school year, as the school names it."""

    schooljaar = models.ForeignKey(
        Schooljaar, on_delete=models.CASCADE, related_name="soda_perioden"
    )
    naam = models.CharField(_("naam"), max_length=60)
    begin = models.DateField(_("begin"))
    einde = models.DateField(_("einde"))
    volgorde = models.PositiveSmallIntegerField(_("volgorde"))
    versie = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("SODA-periode")
        verbose_name_plural = _("SODA-perioden")
        ordering = ["schooljaar", "volgorde"]
        constraints = [
            models.UniqueConstraint(fields=["schooljaar", "naam"], name="soda_periode_naam_uniek"),
            models.UniqueConstraint(
                fields=["schooljaar", "volgorde"], name="soda_periode_volgorde_uniek"
            ),
            models.CheckConstraint(
                condition=Q(einde__gte=models.F("begin")), name="soda_periode_einde_na_begin"
            ),
        ]

    def __str__(self):
        return self.naam


class SodaScore(models.Model):
    """What one teacher gave one student in one period for one subject. Each
    column points at a value of the school's scale (the service checks it is
    that school's); empty until filled in."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="soda_scores")
    periode = models.ForeignKey(SodaPeriode, on_delete=models.CASCADE, related_name="scores")
    lesopdracht = models.ForeignKey(
        Lesopdracht, on_delete=models.CASCADE, related_name="soda_scores"
    )
    stiptheid = models.ForeignKey(
        SodaWaarde, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    orde = models.ForeignKey(
        SodaWaarde, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discipline = models.ForeignKey(
        SodaWaarde, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attitude = models.ForeignKey(
        SodaWaarde, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SODA-score")
        verbose_name_plural = _("SODA-scores")
        constraints = [
            models.UniqueConstraint(
                fields=["leerling", "periode", "lesopdracht"], name="soda_score_uniek"
            )
        ]
        indexes = [models.Index(fields=["periode", "leerling"], name="soda_score_periode")]

    def __str__(self):
        return f"{self.leerling} – {self.periode}"
