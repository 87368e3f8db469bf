"""The care record of a student: moves in the care continuum, referrals to
the CLB, observations, measures and their evaluations, talks, the intake,
documents, and the timeline that shows them all."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import School

from .. import domeinen
from .school import Leerling, Vak, Zorgfase


class Zichtbaarheid(models.TextChoices):
    """Who of the school may read an entry. The CLB's own confidential layer
    never enters these tables."""

    KLASTEAM = "klasteam", _("klasteam")
    ZORGTEAM = "zorgteam", _("enkel zorgteam")


def _domeinen_veld(blank=False):
    return models.PositiveSmallIntegerField(
        _("begeleidingsdomeinen"),
        default=0 if blank else None,
        validators=[MaxValueValidator(domeinen.ALLE)],
    )


def _domeinen_constraint(naam: str, leeg_mag: bool = False):
    minimum = 0 if leeg_mag else 1
    return models.CheckConstraint(
        condition=Q(domeinen__gte=minimum) & Q(domeinen__lte=domeinen.ALLE), name=naam
    )


class ZorgfaseWijziging(models.Model):
    """One move in the care continuum, up or down, with where and why it was
    decided. The student's current phase is the `naar` of the latest."""

    leerling = models.ForeignKey(
        Leerling, on_delete=models.CASCADE, related_name="zorgfase_wijzigingen"
    )
    van = models.ForeignKey(Zorgfase, on_delete=models.PROTECT, related_name="+")
    naar = models.ForeignKey(Zorgfase, on_delete=models.PROTECT, related_name="+")
    datum = models.DateField(_("datum"))
    reden = models.TextField(_("reden"))
    beslist_waar = models.CharField(_("beslist op"), max_length=200)
    beslist_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # For a move to an individually adapted curriculum (IAC) only.
    maatregelen_ontoereikend = models.BooleanField(
        _("eerdere maatregelen volstonden niet"), default=False
    )
    welbevinden_in_gedrang = models.BooleanField(
        _("het welbevinden van de leerling komt in het gedrang"), default=False
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("zorgfasewijziging")
        verbose_name_plural = _("zorgfasewijzigingen")
        ordering = ["-datum", "-aangemaakt"]
        constraints = [
            models.CheckConstraint(condition=~Q(van=models.F("naar")), name="fase_verandert")
        ]

    def __str__(self):
        return f"{self.leerling}: {self.van.nummer} → {self.naar.nummer}"

    @property
    def is_afschaling(self) -> bool:
        return self.naar.nummer < self.van.nummer


class Aanmelding(models.Model):
    """A referral to the CLB with the school's question for help. The CLB app
    turns an accepted referral into an HGD trajectory."""

    class Bron(models.TextChoices):
        ZORGFASE = "zorgfase", _("overgang naar uitbreiding van zorg")
        CEL = "cel", _("beslissing van de cel leerlingbegeleiding")
        RECHTSTREEKS = "rechtstreeks", _("rechtstreeks door de zorgcoördinator")

    class Status(models.TextChoices):
        OPEN = "open", _("wacht op het CLB")
        AANVAARD = "aanvaard", _("aanvaard door het CLB")
        AFGESLOTEN = "afgesloten", _("afgesloten")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="aanmeldingen")
    datum = models.DateField(_("datum"))
    hulpvraag = models.TextField(_("hulpvraag"))
    bron = models.CharField(_("bron"), max_length=20, choices=Bron.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    zorgfase_wijziging = models.OneToOneField(
        ZorgfaseWijziging,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aanmelding",
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aanmelding bij het CLB")
        verbose_name_plural = _("aanmeldingen bij het CLB")
        ordering = ["-datum", "-aangemaakt"]
        constraints = [
            # One question waiting for the CLB per student: a second one
            # (a double submit, two colleagues at once) is refused.
            models.UniqueConstraint(
                fields=["leerling"],
                condition=models.Q(status="open"),
                name="een_open_aanmelding_per_leerling",
            )
        ]

    def __str__(self):
        return f"{self.leerling} – {self.datum}"


class ObservatieSoort(models.TextChoices):
    STERKTE = "sterkte", _("sterkte")
    ZORG = "zorg", _("zorg")


class Observatie(models.Model):
    """A dated note by a teacher or care staff. Its author may still correct
    it for a short while; after that a correction is a new entry that points
    at the one it corrects, so nothing is silently rewritten."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="observaties")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    datum = models.DateField(_("datum"))
    domeinen = _domeinen_veld()
    soort = models.CharField(_("soort"), max_length=10, choices=ObservatieSoort.choices)
    tekst = models.TextField(_("observatie"), max_length=4000)
    zichtbaarheid = models.CharField(
        _("zichtbaar voor"), max_length=10, choices=Zichtbaarheid.choices, default="klasteam"
    )
    corrigeert = models.ForeignKey(
        "self",
        verbose_name=_("corrigeert"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correcties",
    )
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("observatie")
        verbose_name_plural = _("observaties")
        ordering = ["-datum", "-aangemaakt"]
        constraints = [_domeinen_constraint("observatie_domeinen")]

    def __str__(self):
        return f"{self.leerling} – {self.datum}"


class MaatregelSoort(models.TextChoices):
    """STICORDI."""

    STIMULEREND = "stimulerend", _("stimulerend")
    COMPENSEREND = "compenserend", _("compenserend")
    REMEDIEREND = "remedierend", _("remediërend")
    DIFFERENTIEREND = "differentierend", _("differentiërend")
    DISPENSEREND = "dispenserend", _("dispenserend")


class Bereik(models.TextChoices):
    ALLE_VAKKEN = "alle_vakken", _("alle vakken")
    GEKOZEN_VAKKEN = "gekozen_vakken", _("gekozen vakken")
    TOETSEN = "toetsen", _("toetsen en examens")


class MaatregelCatalogusItem(models.Model):
    """A school's common measure, to pick instead of typing it again."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="maatregelcatalogus")
    soort = models.CharField(_("soort"), max_length=20, choices=MaatregelSoort.choices)
    titel = models.CharField(_("titel"), max_length=150)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    bereik = models.CharField(_("bereik"), max_length=20, choices=Bereik.choices)
    domeinen = _domeinen_veld()
    actief = models.BooleanField(_("actief"), default=True)
    # Optimistic locking of the catalogue's edit form (zorg.versies).
    versie = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("maatregel uit de catalogus")
        verbose_name_plural = _("maatregelencatalogus")
        ordering = ["soort", "titel"]
        constraints = [
            models.UniqueConstraint(fields=["school", "titel"], name="catalogus_titel_uniek"),
            _domeinen_constraint("catalogus_domeinen"),
        ]

    def __str__(self):
        return self.titel


class MaatregelQuerySet(models.QuerySet):
    def actief(self, op=None):
        """Measures in force on `op` (today): active, begun, not ended."""
        op = op or timezone.localdate()
        return self.filter(status=Maatregel.Status.ACTIEF, begin__lte=op).filter(
            Q(einde__isnull=True) | Q(einde__gte=op)
        )


class Maatregel(models.Model):
    """A reasonable adjustment (redelijke aanpassing) for one student."""

    class Status(models.TextChoices):
        VOORGESTELD = "voorgesteld", _("voorgesteld")
        ACTIEF = "actief", _("actief")
        # Ended after an evaluation decided to stop it.
        GEEVALUEERD = "geevalueerd", _("geëvalueerd en afgesloten")
        # Ended without an evaluation (e.g. the student left, or it was refused).
        GESTOPT = "gestopt", _("stopgezet")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="maatregelen")
    soort = models.CharField(_("soort"), max_length=20, choices=MaatregelSoort.choices)
    titel = models.CharField(_("maatregel"), max_length=150)
    omschrijving = models.TextField(_("omschrijving"), blank=True)
    domeinen = _domeinen_veld()
    bereik = models.CharField(_("bereik"), max_length=20, choices=Bereik.choices)
    vakken = models.ManyToManyField(Vak, verbose_name=_("vakken"), blank=True, related_name="+")
    begin = models.DateField(_("begin"))
    einde = models.DateField(_("einde"), null=True, blank=True)
    # When the next evaluation is planned: an edit may move it.
    evaluatiedatum = models.DateField(_("evaluatiedatum"))
    # The deadline of the next evaluation as it was first set (when the
    # measure was put into force, or by the evaluation before): an edit of
    # `evaluatiedatum` leaves it. Against it an evaluation is on time or late
    # (the director's report); the evaluation keeps it as its `termijn`.
    evaluatietermijn = models.DateField(_("oorspronkelijke evaluatietermijn"))
    beslist_waar = models.CharField(_("beslist op"), max_length=200)
    beslist_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The words the school uses with the parents (the parent letter, the
    # portal); blank: the title says it well enough.
    ouderomschrijving = models.CharField(
        _("omschrijving voor de ouders"), max_length=300, blank=True
    )
    # Some measures (a dispensation, an adapted curriculum) need the parents'
    # explicit agreement; the letter asks for it and marks it while missing.
    akkoord_nodig = models.BooleanField(_("akkoord van de ouders nodig"), default=False)
    ouders_akkoord = models.BooleanField(_("akkoord van de ouders"), default=False)
    ouders_akkoord_op = models.DateField(_("akkoord van de ouders op"), null=True, blank=True)
    stem_leerling = models.TextField(_("stem van de leerling"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VOORGESTELD
    )
    catalogus_item = models.ForeignKey(
        MaatregelCatalogusItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: an edit names the version it started from.
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(auto_now_add=True)
    gewijzigd = models.DateTimeField(auto_now=True)

    objects = MaatregelQuerySet.as_manager()

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["-begin", "-pk"]
        indexes = [
            # Evaluations due (the care-cell agenda, the class overview).
            models.Index(fields=["status", "evaluatiedatum"], name="maatregel_status_evaluatie")
        ]
        constraints = [
            _domeinen_constraint("maatregel_domeinen"),
            models.CheckConstraint(
                condition=Q(einde__isnull=True) | Q(einde__gte=models.F("begin")),
                name="maatregel_einde_na_begin",
            ),
            models.CheckConstraint(
                condition=Q(evaluatiedatum__gte=models.F("begin")),
                name="maatregel_evaluatie_na_begin",
            ),
            models.CheckConstraint(
                condition=Q(ouders_akkoord=False) | Q(ouders_akkoord_op__isnull=False),
                name="maatregel_akkoord_heeft_datum",
            ),
        ]

    def __str__(self):
        return self.titel

    @property
    def titel_voor_ouders(self) -> str:
        return self.ouderomschrijving or self.titel

    @property
    def wacht_op_akkoord(self) -> bool:
        """Needs the parents' agreement and does not have it yet."""
        return self.akkoord_nodig and not self.ouders_akkoord


class MaatregelEvaluatie(models.Model):
    class Effect(models.TextChoices):
        WERKT = "werkt", _("werkt")
        WERKT_DEELS = "werkt_deels", _("werkt gedeeltelijk")
        WERKT_NIET = "werkt_niet", _("werkt niet")

    class Beslissing(models.TextChoices):
        VERDERZETTEN = "verderzetten", _("verderzetten")
        AANPASSEN = "aanpassen", _("aanpassen")
        STOPPEN = "stoppen", _("stoppen")

    maatregel = models.ForeignKey(Maatregel, on_delete=models.CASCADE, related_name="evaluaties")
    datum = models.DateField(_("datum"))
    # The deadline this evaluation answered, as first set (the measure's
    # `evaluatietermijn` when it was recorded): on time when `datum` is on
    # or before it. None only for evaluations recorded before deadlines were
    # kept whose deadline no record holds (migration 0008).
    termijn = models.DateField(_("termijn"), null=True, blank=True)
    effect = models.CharField(_("effect"), max_length=20, choices=Effect.choices)
    notities = models.TextField(_("notities"), blank=True)
    beslissing = models.CharField(_("beslissing"), max_length=20, choices=Beslissing.choices)
    volgende_evaluatie = models.DateField(_("volgende evaluatie"), null=True, blank=True)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluatie van een maatregel")
        verbose_name_plural = _("evaluaties van maatregelen")
        ordering = ["-datum", "-aangemaakt"]

    def __str__(self):
        return f"{self.maatregel} – {self.datum}"


class Gesprek(models.Model):
    """A talk with the student, the parents, the CLB or external partners,
    and what was agreed."""

    class Soort(models.TextChoices):
        LEERLING = "leerling", _("leerlingengesprek")
        OUDERS = "ouders", _("oudergesprek")
        CLB = "clb", _("overleg met het CLB")
        EXTERN = "extern", _("overleg met externe partners")
        MDO = "mdo", _("multidisciplinair overleg")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="gesprekken")
    datum = models.DateField(_("datum"))
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    deelnemers = models.CharField(_("deelnemers"), max_length=500)
    samenvatting = models.TextField(_("samenvatting"), max_length=8000)
    afspraken = models.TextField(_("afspraken"), blank=True, max_length=4000)
    domeinen = _domeinen_veld()
    zichtbaarheid = models.CharField(
        _("zichtbaar voor"), max_length=10, choices=Zichtbaarheid.choices, default="zorgteam"
    )
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    aangemaakt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ["-datum", "-aangemaakt"]
        constraints = [_domeinen_constraint("gesprek_domeinen")]

    def __str__(self):
        return f"{self.get_soort_display()} – {self.datum}"


class Intake(models.Model):
    """What the school learned when the student arrived."""

    leerling = models.OneToOneField(Leerling, on_delete=models.CASCADE, related_name="intake")
    datum = models.DateField(_("datum van de intake"))
    vorige_school = models.CharField(_("vorige school"), max_length=200, blank=True)
    onderwijsbehoeften = models.TextField(
        _("specifieke onderwijsbehoeften (gemeld door de ouders)"), blank=True, max_length=8000
    )
    attesten = models.TextField(
        _("attesten en verslagen"),
        blank=True,
        max_length=4000,
        help_text=_("bv. een diagnoseverslag dyslexie of een gemotiveerd verslag"),
    )
    opmerkingen = models.TextField(_("opmerkingen"), blank=True, max_length=8000)
    door = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    versie = models.PositiveIntegerField(default=1)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self):
        return f"{self.leerling} – {self.datum}"


def _document_pad(document, bestandsnaam: str) -> str:
    # A random name: nothing about the student or the original file name
    # ends up in the file system.
    extensie = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
        document.inhoudstype, ""
    )
    return f"documenten/{document.leerling.school_id}/{uuid.uuid4().hex}{extensie}"


class Document(models.Model):
    class Soort(models.TextChoices):
        ATTEST = "attest", _("attest of diagnoseverslag")
        VERSLAG = "verslag", _("verslag")
        INTAKE = "intake", _("intakedocument")
        ANDERE = "andere", _("ander document")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="documenten")
    titel = models.CharField(_("titel"), max_length=200)
    soort = models.CharField(_("soort"), max_length=10, choices=Soort.choices)
    bestand = models.FileField(_("bestand"), upload_to=_document_pad, max_length=200)
    bestandsnaam = models.CharField(_("oorspronkelijke bestandsnaam"), max_length=200)
    inhoudstype = models.CharField(max_length=50)
    grootte = models.PositiveIntegerField()
    geupload_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-aangemaakt"]

    def __str__(self):
        return self.titel


