import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Soort(models.TextChoices):
    LEERLINGEN = "leerlingen", _("leerlingen en ouders")
    KLASSEN = "klassen", _("klassen")
    PERSONEEL = "personeel", _("personeel")
    LESOPDRACHTEN = "lesopdrachten", _("lesopdrachten")
    AFWEZIGHEDEN = "afwezigheden", _("afwezigheden")


class Importopdracht(models.Model):
    """One file an administrator imports into one school: its column
    mapping, the dry run's per-row outcome, and, once confirmed, the import
    itself (in the worker). The row stays as the school's import history;
    the uploaded file is deleted when the import ends or after
    `invoer.services.BEWAARTIJD`. The id is random: its URL cannot be guessed."""

    class Status(models.TextChoices):
        KOPPELEN = "koppelen", _("kolommen koppelen")
        CONTROLE = "controle", _("proefimport loopt")
        GECONTROLEERD = "gecontroleerd", _("klaar om te bevestigen")
        BEZIG = "bezig", _("import loopt")
        KLAAR = "klaar", _("ingevoerd")
        MISLUKT = "mislukt", _("mislukt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    school = models.ForeignKey(
        "accounts.School", on_delete=models.CASCADE, related_name="importopdrachten"
    )
    door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="importopdrachten"
    )
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    # The school year whose classes the file names: the current one, or a
    # next one the rollover prepared (its new first-year classes are filled
    # before it becomes current). Empty in imports from before the choice:
    # they went into the year current when they ran.
    schooljaar = models.ForeignKey(
        "accounts.Schooljaar",
        verbose_name=_("schooljaar"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A full import lists every current student: who is missing may have left.
    volledig = models.BooleanField(_("volledige lijst"), default=False)
    bestandsnaam = models.CharField(_("bestand"), max_length=200)
    # The name in the private storage (invoer.opslag); empty once deleted.
    bestand = models.CharField(max_length=100, blank=True)
    formaat = models.CharField(max_length=4)
    kolommen = models.JSONField(default=list, blank=True)
    koppeling = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.KOPPELEN)
    totalen = models.JSONField(default=dict, blank=True)
    # The dry run's rows (outcome, key, name, changed fields or the reason
    # of an error), and the students a full import misses.
    regels = models.JSONField(default=list, blank=True)
    vertrokken = models.JSONField(default=list, blank=True)
    vertrokken_beeindigen = models.BooleanField(default=False)
    reden = models.CharField(max_length=300, blank=True)
    aangemaakt = models.DateTimeField(default=timezone.now, db_index=True)
    bevestigd_op = models.DateTimeField(null=True, blank=True)
    # A worker's claim on the confirmed import: a second delivery of the
    # task finds it taken and leaves it.
    gestart_op = models.DateTimeField(null=True, blank=True)
    klaar_op = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("importopdracht")
        verbose_name_plural = _("importopdrachten")
        ordering = ["-aangemaakt"]
        indexes = [models.Index(fields=["school", "-aangemaakt"], name="import_school_tijd")]

    def __str__(self):
        return f"{self.get_soort_display()} {self.bestandsnaam} ({self.status})"

    @property
    def loopt(self) -> bool:
        return self.status in (self.Status.CONTROLE, self.Status.BEZIG)

    @property
    def is_afgelopen(self) -> bool:
        return self.status in (self.Status.KLAAR, self.Status.MISLUKT)
