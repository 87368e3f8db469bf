import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PdfOpdracht(models.Model):
    """One request for one PDF by one person: its progress while the worker
    makes it, then the file, which only that person may download and which
    is deleted a day later. The id is random: a job's URL cannot be guessed,
    and it is only ever its requester's all the same."""

    class Status(models.TextChoices):
        WACHTEND = "wachtend", _("in de wachtrij")
        BEZIG = "bezig", _("wordt gemaakt")
        KLAAR = "klaar", _("klaar")
        MISLUKT = "mislukt", _("mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    soort = models.CharField(_("soort"), max_length=40)
    object_id = models.PositiveIntegerField()
    opties = models.JSONField(default=dict, blank=True)
    aangevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pdf_opdrachten"
    )
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The reader's language: the worker makes the document in it.
    taal = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WACHTEND)
    # What the worker is doing now, for the progress on screen.
    stap = models.CharField(max_length=200, blank=True)
    paginas = models.PositiveIntegerField(null=True, blank=True)
    reden = models.CharField(max_length=300, blank=True)
    titel = models.CharField(max_length=200, blank=True)
    # The students the document names: each download is audited for each.
    leerling_ids = models.JSONField(default=list, blank=True)
    # The file's name in the private storage (zorg.pdf.opslag), not a URL.
    bestand = models.CharField(max_length=100, blank=True)
    aangemaakt = models.DateTimeField(default=timezone.now, db_index=True)
    begonnen_op = models.DateTimeField(null=True, blank=True)
    # A worker's claim: another attempt leaves the job alone until then.
    bezig_tot = models.DateTimeField(null=True, blank=True)
    klaar_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PDF-opdracht")
        verbose_name_plural = _("PDF-opdrachten")
        indexes = [
            models.Index(
                fields=["aangevraagd_door", "soort", "object_id", "status"],
                name="pdf_opdracht_zelfde",
            )
        ]

    def __str__(self):
        return f"{self.soort} {self.object_id} ({self.status})"

    @property
    def is_afgelopen(self) -> bool:
        return self.status in (self.Status.KLAAR, self.Status.MISLUKT)
