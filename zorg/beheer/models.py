from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Uitnodiging(models.Model):
    """That a school invited a person to Zorg, and when it last did: the
    staff list tells who still waits for an invitation ("nog niet
    uitgenodigd") from it. One row per person and school; a re-sent
    invitation updates it. Who sent which one is in the audit trail."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="uitnodigingen"
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="uitnodigingen"
    )
    verstuurd_op = models.DateTimeField(_("laatst verstuurd op"), default=timezone.now)
    aantal = models.PositiveIntegerField(_("aantal keer verstuurd"), default=1)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="een_uitnodiging_per_school")
        ]

    def __str__(self):
        return f"{self.user} – {self.school}"
