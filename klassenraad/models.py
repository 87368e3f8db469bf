"""Meetings where care is decided (overleg): the portrait class council at
the start of the year, the guiding class council during the year, the weekly
care cell, multidisciplinary consultations and parent meetings.

A meeting has an agenda of students (Agendapunt). Per student it records
notes and typed decisions (Beslissing); a decision does what it says through
the services of the care record (a measure, a phase change, a referral) and
may carry an action item (Actiepunt) with an owner and a due date. Teachers
ask for a student to be discussed (Bespreekvraag). Closed minutes are
read-only; corrections are amendments (Aanvulling).

Concurrency: the meeting and each agenda item carry a version; an edit names
the version it started from and only lands when that is still the saved one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerlingen.models import (
    Aanmelding,
    Klas,
    Leerling,
    Maatregel,
    Zichtbaarheid,
    ZorgfaseWijziging,
)
from zorg.accounts.models import School


class OverlegSoort(models.TextChoices):
    PORTRET = "portret", _("portretklassenraad")
    BEGELEIDEND = "begeleidend", _("begeleidende klassenraad")
    CEL = "cel", _("cel leerlingbegeleiding")
    MDO = "mdo", _("multidisciplinair overleg")
    OUDERS = "ouders", _("oudercontact")


# Class councils belong to one class and its class team.
KLASSENRADEN = frozenset({OverlegSoort.PORTRET, OverlegSoort.BEGELEIDEND})


class OverlegQuerySet(models.QuerySet):
    def klassenraden(self):
        return self.filter(soort__in=KLASSENRADEN)

    def cellen(self):
        return self.filter(soort=OverlegSoort.CEL)


class Overleg(models.Model):
    class Status(models.TextChoices):
        GEPLAND = "gepland", _("gepland")
        BEZIG = "bezig", _("bezig")
        AFGESLOTEN = "afgesloten", _("afgesloten")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="overleggen")
    klas = models.ForeignKey(
        Klas,
        verbose_name=_("klas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="overleggen",
    )
    soort = models.CharField(_("soort overleg"), max_length=20, choices=OverlegSoort.choices)
    moment = models.DateTimeField(_("datum en uur"))
    voorzitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorzitter"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deelnemers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deelnemers"),
        blank=True,
        related_name="overleggen",
    )
    externen = models.CharField(
        _("externe deelnemers"),
        max_length=500,
        blank=True,
        help_text=_("Namen en rol, bv. ouders of een begeleider van het ondersteuningsnetwerk."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GEPLAND
    )
    # General minutes, beside the notes per student.
    notulen = models.TextField(_("algemene notulen"), blank=True, max_length=20000)
    afgesloten_op = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    afgesloten_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(auto_now=True)

    objects = OverlegQuerySet.as_manager()

    class Meta:
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")
        ordering = ["-moment", "-pk"]
        indexes = [models.Index(fields=["school", "soort", "moment"], name="overleg_school_soort")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(soort__in=sorted(KLASSENRADEN)) | Q(klas__isnull=False),
                name="klassenraad_heeft_klas",
            ),
            models.CheckConstraint(
                condition=Q(status="afgesloten") | Q(afgesloten_op__isnull=True),
                name="enkel_afgesloten_heeft_afsluitdatum",
            ),
        ]

    def __str__(self):
        naam = self.get_soort_display()
        if self.klas_id:
            naam = f"{naam} {self.klas}"
        return f"{naam} – {timezone.localtime(self.moment):%d/%m/%Y}"

    @property
    def is_klassenraad(self) -> bool:
        return self.soort in KLASSENRADEN

    @property
    def is_afgesloten(self) -> bool:
        return self.status == self.Status.AFGESLOTEN

    @property
    def zichtbaarheid(self) -> str:
        """Who of the school reads what this meeting records about a
        student: a class council's notes are the class team's; everything
        else stays with the care team."""
        return Zichtbaarheid.KLASTEAM if self.is_klassenraad else Zichtbaarheid.ZORGTEAM


class Agendareden(models.TextChoices):
    """Why a student is on an agenda. The generated care-cell agenda gives
    every proposal one or more of these, each with a short explanation."""

    RODE_VLAG = "rode_vlag", _("rode vlag")
    SIGNAAL = "signaal", _("patroon van vlaggen")
    BESPREEKVRAAG = "bespreekvraag", _("vraag om bespreking")
    EVALUATIE = "evaluatie", _("evaluatie van een maatregel")
    DOEL = "doel", _("doel van het HGD-traject te evalueren")
    ACTIEPUNT = "actiepunt", _("actiepunt (bijna) verlopen")
    AANMELDING = "aanmelding", _("aanmelding bij het CLB wacht")
    OPVOLGING = "opvolging", _("opvolging van het vorige overleg")
    SODA = "soda", _("lage SODA-score")
    AFWEZIGHEID = "afwezigheid", _("problematische afwezigheden")
    KLAS = "klas", _("leerling van de klas")
    TOEGEVOEGD = "toegevoegd", _("toegevoegd")


class Agendapunt(models.Model):
    """One student on a meeting's agenda, with the team's notes."""

    overleg = models.ForeignKey(Overleg, on_delete=models.CASCADE, related_name="agendapunten")
    leerling = models.ForeignKey(Leerling, on_delete=models.PROTECT, related_name="agendapunten")
    volgorde = models.PositiveIntegerField(default=0)
    # [{"soort": Agendareden value, "tekst": "..."}]: why the student is here.
    redenen = models.JSONField(default=list, blank=True)
    notities = models.TextField(_("notities"), blank=True, max_length=8000)
    besproken = models.BooleanField(_("besproken"), default=False)
    toegevoegd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        ordering = ["volgorde", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["overleg", "leerling"], name="leerling_eenmaal_per_overleg"
            )
        ]
        indexes = [models.Index(fields=["leerling", "overleg"], name="agendapunt_leerling")]

    def __str__(self):
        return f"{self.leerling} – {self.overleg}"


class Bespreekvraag(models.Model):
    """A teacher's (or the care team's) request to discuss a student at the
    care cell or at the class's guiding class council, with a reason. It is
    open until a meeting takes it onto its agenda."""

    class Waar(models.TextChoices):
        CEL = "cel", _("cel leerlingbegeleiding")
        KLASSENRAAD = "klassenraad", _("begeleidende klassenraad")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        INGEPLAND = "ingepland", _("op de agenda")
        INGETROKKEN = "ingetrokken", _("ingetrokken")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="bespreekvragen")
    waar = models.CharField(_("bespreken op"), max_length=20, choices=Waar.choices)
    reden = models.TextField(_("waarom?"), max_length=2000)
    gevraagd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    agendapunt = models.ForeignKey(
        Agendapunt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bespreekvragen",
    )
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vraag om bespreking")
        verbose_name_plural = _("vragen om bespreking")
        ordering = ["aangemaakt", "pk"]
        indexes = [models.Index(fields=["status", "waar"], name="bespreekvraag_open")]

    def __str__(self):
        return f"{self.leerling} – {self.get_waar_display()}"


class BeslissingSoort(models.TextChoices):
    MAATREGEL_STARTEN = "maatregel_starten", _("maatregel starten")
    MAATREGEL_AANPASSEN = "maatregel_aanpassen", _("maatregel aanpassen")
    MAATREGEL_STOPPEN = "maatregel_stoppen", _("maatregel stopzetten")
    ZORGFASE = "zorgfase", _("zorgfase wijzigen")
    AANMELDING_CLB = "aanmelding_clb", _("aanmelden bij het CLB")
    ACTIEPUNT = "actiepunt", _("actiepunt")
    OUDERGESPREK = "oudergesprek", _("oudergesprek afspreken")
    AFSPRAAK = "afspraak", _("andere afspraak")
    # Recorded by the guiding class council's remediation selection
    # (klassenraad.services.remediering), never through the decision form.
    REMEDIERING = "remediering", _("remediëring en differentiatie")


# The kinds a user records one by one through the decision form.
HANDMATIGE_SOORTEN = [(w, label) for w, label in BeslissingSoort.choices if w != "remediering"]


class Beslissing(models.Model):
    """A typed decision about a student at a meeting. Saving it does what it
    says in the same transaction; the links name what it did.

    A guiding class council's remediation selection is one decision per
    student concerned (on their agenda item) and one for the whole class
    (no agenda item, only `overleg`); both carry `overleg`, so selecting
    again finds and updates them."""

    agendapunt = models.ForeignKey(
        Agendapunt, on_delete=models.PROTECT, null=True, blank=True, related_name="beslissingen"
    )
    overleg = models.ForeignKey(
        Overleg, on_delete=models.PROTECT, null=True, blank=True, related_name="beslissingen"
    )
    soort = models.CharField(_("soort beslissing"), max_length=30, choices=BeslissingSoort.choices)
    tekst = models.TextField(_("beslissing"), max_length=4000)
    maatregel = models.ForeignKey(
        Maatregel, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    zorgfase_wijziging = models.ForeignKey(
        ZorgfaseWijziging, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    aanmelding = models.ForeignKey(
        Aanmelding, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("beslissing")
        verbose_name_plural = _("beslissingen")
        ordering = ["aangemaakt", "pk"]
        constraints = [
            # About one student, or (the remediation selection) about the class.
            models.CheckConstraint(
                condition=Q(agendapunt__isnull=False)
                | Q(soort="remediering", overleg__isnull=False),
                name="beslissing_over_leerling_of_klas",
            ),
            models.UniqueConstraint(
                fields=["overleg", "agendapunt"],
                condition=Q(soort="remediering", agendapunt__isnull=False),
                name="remediering_eenmaal_per_leerling",
            ),
            models.UniqueConstraint(
                fields=["overleg"],
                condition=Q(soort="remediering", agendapunt__isnull=True),
                name="remediering_eenmaal_per_klas",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()}: {self.tekst[:50]}"


class TaakQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Taak.Status.OPEN)

    def achterstallig(self, op=None):
        """Open items whose due date has passed (the seam for reminders by
        the background jobs)."""
        op = op or timezone.localdate()
        return self.open().filter(vervaldatum__lt=op)


class Taak(models.Model):
    """Who does what by when, and how it ended: the lifecycle an action item
    of a meeting and an action of the care-policy reflection (zorgbeleid)
    share. Completing or cancelling is version-checked
    (klassenraad.services.actiepunten.afhandeling_controleren)."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        AFGEROND = "afgerond", _("afgerond")
        GEANNULEERD = "geannuleerd", _("geannuleerd")

    omschrijving = models.CharField(_("wat moet er gebeuren?"), max_length=500)
    vervaldatum = models.DateField(_("tegen wanneer?"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resultaat = models.TextField(_("resultaat"), blank=True, max_length=4000)
    afgehandeld_op = models.DateTimeField(null=True, blank=True)
    afgehandeld_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.omschrijving

    @property
    def is_achterstallig(self) -> bool:
        return self.status == self.Status.OPEN and self.vervaldatum < timezone.localdate()


class Actiepunt(Taak):
    """Who does what by when, for one student, decided at a meeting."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="actiepunten")
    overleg = models.ForeignKey(Overleg, on_delete=models.PROTECT, related_name="actiepunten")
    beslissing = models.OneToOneField(
        Beslissing, on_delete=models.PROTECT, null=True, blank=True, related_name="actiepunt"
    )
    eigenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wie?"),
        on_delete=models.PROTECT,
        related_name="actiepunten",
    )

    objects = TaakQuerySet.as_manager()

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["vervaldatum", "pk"]
        indexes = [
            models.Index(fields=["eigenaar", "status", "vervaldatum"], name="actiepunt_eigenaar"),
            models.Index(fields=["leerling", "status"], name="actiepunt_leerling"),
            # The care-cell agenda and the overdue list: open items by due date.
            models.Index(fields=["status", "vervaldatum"], name="actiepunt_status_verval"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(afgehandeld_op__isnull=False),
                name="afgehandeld_actiepunt_heeft_datum",
            )
        ]


class Aanvulling(models.Model):
    """A correction or addition to closed minutes: the minutes themselves
    stay as they were closed."""

    overleg = models.ForeignKey(Overleg, on_delete=models.CASCADE, related_name="aanvullingen")
    agendapunt = models.ForeignKey(
        Agendapunt, on_delete=models.CASCADE, null=True, blank=True, related_name="aanvullingen"
    )
    tekst = models.TextField(_("aanvulling"), max_length=4000)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("aanvulling")
        verbose_name_plural = _("aanvullingen")
        ordering = ["aangemaakt", "pk"]

    def __str__(self):
        return self.tekst[:50]
