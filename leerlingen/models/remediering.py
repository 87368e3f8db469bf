"""Remediation and differentiation (remediëring en differentiatie): what a
teacher does in their subject for a class, a group of its students or one
student, why, how and for how long, and whether it reached its aim.

The class level comes first: not every need calls for a student-level
approach. A remediation always belongs to a class (the one the teacher
teaches it in); `leerling` names the one student of a student-level one,
`groep` the selected students of a group-level one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import School

from .school import Klas, Leerling, Vak


class Remediering(models.Model):
    class Niveau(models.TextChoices):
        KLAS = "klas", _("de hele klas")
        GROEP = "groep", _("een groep uit de klas")
        LEERLING = "leerling", _("één leerling")

    class Aanpak(models.TextChoices):
        REMEDIERING = "remediering", _("remediëring")
        DIFFERENTIATIE = "differentiatie", _("differentiatie")
        EXTRA_OEFENING = "extra_oefening", _("extra oefening")
        MEDELEERLINGEN = "medeleerlingen", _("ondersteuning door medeleerlingen")

    class Status(models.TextChoices):
        GEPLAND = "gepland", _("gepland")
        LOPEND = "lopend", _("lopend")
        AFGEROND = "afgerond", _("afgerond")

    class Resultaat(models.TextChoices):
        BEREIKT = "bereikt", _("doel bereikt")
        DEELS = "deels", _("doel deels bereikt")
        NIET = "niet", _("doel niet bereikt")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="remedieringen")
    klas = models.ForeignKey(
        Klas, verbose_name=_("klas"), on_delete=models.PROTECT, related_name="remedieringen"
    )
    vak = models.ForeignKey(
        Vak, verbose_name=_("vak"), on_delete=models.PROTECT, related_name="remedieringen"
    )
    niveau = models.CharField(_("voor wie"), max_length=10, choices=Niveau.choices)
    leerling = models.ForeignKey(
        Leerling,
        verbose_name=_("leerling"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remedieringen",
    )
    groep = models.ManyToManyField(
        Leerling, verbose_name=_("groep"), blank=True, related_name="remedieringen_in_groep"
    )
    titel = models.CharField(_("wat"), max_length=150)
    omschrijving = models.TextField(_("omschrijving"), blank=True, max_length=4000)
    nood = models.TextField(_("waarom (vastgestelde nood)"), max_length=4000)
    aanpak = models.CharField(_("aanpak"), max_length=20, choices=Aanpak.choices)
    begin = models.DateField(_("start"))
    einde = models.DateField(_("einde"), null=True, blank=True)
    aantal_weken = models.PositiveSmallIntegerField(_("aantal weken"), null=True, blank=True)
    aantal_sessies = models.PositiveSmallIntegerField(_("aantal sessies"), null=True, blank=True)
    moment = models.CharField(_("moment"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.GEPLAND
    )
    resultaat = models.CharField(
        _("resultaat"), max_length=10, choices=Resultaat.choices, blank=True
    )
    resultaat_notitie = models.TextField(
        _("toelichting bij het resultaat"), blank=True, max_length=4000
    )
    resultaat_datum = models.DateField(_("geëvalueerd op"), null=True, blank=True)
    # The guiding class council that selected it, if one did. A lazy
    # reference: the student record does not import the meetings app.
    overleg = models.ForeignKey(
        "klassenraad.Overleg",
        verbose_name=_("beslist op"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remedieringen",
    )
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remediëring")
        verbose_name_plural = _("remediëring en differentiatie")
        ordering = ["-begin", "-pk"]
        indexes = [models.Index(fields=["klas", "status"], name="remediering_klas_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(niveau="leerling", leerling__isnull=False)
                | (~Q(niveau="leerling") & Q(leerling__isnull=True)),
                name="remediering_leerling_enkel_op_leerlingniveau",
            ),
            models.CheckConstraint(
                condition=Q(einde__isnull=False)
                | Q(aantal_weken__isnull=False)
                | Q(aantal_sessies__isnull=False),
                name="remediering_heeft_duur",
            ),
            models.CheckConstraint(
                condition=Q(einde__isnull=True) | Q(einde__gte=models.F("begin")),
                name="remediering_einde_na_begin",
            ),
            models.CheckConstraint(
                condition=Q(aantal_weken__isnull=True) | Q(aantal_weken__gte=1),
                name="remediering_weken_positief",
            ),
            models.CheckConstraint(
                condition=Q(aantal_sessies__isnull=True) | Q(aantal_sessies__gte=1),
                name="remediering_sessies_positief",
            ),
            # Closed exactly when its result is recorded.
            models.CheckConstraint(
                condition=Q(status="afgerond", resultaat_datum__isnull=False) & ~Q(resultaat="")
                | (~Q(status="afgerond") & Q(resultaat="") & Q(resultaat_datum__isnull=True)),
                name="remediering_afgerond_heeft_resultaat",
            ),
        ]

    def __str__(self):
        return self.titel

    @property
    def is_klasniveau(self) -> bool:
        return self.niveau != self.Niveau.LEERLING