class TijdlijnItem(models.Model):
    """One line on a student's timeline, written by the service that records
    the thing itself (and updated when that thing changes).

    Why a table of its own rather than a union over the sources: the timeline
    pages, filters and counts over every kind of entry in two queries, and
    apps that come later (flags, meetings, the CLB's shared advice) add
    entries without this app importing them."""

    class Soort(models.TextChoices):
        ZORGFASE = "zorgfase", _("zorgfase")
        AANMELDING = "aanmelding", _("aanmelding CLB")
        OBSERVATIE = "observatie", _("observatie")
        MAATREGEL = "maatregel", _("maatregel")
        EVALUATIE = "evaluatie", _("evaluatie")
        GESPREK = "gesprek", _("gesprek")
        INTAKE = "intake", _("intake")
        DOCUMENT = "document", _("document")
        VLAG = "vlag", _("vlag")
        BESLISSING = "beslissing", _("beslissing")
        CLB = "clb", _("CLB")
        # Issue 17: what the schools already keep on paper.
        SODA = "soda", _("SODA-rapport")
        REMEDIERING = "remediering", _("remediëring en differentiatie")
        AFWEZIGHEID = "afwezigheid", _("problematische afwezigheden")
        OUDERBRIEF = "ouderbrief", _("ouders geïnformeerd")
        # Issue 18: the transfer to the next school (overdracht/).
        OVERDRACHT = "overdracht", _("overdracht naar of van een andere school")

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="tijdlijn")
    datum = models.DateField(_("datum"))
    tijdstip = models.DateTimeField(default=timezone.now)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    domeinen = _domeinen_veld(blank=True)
    zichtbaarheid = models.CharField(max_length=10, choices=Zichtbaarheid.choices)
    titel = models.CharField(max_length=300)
    tekst = models.TextField(blank=True)
    is_sterkte = models.BooleanField(default=False)
    auteur = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=300, blank=True)
    bron_type = models.CharField(max_length=40)
    bron_id = models.PositiveBigIntegerField()

    class Meta:
        verbose_name = _("tijdlijnitem")
        verbose_name_plural = _("tijdlijn")
        ordering = ["-datum", "-tijdstip", "-pk"]
        indexes = [
            models.Index(
                fields=["leerling", "-datum", "-tijdstip"], name="tijdlijn_leerling_datum"
            ),
            models.Index(fields=["bron_type", "bron_id"], name="tijdlijn_bron"),
        ]
        constraints = [_domeinen_constraint("tijdlijn_domeinen", leeg_mag=True)]

    def __str__(self):
        return self.titel
