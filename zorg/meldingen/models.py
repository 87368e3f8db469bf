from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .soorten import Modus


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
    # The registered kind (zorg.meldingen.soorten); empty for a kind-less one.
    soort = models.CharField(_("soort"), max_length=40, blank=True)
    # The student whose name the title carries (a reminder of their measure,
    # action item or CLB goal), so the list that shows it records the read in
    # the audit trail. Empty when the title names nobody (a red flag's says
    # only the class). A string reference: zorg/ imports no app.
    leerling = models.ForeignKey(
        "leerlingen.Leerling", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # Waits for its recipient's daily summary e-mail, and then is part of it.
    voor_samenvatting = models.BooleanField(default=False)
    samenvatting = models.ForeignKey(
        "Samenvatting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meldingen",
    )

    objects = MeldingQuerySet.as_manager()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-aangemaakt", "-id"]
        indexes = [
            models.Index(fields=["ontvanger", "gelezen_op"], name="melding_ontvanger_gelezen"),
            # The summaries still to send, and the e-mails still to send (the
            # sweep that catches what the queue never delivered).
            models.Index(
                fields=["ontvanger"],
                condition=models.Q(voor_samenvatting=True, samenvatting__isnull=True),
                name="melding_wacht_op_samenvatting",
            ),
            models.Index(
                fields=["aangemaakt"],
                condition=models.Q(email_gevraagd=True, email_verzonden_op__isnull=True),
                name="melding_email_te_versturen",
            ),
        ]

    def __str__(self):
        return self.titel


class Samenvatting(models.Model):
    """One person's summary e-mail of one day: at most one per person per
    day, whatever runs the job and however often. It counts the
    notifications attached to it per kind; it never names a student."""

    ontvanger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="samenvattingen"
    )
    datum = models.DateField(_("datum"))
    aangemaakt = models.DateTimeField(default=timezone.now)
    email_verzonden_op = models.DateTimeField(null=True, blank=True)
    email_bezig_tot = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("samenvatting")
        verbose_name_plural = _("samenvattingen")
        constraints = [
            models.UniqueConstraint(fields=["ontvanger", "datum"], name="een_samenvatting_per_dag")
        ]

    def __str__(self):
        return f"{self.ontvanger} {self.datum}"


class Voorkeur(models.Model):
    """How one person wants to hear of one kind of notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meldingsvoorkeuren"
    )
    soort = models.CharField(_("soort"), max_length=40)
    modus = models.CharField(_("hoe"), max_length=20, choices=Modus.choices)

    class Meta:
        verbose_name = _("meldingsvoorkeur")
        verbose_name_plural = _("meldingsvoorkeuren")
        constraints = [
            models.UniqueConstraint(fields=["user", "soort"], name="een_voorkeur_per_soort")
        ]

    def __str__(self):
        return f"{self.user} {self.soort}: {self.modus}"
