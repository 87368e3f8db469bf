"""Students, classes, enrolments, guardians and the care phases of the
continuum.

A student record (Leerling) belongs to one school: its student number is
that school's own, and care data recorded in one school is only carried to
another through an explicit, audited transfer, never by a shared row.
Enrolments (Inschrijving) keep the history of class changes and of leaving.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import Campus, School, Schooljaar, SchoolType

from .. import domeinen, zorgfasen


class Zorgfase(models.Model):
    """A phase of the care continuum. The set of phases depends on the school
    type (DKO has a shorter continuum), so it is data, not code."""

    class Soort(models.TextChoices):
        BASISZORG = "basiszorg", _("brede basiszorg")
        VERHOOGD = "verhoogd", _("verhoogde zorg")
        UITBREIDING = "uitbreiding", _("uitbreiding van zorg")
        IAC = "iac", _("individueel aangepast curriculum")

    schooltype = models.CharField(_("schooltype"), max_length=20, choices=SchoolType.choices)
    nummer = models.PositiveSmallIntegerField(_("fase"))
    naam = models.CharField(_("naam"), max_length=100)
    soort = models.CharField(_("soort"), max_length=20, choices=Soort.choices)
    omschrijving = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("zorgfase")
        verbose_name_plural = _("zorgfasen")
        ordering = ["schooltype", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["schooltype", "nummer"], name="zorgfase_uniek")
        ]

    def __str__(self):
        return f"{self.nummer}. {self.weergavenaam}"

    @property
    def weergavenaam(self) -> str:
        """The name as shown: the standard name of this phase of this school
        type in the user's language; a name the school changed, as written."""
        if self.naam == zorgfasen.STANDAARDNAMEN.get((self.schooltype, self.nummer)):
            return gettext(self.naam)
        return self.naam


class Vak(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="vakken")
    naam = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("vak")
        verbose_name_plural = _("vakken")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["school", "naam"], name="vak_uniek_per_school")
        ]

    def __str__(self):
        return self.naam


class Klas(models.Model):
    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.PROTECT, related_name="klassen")
    campus = models.ForeignKey(
        Campus, on_delete=models.PROTECT, null=True, blank=True, related_name="klassen"
    )
    naam = models.CharField(_("naam"), max_length=20)
    leerjaar = models.PositiveSmallIntegerField(
        _("leerjaar"), validators=[MinValueValidator(1), MaxValueValidator(7)]
    )
    klastitularissen = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("klastitularissen"),
        related_name="titularis_van",
        blank=True,
    )

    class Meta:
        verbose_name = _("klas")
        verbose_name_plural = _("klassen")
        ordering = ["leerjaar", "naam"]
        constraints = [
            models.UniqueConstraint(fields=["schooljaar", "naam"], name="klas_naam_uniek_per_jaar")
        ]

    def __str__(self):
        return self.naam

    def huidige_leerlingen(self) -> list["Leerling"]:
        """The students enrolled in this class now, by name (one query)."""
        return [
            inschrijving.leerling
            for inschrijving in Inschrijving.objects.actief()
            .filter(klas=self)
            .select_related("leerling")
            .order_by("leerling__achternaam", "leerling__voornaam", "leerling__pk")
        ]


class Lesopdracht(models.Model):
    """A teacher teaches a subject in a class."""

    leerkracht = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesopdrachten"
    )
    klas = models.ForeignKey(Klas, on_delete=models.CASCADE, related_name="lesopdrachten")
    vak = models.ForeignKey(Vak, on_delete=models.PROTECT, related_name="lesopdrachten")

    class Meta:
        verbose_name = _("lesopdracht")
        verbose_name_plural = _("lesopdrachten")
        constraints = [
            models.UniqueConstraint(fields=["leerkracht", "klas", "vak"], name="lesopdracht_uniek")
        ]

    def __str__(self):
        return f"{self.leerkracht} – {self.vak} – {self.klas}"


class LeerlingQuerySet(models.QuerySet):
    def met_huidige_klas(self):
        """Annotate the name and id of the current class without a query per
        row."""
        actief = Inschrijving.objects.actief().filter(leerling=OuterRef("pk"))
        return self.annotate(
            huidige_klas_id=models.Subquery(actief.values("klas_id")[:1]),
            huidige_klas_naam=models.Subquery(actief.values("klas__naam")[:1]),
        )

    def zoeken(self, term: str):
        term = term.strip()
        if not term:
            return self
        q = Q()
        for woord in term.split()[:5]:
            q &= (
                Q(voornaam__icontains=woord)
                | Q(achternaam__icontains=woord)
                | Q(leerlingnummer__iexact=woord)
            )
        return self.filter(q)

    def ingeschreven(self):
        return self.filter(Exists(Inschrijving.objects.actief().filter(leerling=OuterRef("pk"))))


