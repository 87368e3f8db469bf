"""The school structure: subjects, classes, teaching assignments, students,
their enrolments and guardians, and the phases of the care continuum that
every student stands in.

A student record (Leerling) belongs to one school: its student number is
that school's own, and care data recorded in one school is only carried to
another through an explicit, audited transfer, never by a shared row.
Enrolments (Inschrijving) keep the history of class changes and of leaving.
Zorgfase lives here rather than with the care record because every student
points at one: it is reference data per school type, like the classes.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zorg.accounts.models import Campus, School, Schooljaar, SchoolType

from .. import zorgfasen


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
    # Optimistic locking of the structure pages (zorg.versies).
    versie = models.PositiveIntegerField(default=1, editable=False)

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
    # Optimistic locking of the structure pages (zorg.versies): one version
    # for the class's name, grade, campus and class teachers.
    versie = models.PositiveIntegerField(default=1, editable=False)

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
    # The student's own address, for the parents' and students' portal (from 12).
    email = models.EmailField(_("e-mailadres"), blank=True)
    zorgfase = models.ForeignKey(
        Zorgfase, verbose_name=_("zorgfase"), on_delete=models.PROTECT, related_name="+"
    )
    aangemaakt = models.DateTimeField(auto_now_add=True)
    gewijzigd = models.DateTimeField(auto_now=True)
    # Issue 18 (bewaring): the school's care record was destroyed on this
    # day, but the CLB's file still needs the student (its own, longer term):
    # the row stays, minimal, for the CLB only, and the school no longer sees it.
    dossier_vernietigd_op = models.DateField(null=True, blank=True, editable=False)

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
