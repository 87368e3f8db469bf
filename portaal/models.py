"""Who outside the school may read what the school told them about a
student: a guardian (one of the student's `Ouder` rows) or, from 12, the
student themself. Access starts with an invitation, counts once it is
accepted (a password chosen through the e-mailed link) and ends at once when
it is revoked. The rows stay: who had access when is part of the record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortaaltoegangQuerySet(models.QuerySet):
    def niet_ingetrokken(self):
        return self.filter(ingetrokken_op__isnull=True)

    def actief(self):
        """Accepted, not revoked, and the student's school has its portal on:
        what opens a child's page."""
        return self.niet_ingetrokken().filter(
            aanvaard_op__isnull=False, leerling__school__portaal_aan=True
        )


class Portaaltoegang(models.Model):
    class Soort(models.TextChoices):
        OUDER = "ouder", _("ouder of voogd")
        LEERLING = "leerling", _("leerling zelf")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portaaltoegangen"
    )
    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, related_name="portaaltoegangen"
    )
    soort = models.CharField(_("voor"), max_length=10, choices=Soort.choices)
    # The guardian row this access is for; removing the guardian ends it.
    ouder = models.ForeignKey(
        "leerlingen.Ouder",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="portaaltoegangen",
    )
    uitgenodigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uitgenodigd_op = models.DateTimeField(_("uitgenodigd op"), default=timezone.now)
    aanvaard_op = models.DateTimeField(_("aanvaard op"), null=True, blank=True)
    ingetrokken_op = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = PortaaltoegangQuerySet.as_manager()

    class Meta:
        verbose_name = _("portaaltoegang")
        verbose_name_plural = _("portaaltoegangen")
        ordering = ["leerling_id", "soort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "leerling"],
                condition=Q(ingetrokken_op__isnull=True),
                name="portaaltoegang_een_actieve_per_persoon",
            ),
            models.CheckConstraint(
                condition=Q(soort="ouder", ouder__isnull=False)
                | Q(soort="leerling", ouder__isnull=True),
                name="portaaltoegang_ouder_bij_soort",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} → {self.leerling_id}"

    @property
    def is_aanvaard(self) -> bool:
        return self.aanvaard_op is not None

    @property
    def is_ingetrokken(self) -> bool:
        return self.ingetrokken_op is not None
