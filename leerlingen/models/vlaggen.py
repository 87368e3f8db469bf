"""Behaviour flags (leergericht gedrag): classroom incidents coded in a
colour, the students involved, their follow-up, and the patterns (signals)
they add up to."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import School

from .school import Klas, Leerling, Vak


class VlagKleur(models.TextChoices):
    GROEN = "groen", _("groen")
    GEEL = "geel", _("geel")
    ORANJE = "oranje", _("oranje")
    ROOD = "rood", _("rood")


class Vlag(models.Model):
    """One classroom incident coded in a colour, with one or more students.
    Students share the description; each student's timeline shows the
    incident from that student's side."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_OPVOLGING = "in_opvolging", _("in opvolging")
        AFGESLOTEN = "afgesloten", _("afgesloten")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="vlaggen")
    klas = models.ForeignKey(
        Klas, on_delete=models.PROTECT, null=True, blank=True, related_name="vlaggen"
    )
    kleur = models.CharField(_("kleur"), max_length=10, choices=VlagKleur.choices)
    moment = models.DateTimeField(_("moment"))
    vak = models.ForeignKey(
        Vak,
        verbose_name=_("vak"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    omschrijving = models.TextField(_("wat gebeurde er?"), blank=True, max_length=2000)
    reeds_gedaan = models.TextField(_("wat deed je al?"), blank=True, max_length=2000)
    gemeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    # The acknowledgement loop of a red flag.
    erkend_op = models.DateTimeField(_("erkend op"), null=True, blank=True)
    erkend_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    opgenomen_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgenomen door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    geescaleerd_op = models.DateTimeField(_("geëscaleerd op"), null=True, blank=True)
    # One submit, one incident: a double tap sends the same key twice.
    sleutel = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vlag")
        verbose_name_plural = _("vlaggen")
        ordering = ["-moment", "-pk"]
        indexes = [
            models.Index(fields=["school", "moment"], name="vlag_school_moment"),
            models.Index(fields=["school", "kleur", "moment"], name="vlag_school_kleur_moment"),
            # The open red flags of the start page and the care team's lists,
            # the longest waiting first: read in order, a few rows, whatever
            # the number of flags (issue 19).
            models.Index(
                fields=["school", "aangemaakt", "id"],
                name="vlag_rood_open",
                condition=Q(kleur="rood") & ~Q(status="afgesloten"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kleur="rood") | Q(erkend_op__isnull=True, geescaleerd_op__isnull=True),
                name="enkel_rood_wordt_erkend",
            ),
        ]

    def __str__(self):
        return f"{self.get_kleur_display()} – {self.moment:%d/%m/%Y %H:%M}"


class VlagBetrokkene(models.Model):
    class Rol(models.TextChoices):
        BETROKKEN = "betrokken", _("betrokken")
        GETROFFEN = "getroffen", _("getroffen")
        GETUIGE = "getuige", _("getuige")

    vlag = models.ForeignKey(Vlag, on_delete=models.CASCADE, related_name="betrokkenen")
    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="vlagbetrokkenheden"
    )
    rol = models.CharField(_("rol"), max_length=10, choices=Rol.choices, default=Rol.BETROKKEN)

    class Meta:
        verbose_name = _("betrokken leerling")
        verbose_name_plural = _("betrokken leerlingen")
        constraints = [
            models.UniqueConstraint(fields=["vlag", "leerling"], name="leerling_eenmaal_per_vlag")
        ]
        indexes = [models.Index(fields=["leerling", "vlag"], name="vlagbetrokkene_leerling")]

    def __str__(self):
        return f"{self.leerling} ({self.get_rol_display()})"


class VlagOpvolging(models.Model):
    class Soort(models.TextChoices):
        HERSTELGESPREK = "herstelgesprek", _("herstelgesprek")
        CONTACT_OUDERS = "contact_ouders", _("contact met de ouders")
        AFSPRAAK_LEERLING = "afspraak_leerling", _("afspraak met de leerling")
        KLASSENRAAD = "klassenraad", _("doorverwezen naar de klassenraad")
        CEL = "cel", _("doorverwezen naar de cel leerlingbegeleiding")
        # A separate, rarer track.
        TUCHT = "tucht", _("tuchtprocedure")

    vlag = models.ForeignKey(Vlag, on_delete=models.CASCADE, related_name="opvolgingen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    datum = models.DateField(_("datum"))
    notities = models.TextField(_("notities"), blank=True, max_length=4000)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("opvolging")
        verbose_name_plural = _("opvolgingen")
        ordering = ["datum", "aangemaakt"]

    def __str__(self):
        return f"{self.get_soort_display()} – {self.datum}"


class Signaal(models.Model):
    """A pattern worth the team's attention, e.g. several yellow or orange
    flags in a few weeks: shown to the class teacher and the care team, and
    proposed for the next class council."""

    class Soort(models.TextChoices):
        PATROON = "patroon", _("patroon van gele en oranje vlaggen")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="signalen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    van = models.DateField(_("van"))
    tot = models.DateField(_("tot"))
    aantal = models.PositiveSmallIntegerField(_("aantal vlaggen"))
    aangemaakt = models.DateTimeField(default=timezone.now)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        ordering = ["-aangemaakt"]
        constraints = [
            models.UniqueConstraint(
                fields=["leerling", "soort"],
                condition=Q(afgehandeld_op__isnull=True),
                name="een_open_signaal_per_soort",
            )
        ]

    def __str__(self):
        return f"{self.leerling}: {self.aantal} ({self.van} – {self.tot})"
