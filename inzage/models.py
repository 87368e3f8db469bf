"""The access request (GDPR article 15): a parent or a student asks what the
school keeps about the student. The director records the request, hands
over the export (inzage.inhoud) within the legal month, and records when."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Leerling
from zorg.accounts.models import School


def wettelijke_termijn(ontvangen_op: datetime.date) -> datetime.date:
    """One month after the request (GDPR art. 12(3)): the same day of the
    next month, or that month's last day when it has no such day (31 January
    gives 28 or 29 February), as the EDPB reads the regulation on time
    limits (1182/71). Not moved past a weekend or holiday: the school keeps
    the earlier, safe date."""
    return ontvangen_op + relativedelta(months=1)


class InzageverzoekQuerySet(models.QuerySet):
    def lopend(self):
        """Not yet handed over."""
        return self.exclude(status=Inzageverzoek.Status.OVERHANDIGD)

    def dringend(self, op: datetime.date, dagen: int = 7):
        """Still to hand over with the deadline within `dagen` days of `op`,
        or past."""
        return self.lopend().filter(termijn__lte=op + datetime.timedelta(days=dagen))


class Inzageverzoek(models.Model):
    class Aanvrager(models.TextChoices):
        OUDER = "ouder", _("ouder")
        LEERLING = "leerling", _("leerling")
        ANDER = "ander", _("iemand anders (bv. een advocaat met volmacht)")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        KLAAR = "klaar", _("export klaar")
        OVERHANDIGD = "overhandigd", _("overhandigd")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="inzageverzoeken")
    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="inzageverzoeken")
    aanvrager = models.CharField(_("gevraagd door"), max_length=10, choices=Aanvrager.choices)
    aanvrager_naam = models.CharField(_("naam van de aanvrager"), max_length=200)
    ontvangen_op = models.DateField(_("verzoek ontvangen op"))
    # One month after `ontvangen_op` (wettelijke_termijn), kept so the start
    # page filters on it.
    termijn = models.DateField(_("wettelijke termijn"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    klaar_op = models.DateField(_("export klaar op"), null=True, blank=True)
    overhandigd_op = models.DateField(_("overhandigd op"), null=True, blank=True)
    overhandigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(default=timezone.now)
    versie = models.PositiveIntegerField(default=1)

    objects = InzageverzoekQuerySet.as_manager()

    class Meta:
        verbose_name = _("inzageverzoek")
        verbose_name_plural = _("inzageverzoeken")
        ordering = ["termijn", "pk"]
        indexes = [models.Index(fields=["school", "status", "termijn"], name="inzage_lopend")]
        constraints = [
            models.CheckConstraint(
                condition=Q(termijn__gt=F("ontvangen_op")), name="inzage_termijn_na_verzoek"
            ),
            models.CheckConstraint(
                condition=Q(overhandigd_op__isnull=True) | Q(overhandigd_op__gte=F("ontvangen_op")),
                name="inzage_overhandigd_na_verzoek",
            ),
            models.CheckConstraint(
                condition=~Q(status="overhandigd") | Q(overhandigd_op__isnull=False),
                name="inzage_overhandigd_heeft_datum",
            ),
        ]

    def __str__(self):
        return f"{self.leerling} – {self.ontvangen_op}"

    @property
    def is_overhandigd(self) -> bool:
        return self.status == self.Status.OVERHANDIGD

    def dagen_tot_termijn(self, op: datetime.date | None = None) -> int:
        return (self.termijn - (op or timezone.localdate())).days
