"""The CLB's part of a student's care: the handelingsgericht diagnostisch
(HGD) trajectory that follows an accepted referral, and the written
consultations the CLB gives in phase 1.

Two layers. Every entry of a trajectory is either shared with the school
(the question for help, the perspective, goals, needs, advice, agreements:
the school needs them to act) or the CLB's own (multidisciplinary notes,
investigations, information from third parties). The CLB decides per entry.
CLB-only content lives only in these tables and is read only through
`clb.policies`; it is never copied into the school's tables (the timeline,
notifications, the audit trail's descriptions).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerlingen.models import Aanmelding, Leerling
from zorg.accounts.models import CLB


class Laag(models.TextChoices):
    GEDEELD = "gedeeld", _("gedeeld met de school")
    CLB = "clb", _("enkel CLB")


class Trajectstap(models.TextChoices):
    INTAKE = "intake", _("intake")
    STRATEGIE = "strategie", _("strategie")
    ONDERZOEK = "onderzoek", _("onderzoek")
    INDICERING = "indicering", _("indicering")
    ADVIES = "advies", _("advies")
    OPVOLGING = "opvolging", _("opvolging")


class Uitkomst(models.TextChoices):
    ADVIES_OP_SCHOOL = "advies_op_school", _("advies uitgevoerd op school")
    EXTERNE_HULP = "externe_hulp", _("doorverwijzing naar externe hulp")
    VERSLAG_IAC = "verslag_iac", _("verslag voor een individueel aangepast curriculum")
    VERSLAG_SCHOOLVERANDERING = (
        "verslag_schoolverandering",
        _("verslag voor een overstap naar een andere school"),
    )


class HGDTraject(models.Model):
    class Status(models.TextChoices):
        LOPEND = "lopend", _("lopend")
        AFGESLOTEN = "afgesloten", _("afgesloten")

    aanmelding = models.OneToOneField(
        Aanmelding, on_delete=models.PROTECT, related_name="hgd_traject"
    )
    leerling = models.ForeignKey(Leerling, on_delete=models.PROTECT, related_name="hgd_trajecten")
    clb = models.ForeignKey(CLB, on_delete=models.PROTECT, related_name="trajecten")
    begeleider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trajectbegeleider"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stap = models.CharField(
        _("stap"), max_length=20, choices=Trajectstap.choices, default=Trajectstap.INTAKE
    )
    # Shared with the school: what the trajectory is about and aims at.
    hulpvraag = models.TextField(_("hulpvraag"), max_length=4000)
    perspectief = models.TextField(_("perspectief op lange termijn"), blank=True, max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.LOPEND
    )
    uitkomst = models.CharField(_("uitkomst"), max_length=30, choices=Uitkomst.choices, blank=True)
    uitkomst_toelichting = models.TextField(_("toelichting bij de uitkomst"), blank=True)
    geopend_op = models.DateField(_("geopend op"))
    afgesloten_op = models.DateField(_("afgesloten op"), null=True, blank=True)
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("HGD-traject")
        verbose_name_plural = _("HGD-trajecten")
        ordering = ["-geopend_op", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="lopend") | (Q(afgesloten_op__isnull=False) & ~Q(uitkomst="")),
                name="afgesloten_traject_heeft_uitkomst",
            )
        ]

    def __str__(self):
        return f"{self.leerling} – {self.get_stap_display()}"

    def stappen(self) -> list[dict]:
        """The stages in order for a progress list: the current one marked
        while the trajectory runs, every one passed once it is closed."""
        volgorde = list(Trajectstap)
        huidig = volgorde.index(Trajectstap(self.stap))
        lopend = self.status == self.Status.LOPEND
        return [
            {
                "label": stap.label,
                "nummer": i + 1,
                "huidig": i == huidig and lopend,
                "voorbij": i < huidig or not lopend,
            }
            for i, stap in enumerate(volgorde)
        ]


class Doeltermijn(models.TextChoices):
    MIDDELLANG = "middellang", _("middellange termijn")
    KORT = "kort", _("korte termijn")


class Doel(models.Model):
    """A medium- or short-term goal of the trajectory, reviewed on a date."""

    class Status(models.TextChoices):
        LOPEND = "lopend", _("lopend")
        BEREIKT = "bereikt", _("bereikt")
        BIJGESTUURD = "bijgestuurd", _("bijgestuurd")
        NIET_BEREIKT = "niet_bereikt", _("niet bereikt")

    traject = models.ForeignKey(HGDTraject, on_delete=models.CASCADE, related_name="doelen")
    termijn = models.CharField(_("termijn"), max_length=20, choices=Doeltermijn.choices)
    omschrijving = models.TextField(_("doel"), max_length=2000)
    evaluatiedatum = models.DateField(_("evaluatiedatum"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.LOPEND
    )
    laag = models.CharField(
        _("zichtbaar voor"), max_length=10, choices=Laag.choices, default=Laag.GEDEELD
    )
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["evaluatiedatum", "pk"]
        indexes = [models.Index(fields=["laag", "status", "evaluatiedatum"], name="doel_evaluatie")]

    def __str__(self):
        return self.omschrijving[:60]


class Behoefte(models.Model):
    """An educational, upbringing or support need, of the student or of the
    context (teachers, parents, school)."""

    class Soort(models.TextChoices):
        ONDERWIJS = "onderwijs", _("onderwijsbehoefte")
        OPVOEDING = "opvoeding", _("opvoedingsbehoefte")
        ONDERSTEUNING = "ondersteuning", _("ondersteuningsbehoefte")

    class Van(models.TextChoices):
        LEERLING = "leerling", _("van de leerling")
        CONTEXT = "context", _("van de context")

    traject = models.ForeignKey(HGDTraject, on_delete=models.CASCADE, related_name="behoeften")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    van = models.CharField(_("van wie"), max_length=20, choices=Van.choices)
    omschrijving = models.TextField(_("behoefte"), max_length=2000)
    laag = models.CharField(
        _("zichtbaar voor"), max_length=10, choices=Laag.choices, default=Laag.GEDEELD
    )
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("behoefte")
        verbose_name_plural = _("behoeften")
        ordering = ["soort", "van", "pk"]

    def __str__(self):
        return self.omschrijving[:60]


class Trajectnotitie(models.Model):
    """A dated entry of the trajectory: the advice, an agreement, a
    consultation held, a note, an investigation, information from a third
    party. Notes, investigations and third-party information default to the
    CLB-only layer; advice and agreements to the shared one."""

    class Soort(models.TextChoices):
        ADVIES = "advies", _("handelingsgericht advies")
        AFSPRAAK = "afspraak", _("afspraak (plannen, uitvoeren, evalueren)")
        OVERLEG = "overleg", _("overleg")
        NOTITIE = "notitie", _("notitie")
        ONDERZOEK = "onderzoek", _("onderzoek")
        DERDEN = "derden", _("informatie van derden")

    traject = models.ForeignKey(HGDTraject, on_delete=models.CASCADE, related_name="notities")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    datum = models.DateField(_("datum"))
    tekst = models.TextField(_("tekst"), max_length=8000)
    deelnemers = models.CharField(_("deelnemers"), max_length=500, blank=True)
    laag = models.CharField(_("zichtbaar voor"), max_length=10, choices=Laag.choices)
    # The CLB's choice to tell this entry to the parents (the parent letter,
    # the portal). Only an entry shared with the school can be: the CLB's
    # own layer never leaves the CLB.
    delen_met_ouders = models.BooleanField(_("delen met de ouders"), default=False)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("trajectnotitie")
        verbose_name_plural = _("trajectnotities")
        ordering = ["-datum", "-aangemaakt"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delen_met_ouders=False) | Q(laag="gedeeld"),
                name="enkel_gedeelde_notitie_naar_ouders",
            )
        ]

    def __str__(self):
        return f"{self.get_soort_display()} – {self.datum}"


GEDEELD_STANDAARD = frozenset({Trajectnotitie.Soort.ADVIES, Trajectnotitie.Soort.AFSPRAAK})


class Betrokkene(models.Model):
    """Who takes part in the trajectory: the student, the parents, the
    school, external partners (a leersteuncentrum, JAC, CGG, ...)."""

    class Soort(models.TextChoices):
        LEERLING = "leerling", _("leerling")
        OUDERS = "ouders", _("ouders")
        SCHOOL = "school", _("school")
        LEERSTEUNCENTRUM = "leersteuncentrum", _("leersteuncentrum")
        JAC = "jac", _("JAC")
        CGG = "cgg", _("CGG")
        EXTERN = "extern", _("andere externe partner")

    traject = models.ForeignKey(HGDTraject, on_delete=models.CASCADE, related_name="betrokkenen")
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    naam = models.CharField(_("naam"), max_length=200)
    rol = models.CharField(_("rol of organisatie"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
        ordering = ["soort", "naam"]

    def __str__(self):
        return self.naam


class Consultatie(models.Model):
    """A written consultation by the CLB on a student in phase 1, without a
    trajectory (the CLB's consultative role). Shared with the school."""

    leerling = models.ForeignKey(
        Leerling, on_delete=models.PROTECT, related_name="clb_consultaties"
    )
    clb = models.ForeignKey(CLB, on_delete=models.PROTECT, related_name="consultaties")
    datum = models.DateField(_("datum"))
    vraag = models.TextField(_("vraag van de school"), max_length=2000, blank=True)
    advies = models.TextField(_("advies"), max_length=8000)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("CLB-consultatie")
        verbose_name_plural = _("CLB-consultaties")
        ordering = ["-datum", "-aangemaakt"]

    def __str__(self):
        return f"{self.leerling} – {self.datum}"


class Ouderinzage(models.Model):
    """Whether the parents see what the CLB shares with them, as the student
    decided. Under 12 the parents see it by law, whatever is recorded; from
    12 the student decides, and the CLB records the decision and its date.
    Without a record the parents see it (nothing was refused)."""

    leerling = models.OneToOneField(Leerling, on_delete=models.CASCADE, related_name="+")
    ouders_mogen_clb_zien = models.BooleanField(
        _("de ouders mogen zien wat het CLB met hen deelt"), default=True
    )
    beslist_op = models.DateField(_("de leerling besliste op"))
    vastgelegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    versie = models.PositiveIntegerField(default=1)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("beslissing van de leerling over de ouders")
        verbose_name_plural = _("beslissingen van leerlingen over de ouders")

    def __str__(self):
        return f"{self.leerling} – {self.beslist_op}"