class Leerling(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="leerlingen")
    leerlingnummer = models.CharField(_("leerlingnummer"), max_length=20)
    voornaam = models.CharField(_("voornaam"), max_length=100)
    achternaam = models.CharField(_("achternaam"), max_length=100)
    geboortedatum = models.DateField(_("geboortedatum"))
    zorgfase = models.ForeignKey(
        Zorgfase, verbose_name=_("zorgfase"), on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)
    gewijzigd = models.DateTimeField(auto_now=True)

    objects = LeerlingQuerySet.as_manager()

    class Meta:
        verbose_name = _("leerling")
        verbose_name_plural = _("leerlingen")
        ordering = ["achternaam", "voornaam", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "leerlingnummer"], name="leerlingnummer_uniek_per_school"
            )
        ]
        indexes = [models.Index(fields=["school", "achternaam", "voornaam"], name="leerling_naam")]

    def __str__(self):
        return f"{self.voornaam} {self.achternaam}"

    @property
    def volledige_naam(self) -> str:
        return f"{self.voornaam} {self.achternaam}"


def inschrijving_actief_q(op, prefix: str = "") -> Q:
    """The condition of an active enrolment on `op`, for Inschrijving itself
    (prefix "") or across a relation (prefix "inschrijvingen__").

    Besides being in a class of the current school year and not ended, the
    enrolment has begun, or it begins with its school year: once the
    administrator makes the new year current in summer, its classes are
    filled before 1 September, so the care team can prepare the portrait
    class councils and teachers see their classes. (Until then, July and
    August belong to the ending year and its classes.) A student who joins
    later in the year counts from their own first day."""
    return (
        Q(**{f"{prefix}klas__schooljaar__is_huidig": True})
        & (
            Q(**{f"{prefix}begin__lte": op})
            | Q(**{f"{prefix}begin__lte": F(f"{prefix}klas__schooljaar__begin")})
        )
        & (Q(**{f"{prefix}einde__isnull": True}) | Q(**{f"{prefix}einde__gte": op}))
    )


class InschrijvingQuerySet(models.QuerySet):
    def actief(self, op=None):
        """Enrolments active on `op` (today): see inschrijving_actief_q."""
        return self.filter(inschrijving_actief_q(op or timezone.localdate()))


class Inschrijving(models.Model):
    """A student in a class for (part of) a school year. A change of class
    ends one enrolment and starts another, so the history stays."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="inschrijvingen")
    klas = models.ForeignKey(Klas, on_delete=models.PROTECT, related_name="inschrijvingen")
    begin = models.DateField(_("begin"))
    einde = models.DateField(_("einde"), null=True, blank=True)
    reden_einde = models.CharField(_("reden van einde"), max_length=200, blank=True)

    objects = InschrijvingQuerySet.as_manager()

    class Meta:
        verbose_name = _("inschrijving")
        verbose_name_plural = _("inschrijvingen")
        ordering = ["-begin"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__isnull=True) | Q(einde__gte=models.F("begin")),
                name="inschrijving_einde_na_begin",
            ),
            models.UniqueConstraint(
                fields=["leerling", "klas"],
                condition=Q(einde__isnull=True),
                name="een_open_inschrijving_per_klas",
            ),
        ]
        indexes = [models.Index(fields=["klas", "einde"], name="inschrijving_klas_einde")]

    def __str__(self):
        return f"{self.leerling} – {self.klas}"

    def is_actief(self, op=None) -> bool:
        """The same rule as InschrijvingQuerySet.actief(), for a loaded row
        (needs klas__schooljaar)."""
        op = op or timezone.localdate()
        return (
            self.klas.schooljaar.is_huidig
            and (self.begin <= op or self.begin <= self.klas.schooljaar.begin)
            and (self.einde is None or self.einde >= op)
        )


class Relatie(models.TextChoices):
    MOEDER = "moeder", _("moeder")
    VADER = "vader", _("vader")
    OUDER = "ouder", _("ouder")
    PLEEGOUDER = "pleegouder", _("pleegouder")
    VOOGD = "voogd", _("voogd")
    ANDERE = "andere", _("andere")


class Ouder(models.Model):
    """A parent or guardian: a partner in the student's care."""

    leerling = models.ForeignKey(Leerling, on_delete=models.CASCADE, related_name="ouders")
    naam = models.CharField(_("naam"), max_length=200)
    relatie = models.CharField(_("relatie"), max_length=20, choices=Relatie.choices)
    telefoon = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    adres = models.CharField(_("adres"), max_length=300, blank=True)
    is_contactpersoon = models.BooleanField(_("eerste contactpersoon"), default=False)

    class Meta:
        verbose_name = _("ouder of voogd")
        verbose_name_plural = _("ouders en voogden")
        ordering = ["-is_contactpersoon", "naam"]

    def __str__(self):
        return f"{self.naam} ({self.get_relatie_display()})"


# --- The care record -----------------------------------------------------------


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
    evaluatiedatum = models.DateField(_("evaluatiedatum"))
    beslist_waar = models.CharField(_("beslist op"), max_length=200)
    beslist_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
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


# --- Behaviour flags (leergericht gedrag) ------------------------------------------


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
