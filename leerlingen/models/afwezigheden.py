"""Absences (afwezigheden): what the student secretariat records per half
day, and the moment a student's problematic half days of a school year
reach the school's threshold (`School.afwezigheid_drempel`).

An absence is administrative data: the secretariat records and corrects it.
That the threshold was reached is care content: it reaches the care team and
the CLB, the timeline (care team only) and the care cell's agenda."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import schooljaar_begin

from .school import Leerling


class Dagdeel(models.TextChoices):
    VOORMIDDAG = "vm", _("voormiddag")
    NAMIDDAG = "nm", _("namiddag")


class AfwezigheidCode(models.TextChoices):
    ATTEST = "attest", _("gewettigd met doktersattest")
    OUDERS = "ouders", _("gewettigd door de ouders")
    ONGEWETTIGD = "ongewettigd", _("ongewettigd")
    PROBLEMATISCH = "problematisch", _("problematisch")


# The half days that count towards the threshold. In Flanders every
# unjustified absence is a problematic one; `problematisch` marks an absence
# the school finds worrying although it was covered (a pattern of single days
# with a note, arriving every Monday late).
PROBLEMATISCHE_CODES = frozenset({AfwezigheidCode.ONGEWETTIGD, AfwezigheidCode.PROBLEMATISCH})


class AfwezigheidQuerySet(models.QuerySet):
    def problematisch(self):
        return self.filter(code__in=PROBLEMATISCHE_CODES)

    def in_schooljaar(self, begin: datetime.date):
        """From 1 September `begin` to 31 August of the next year."""
        return self.filter(datum__gte=begin, datum__lt=begin.replace(year=begin.year + 1))


class Afwezigheid(models.Model):
    """One half day a student was absent, with its reason code."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="afwezigheden")
    datum = models.DateField(_("datum"))
    dagdeel = models.CharField(_("dagdeel"), max_length=2, choices=Dagdeel.choices)
    code = models.CharField(_("code"), max_length=20, choices=AfwezigheidCode.choices)
    # The secretariat's administrative note (which attest, who called).
    notitie = models.CharField(_("notitie"), max_length=300, blank=True)
    geregistreerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(default=timezone.now)
    # Optimistic locking of a change of code (zorg.versies).
    versie = models.PositiveIntegerField(default=1, editable=False)

    objects = AfwezigheidQuerySet.as_manager()

    class Meta:
        verbose_name = _("afwezigheid")
        verbose_name_plural = _("afwezigheden")
        ordering = ["-datum", "dagdeel"]
        constraints = [
            models.UniqueConstraint(
                fields=["leerling", "datum", "dagdeel"], name="afwezigheid_per_halve_dag"
            )
        ]

    def __str__(self):
        return f"{self.datum:%d/%m/%Y} {self.get_dagdeel_display()}: {self.get_code_display()}"

    @property
    def schooljaar_begin(self) -> datetime.date:
        return schooljaar_begin(self.datum)

    @property
    def is_problematisch(self) -> bool:
        return self.code in PROBLEMATISCHE_CODES


class AfwezigheidsdrempelQuerySet(models.QuerySet):
    def geldig(self):
        """Not withdrawn: the count has not been corrected back below it."""
        return self.filter(ingetrokken_op__isnull=True)

    def te_bespreken(self):
        """What the care cell takes up: valid and found while its school year
        ran (not afterwards, through a correction of an old register)."""
        return self.geldig().filter(achteraf=False)


class Afwezigheidsdrempel(models.Model):
    """The student reached the school's threshold of problematic half days
    in the school year that began on `schooljaar`: at most one valid record
    per school year (the constraint), however far above it the count goes.

    A correction (a code made justified, an absence removed) that brings the
    count back below withdraws it (`ingetrokken_op`): the row stays as
    history. Reaching the threshold again that school year makes a new row,
    told and put on the agenda as the first was. A record found after its
    school year ended (`achteraf`: last year's register corrected in
    September) is kept for the record but told to nobody."""

    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="afwezigheidsdrempels"
    )
    schooljaar = models.DateField(_("schooljaar (1 september)"))
    bereikt_op = models.DateTimeField(_("bereikt op"), default=timezone.now)
    aantal = models.PositiveSmallIntegerField(_("problematische halve dagen"))
    drempel = models.PositiveSmallIntegerField(_("drempel"))
    achteraf = models.BooleanField(_("vastgesteld na het schooljaar"), default=False)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    # The count that withdrew it.
    aantal_bij_intrekking = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AfwezigheidsdrempelQuerySet.as_manager()

    class Meta:
        verbose_name = _("afwezigheidsdrempel")
        verbose_name_plural = _("afwezigheidsdrempels")
        ordering = ["-bereikt_op"]
        constraints = [
            models.UniqueConstraint(
                fields=["leerling", "schooljaar"],
                condition=models.Q(ingetrokken_op__isnull=True),
                name="afwezigheidsdrempel_geldig_per_schooljaar",
            )
        ]
        indexes = [models.Index(fields=["schooljaar", "bereikt_op"], name="afwdrempel_jaar")]

    def __str__(self):
        return f"{self.leerling}: {self.aantal} ({self.schooljaar:%Y})"
