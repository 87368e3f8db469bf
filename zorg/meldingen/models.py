from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeldingQuerySet(models.QuerySet):
    def ongelezen(self):
        return self.filter(gelezen_op__isnull=True)

    def voor(self, user):
        return self.filter(ontvanger=user)


class Melding(models.Model):
    """An in-app notification. Its e-mail twin only says that there is
    something to read in Zorg: care details never travel by e-mail."""

    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meldingen"
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    titel = models.CharField(_("titel"), max_length=200)
    tekst = models.TextField(_("tekst"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    aangemaakt = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    gelezen_op = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    email_gevraagd = models.BooleanField(default=True)
    email_verzonden_op = models.DateTimeField(null=True, blank=True)
    # A worker that is sending the e-mail claims it until then (see
    # tasks.meldingen_mailen); an expired claim may be taken over.
    email_bezig_tot = models.DateTimeField(null=True, blank=True)

    objects = MeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-aangemaakt", "-id"]
        indexes = [
            models.Index(fields=["ontvanger", "gelezen_op"], name="melding_ontvanger_gelezen")
        ]

    def __str__(self):
        return self.titel
