from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OpschortingQuerySet(models.QuerySet):
    def lopend(self, op):
        """The holds that still stop destruction on `op`: not ended, and
        their end date not yet passed (the end date itself still counts)."""
        return self.filter(beeindigd_op__isnull=True, tot__gte=op)


class Opschorting(models.Model):
    """A hold: the student's care record is not destroyed while a decision
    about them is contested (an appeal against a class council's decision,
    a complaint, a court case), until `tot` or until someone ends it."""

    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, related_name="opschortingen"
    )
    reden = models.CharField(_("reden"), max_length=300)
    tot = models.DateField(_("tot en met"))
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(default=timezone.now)
    beeindigd_op = models.DateTimeField(null=True, blank=True)
    beeindigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking (zorg.versies): ending a hold that someone else
    # just changed is refused.
    versie = models.PositiveIntegerField(default=1, editable=False)

    objects = OpschortingQuerySet.as_manager()

    class Meta:
        verbose_name = _("opschorting")
        verbose_name_plural = _("opschortingen")
        ordering = ["-aangemaakt", "-id"]
        indexes = [
            models.Index(
                fields=["leerling", "tot"],
                condition=Q(beeindigd_op__isnull=True),
                name="opschorting_lopend",
            )
        ]

    def __str__(self):
        return f"{self.leerling_id} tot {self.tot}"
