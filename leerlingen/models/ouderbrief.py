"""The parent letter: what the parents were told on a date, and how they
responded. The letter keeps a frozen copy of what it said (its `inhoud`), so
a later change of a measure or an agreement never rewrites what the parents
received."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import Schooljaar

from .school import Leerling


class Ouderbrief(models.Model):
    class Reactie(models.TextChoices):
        GEEN = "geen", _("nog geen reactie")
        AKKOORD = "akkoord", _("akkoord")
        AKKOORD_OPMERKINGEN = "akkoord_opmerkingen", _("akkoord met opmerkingen")
        NIET_AKKOORD = "niet_akkoord", _("niet akkoord")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="ouderbrieven")
    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.PROTECT, related_name="+")
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)
    geinformeerd_op = models.DateField(_("ouders geïnformeerd op"))
    # leerlingen.ouderinformatie.Ouderinformatie.als_json() on that day.
    inhoud = models.JSONField(_("inhoud van de brief"), editable=False)
    reactie = models.CharField(
        _("reactie van de ouders"), max_length=20, choices=Reactie.choices, default=Reactie.GEEN
    )
    opmerking = models.TextField(_("opmerking van de ouders"), blank=True, max_length=4000)
    reactie_op = models.DateField(_("reactie ontvangen op"), null=True, blank=True)
    reactie_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    versie = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("ouderbrief")
        verbose_name_plural = _("ouderbrieven")
        ordering = ["-geinformeerd_op", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reactie="geen") | Q(reactie_op__isnull=False),
                name="ouderbrief_reactie_heeft_datum",
            )
        ]

    def __str__(self):
        return f"{self.leerling} – {self.geinformeerd_op}"

    @property
    def is_akkoord(self) -> bool:
        return self.reactie in (self.Reactie.AKKOORD, self.Reactie.AKKOORD_OPMERKINGEN)
