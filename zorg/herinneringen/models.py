from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Herinnering(models.Model):
    """That one person was reminded of one thing falling due on one day:
    at most one row per (kind, object, due date, person), so a second run of
    the same job, two beat processes or a retried task remind nobody twice.
    The notification it made is its `melding`."""

    soort = models.CharField(_("soort"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    vervaldatum = models.DateField(_("vervaldatum"))
    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="herinneringen"
    )
    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    melding = models.OneToOneField(
        "meldingen.Melding", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(
                fields=["soort", "object_id", "vervaldatum", "ontvanger"],
                name="een_herinnering_per_vervaldag",
            )
        ]
        indexes = [
            models.Index(fields=["school", "soort", "vervaldatum"], name="herinnering_school")
        ]

    def __str__(self):
        return f"{self.soort} {self.object_id} {self.vervaldatum} → {self.ontvanger_id}"
