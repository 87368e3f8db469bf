"""The transfer to the next school (issue 18).

`Overdracht`: the sending school's side. The care coordinator prepares a
summary (overdracht.inhoud), leaves items out, informs the parents (the
summary is frozen then: what they were told is what leaves), records their
objection or their consent, and releases it (a PDF, a signed file) or
withdraws it.

`OntvangenOverdracht`: the receiving school's side, an imported signed file
attached to one of its students as the start of the new record.

The CLB's file is not part of either: it follows through the CLBs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Leerling


class Overdracht(models.Model):
    class Status(models.TextChoices):
        CONCEPT = "concept", _("concept")
        GEINFORMEERD = "geinformeerd", _("ouders geïnformeerd")
        BEZWAAR = "bezwaar", _("bezwaar van de ouders")
        GEEN_BEZWAAR = "geen_bezwaar", _("geen bezwaar van de ouders")
        VRIJGEGEVEN = "vrijgegeven", _("vrijgegeven")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    # Names the transfer in the signed file: the receiving installation
    # refuses a second import of the same one.
    kenmerk = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="overdrachten")
    school_naam = models.CharField(_("naam van de nieuwe school"), max_length=200)
    school_instellingsnummer = models.CharField(
        _("instellingsnummer van de nieuwe school"), max_length=20, blank=True
    )
    school_adres = models.TextField(_("adres van de nieuwe school"), blank=True, max_length=500)
    voorbereid_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    # The `sleutel`s of the summary's items the coordinator left out.
    weggelaten = models.JSONField(default=list, blank=True)
    # The summary as the parents were told it (overdracht.inhoud), frozen
    # when they were informed; what is released.
    inhoud = models.JSONField(null=True, blank=True, editable=False)
    geinformeerd_op = models.DateField(_("ouders geïnformeerd op"), null=True, blank=True)
    bezwaar_op = models.DateField(_("bezwaar ontvangen op"), null=True, blank=True)
    bezwaar_opmerking = models.TextField(_("opmerking van de ouders"), blank=True, max_length=4000)
    # The summary the parents objected to: informing again needs another one.
    bezwaar_inhoud = models.JSONField(null=True, blank=True, editable=False)
    geen_bezwaar_op = models.DateField(_("geen bezwaar op"), null=True, blank=True)
    vrijgegeven_op = models.DateField(_("vrijgegeven op"), null=True, blank=True)
    vrijgegeven_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The signing key's fingerprint at release, as printed in the file.
    vingerafdruk = models.CharField(max_length=100, blank=True)
    ingetrokken_op = models.DateField(_("ingetrokken op"), null=True, blank=True)
    versie = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-aangemaakt", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="concept") | Q(status="ingetrokken") | Q(inhoud__isnull=False),
                name="overdracht_geinformeerd_heeft_inhoud",
            ),
            models.CheckConstraint(
                condition=~Q(status="vrijgegeven") | Q(vrijgegeven_op__isnull=False),
                name="overdracht_vrijgegeven_heeft_datum",
            ),
        ]

    def __str__(self):
        return f"{self.leerling} → {self.school_naam}"

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.VRIJGEGEVEN, self.Status.INGETROKKEN)


class OntvangenOverdracht(models.Model):
    """A transfer file imported at the receiving school, attached to one of
    its students. `inhoud` is the file's signed content as it arrived."""

    kenmerk = models.UUIDField(unique=True, editable=False)
    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="ontvangen_overdrachten"
    )
    afzender_naam = models.CharField(_("vorige school"), max_length=200)
    afzender_instellingsnummer = models.CharField(max_length=20, blank=True)
    vingerafdruk = models.CharField(_("vingerafdruk van de afzender"), max_length=100)
    inhoud = models.JSONField(editable=False)
    ingevoerd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ingevoerd = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ontvangen overdracht")
        verbose_name_plural = _("ontvangen overdrachten")
        ordering = ["-ingevoerd", "-pk"]

    def __str__(self):
        return f"{self.afzender_naam} → {self.leerling}"
