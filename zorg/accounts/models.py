"""The organisation: school groups, schools, campuses, school years, the CLB,
staff users and their memberships.

The CLB lives here and not in the clb app because the access core needs to
know which schools a CLB worker may reach, and zorg/ never imports the apps.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def met_rol(self, school_id: int, *rollen: str):
        """Active users holding one of `rollen` in the school through an
        active membership (who a notification about that school reaches)."""
        return self.filter(
            is_active=True,
            lidmaatschappen__school_id=school_id,
            lidmaatschappen__rol__in=rollen,
            lidmaatschappen__actief=True,
        ).distinct()


class User(AbstractUser):
    """A staff member. Logs in with an e-mail address; has no username."""

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email


class Scholengemeenschap(models.Model):
    naam = models.CharField(_("naam"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("scholengemeenschap")
        verbose_name_plural = _("scholengemeenschappen")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class SchoolType(models.TextChoices):
    BASIS = "basis", _("basisonderwijs")
    SECUNDAIR = "secundair", _("secundair onderwijs")
    DKO = "dko", _("deeltijds kunstonderwijs")


class Weekdag(models.IntegerChoices):
    MAANDAG = 0, _("maandag")
    DINSDAG = 1, _("dinsdag")
    WOENSDAG = 2, _("woensdag")
    DONDERDAG = 3, _("donderdag")
    VRIJDAG = 4, _("vrijdag")


# The colours of a behaviour flag that may form a pattern (the flag model
# lives in leerlingen, which zorg/ does not import: the values are its).
# Green flags record what goes well: they never make a concern.
PATROONKLEUREN = ("geel", "oranje", "rood")


def standaard_patroon_aantal() -> int:
    return settings.ZORG_PATROON_AANTAL


def standaard_patroon_dagen() -> int:
    return settings.ZORG_PATROON_DAGEN


def standaard_patroon_kleuren() -> list[str]:
    return ["geel", "oranje"]


def standaard_escalatie_minuten() -> int:
    return int(settings.ZORG_RODE_VLAG_ESCALATIE.total_seconds() // 60)


def standaard_sessie_inactief_minuten() -> int:
    return settings.ZORG_SESSIE_INACTIEF_MINUTEN


class School(models.Model):
    naam = models.CharField(_("naam"), max_length=200)
    instellingsnummer = models.CharField(
        _("instellingsnummer"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{5,6}$", _("Een instellingsnummer telt 5 of 6 cijfers."))],
    )
    schooltype = models.CharField(_("schooltype"), max_length=20, choices=SchoolType.choices)
    scholengemeenschap = models.ForeignKey(
        Scholengemeenschap,
        verbose_name=_("scholengemeenschap"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scholen",
    )
    # The school's settings (its settings page edits them; the defaults of
    # those that were environment values come from the environment).
    evaluatieperiode_weken = models.PositiveSmallIntegerField(
        _("evaluatieperiode (weken)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "Na hoeveel weken een nieuwe maatregel standaard geëvalueerd wordt. Het formulier "
            "stelt die datum voor; wie de maatregel invoert, kan hem aanpassen."
        ),
    )
    # How many of the care cell's proposals are ticked beforehand: what a
    # weekly cell gets through in an hour. The rest is listed below, unticked.
    agenda_voorselectie = models.PositiveSmallIntegerField(
        _("vooraf aangevinkte voorstellen voor de cel"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Zoveel leerlingen vinkt Zorg vooraf aan op de agenda van de cel; "
            "de andere voorstellen staan eronder."
        ),
    )
    zorgcel_weekdag = models.PositiveSmallIntegerField(
        _("weekdag van de cel"),
        choices=Weekdag.choices,
        null=True,
        blank=True,
        help_text=_("Op welke dag de cel wekelijks samenkomt. Leeg: geen vaste dag."),
    )
    zorgcel_uur = models.TimeField(_("uur van de cel"), null=True, blank=True)
    patroon_aantal = models.PositiveSmallIntegerField(
        _("vlaggen voor een patroon"),
        default=standaard_patroon_aantal,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("Zoveel vlaggen van de gekozen kleuren binnen de periode vormen een patroon."),
    )
    patroon_dagen = models.PositiveSmallIntegerField(
        _("periode van een patroon (dagen)"),
        default=standaard_patroon_dagen,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    patroon_kleuren = models.JSONField(
        _("kleuren die een patroon vormen"),
        default=standaard_patroon_kleuren,
    )
    escalatie_minuten = models.PositiveIntegerField(
        _("escalatie van een rode vlag (minuten)"),
        default=standaard_escalatie_minuten,
        validators=[MinValueValidator(15), MaxValueValidator(7 * 24 * 60)],
        help_text=_(
            "Is een rode vlag na zoveel minuten niet opgenomen, dan verwittigt Zorg de directie."
        ),
    )
    herinnering_evaluatie_dagen = models.PositiveSmallIntegerField(
        _("herinnering vóór een evaluatie (schooldagen)"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_("Zoveel schooldagen voor de evaluatiedatum van een maatregel herinnert Zorg."),
    )
    herinnering_doel_dagen = models.PositiveSmallIntegerField(
        _("herinnering vóór de bespreking van een CLB-doel (schooldagen)"),
        default=2,
        validators=[MaxValueValidator(20)],
    )
    achterstallig_escalatie_dagen = models.PositiveSmallIntegerField(
        _("achterstallig actiepunt naar de zorgcoördinatoren na (schooldagen)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    # Sessions (zorg.sessies): a classroom PC left unattended signs out. For
    # a person in several schools the strictest of their schools applies.
    sessie_inactief_minuten = models.PositiveSmallIntegerField(
        _("afmelden na inactiviteit (minuten)"),
        default=standaard_sessie_inactief_minuten,
        validators=[MinValueValidator(15), MaxValueValidator(60)],
        help_text=_(
            "Wie zoveel minuten niets doet in Zorg, wordt afgemeld (15 tot 60 minuten). "
            "Wie in meer scholen werkt, krijgt de kortste tijd van die scholen."
        ),
    )
    # Issue 15: teachers sign in with a second factor unless the school
    # decides otherwise (zorg.accounts.tweestaps; every other role must).
    mfa_leerkrachten = models.BooleanField(
        _("tweestapsverificatie verplicht voor leerkrachten"),
        default=True,
        help_text=_(
            "Aan: leerkrachten van deze school melden zich aan met een code uit een "
            "authenticator-app. De andere rollen doen dat altijd."
        ),
    )
    # Issue 17: problematic absences. From this many problematic half days
    # in a school year the care coordinator and the school's CLB are told and
    # the student goes on the care cell's agenda (the CLB must be involved).
    afwezigheid_drempel = models.PositiveSmallIntegerField(
        _("drempel problematische afwezigheden (halve dagen)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Vanaf zoveel problematisch afwezige halve dagen in een schooljaar verwittigt Zorg "
            "de zorgcoördinator en het CLB, en komt de leerling op de agenda van de cel."
        ),
    )
    # Issue 17: the read-only view for parents and students of 12 and older.
    # Off until the school decides to open it.
    portaal_aan = models.BooleanField(
        _("ouders en leerlingen kunnen inloggen"),
        default=False,
        help_text=_(
            "Aan: ouders en leerlingen vanaf 12 jaar die een uitnodiging kregen, zien de "
            "afgesproken maatregelen en afspraken en wat het CLB met hen deelt. Nooit "
            "observaties, vlaggen of verslagen."
        ),
    )
    # Issue 18: how long the school keeps the care record of a student who
    # left (bewaring.regels): destroyed on 1 September, this many school
    # years after the end of the school year in which the student left.
    bewaring_schooljaren = models.PositiveSmallIntegerField(
        _("bewaring van het zorgdossier na vertrek (schooljaren)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_(
            "Zoveel volledige schooljaren na het schooljaar waarin een leerling de school "
            "verliet, bewaart Zorg het zorgdossier; daarna wordt het vernietigd (1 tot 5)."
        ),
    )
    # Optimistic locking of the settings page (zorg.versies).
    versie = models.PositiveIntegerField(default=1, editable=False)
    digest_uur = models.TimeField(
        _("uur van de dagelijkse samenvatting"),
        default=datetime.time(7, 0),
        help_text=_("Wie een dagelijkse samenvatting per e-mail kiest, krijgt ze op dit uur."),
    )

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class Campus(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="campussen")
    naam = models.CharField(_("naam"), max_length=200)
    adres = models.CharField(_("adres"), max_length=300, blank=True)
    # Optimistic locking of the structure pages (zorg.versies).
    versie = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("campus")
        verbose_name_plural = _("campussen")
        ordering = ["naam"]
        constraints = [
            models.UniqueConstraint(fields=["school", "naam"], name="campus_naam_uniek_per_school")
        ]

    def __str__(self):
        return self.naam


def schooljaar_begin(datum: datetime.date) -> datetime.date:
    """1 September of the school year `datum` falls in, by the calendar.

    A Flemish school year runs from 1 September to 31 August: on 30 June,
    15 July or 20 August the school year is still the one that began last
    September (the one ending on 31 August), not the next one."""
    return datetime.date(datum.year if datum.month >= 9 else datum.year - 1, 9, 1)


def zelfde_schooljaar(a: datetime.date, b: datetime.date) -> bool:
    return schooljaar_begin(a) == schooljaar_begin(b)


class Schooljaar(models.Model):
    """A school year of one school. Which one is current is the
    administrator's choice (`is_huidig`), not the calendar's: the classes of
    the new year are prepared in summer and switched on when ready. Date
    logic that needs the calendar's school year uses `schooljaar_begin`."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="schooljaren")
    naam = models.CharField(_("naam"), max_length=20, help_text=_("bv. 2026-2027"))
    begin = models.DateField(_("begin"))
    einde = models.DateField(_("einde"))
    is_huidig = models.BooleanField(_("huidig schooljaar"), default=False)
    # False: the school keeps the statutory Flemish calendar for this year
    # (computed, see zorg.schoolkalender). True: its free days are the rows
    # of `vrije_perioden`, which began as that calendar and were edited.
    kalender_vastgelegd = models.BooleanField(default=False, editable=False)
    # Optimistic locking of the year's calendar (zorg.versies): one version
    # for all its free periods, raised by every change of them. The
    # statutory periods have no rows until the first change, so only the
    # year can carry the version a form of them started from.
    versie = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("schooljaar")
        verbose_name_plural = _("schooljaren")
        ordering = ["-begin"]
        constraints = [
            models.UniqueConstraint(fields=["school", "naam"], name="schooljaar_naam_uniek"),
            models.UniqueConstraint(
                fields=["school"],
                condition=Q(is_huidig=True),
                name="een_huidig_schooljaar_per_school",
            ),
            models.CheckConstraint(
                condition=Q(einde__gt=models.F("begin")), name="schooljaar_einde_na_begin"
            ),
        ]

    def __str__(self):
        return self.naam

    @property
    def startjaar(self) -> int:
        """The year its school year began in, as `zorg.schoolkalender` counts
        (`wettelijke_vrije_dagen(startjaar)`): the year before the New Year's
        day it holds, the day `zorg.accounts.kalender` finds a year's row by."""
        return self.einde.year - 1

    def vorige(self) -> "Schooljaar | None":
        """The school year of the same school just before this one (years of
        a school never overlap), or None for its first year."""
        return (
            Schooljaar.objects.filter(school_id=self.school_id, begin__lt=self.begin)
            .order_by("-begin")
            .first()
        )


class VrijePeriode(models.Model):
    """Free days of one school year of one school, as the school keeps them:
    a holiday, a public holiday, a pedagogical study day. Only used once the
    school has edited its calendar for that year (`kalender_vastgelegd`)."""

    schooljaar = models.ForeignKey(
        Schooljaar, on_delete=models.CASCADE, related_name="vrije_perioden"
    )
    naam = models.CharField(_("naam"), max_length=100)
    begin = models.DateField(_("van"))
    einde = models.DateField(_("tot en met"))

    class Meta:
        verbose_name = _("vrije periode")
        verbose_name_plural = _("vrije periodes")
        ordering = ["begin", "einde"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einde__gte=models.F("begin")), name="vrije_periode_einde_na_begin"
            ),
        ]

    def __str__(self):
        return f"{self.naam} ({self.begin} – {self.einde})"


class Rol(models.TextChoices):
    """Roles held through a membership. The class teacher (klastitularis) is
    not a membership role: it follows from the class itself."""

    LEERKRACHT = "leerkracht", _("Leerkracht")
    ZORGCOORDINATOR = "zorgcoordinator", _("Zorgcoördinator")
    DIRECTIE = "directie", _("Directie")
    SECRETARIAAT = "secretariaat", _("Leerlingensecretariaat")
    BEHEERDER = "beheerder", _("Beheerder")


class Lidmaatschap(models.Model):
    """One role of one user in one school. A person with several roles in a
    school has several rows; a person in several schools likewise."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="lidmaatschappen")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="lidmaatschappen")
    rol = models.CharField(_("rol"), max_length=20, choices=Rol.choices)
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "school", "rol"], name="een_rol_eenmaal")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_rol_display()} – {self.school}"


class Groepsdirectie(models.Model):
    """A director over a school group (the coordinating director of a
    scholengemeenschap). Not a membership of a school: it gives no access to
    any school's students or care record, only to the care-policy report of
    each school of the group and of the group as a whole (zorgbeleid.policies),
    whose figures name no student."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="groepsdirecties")
    scholengemeenschap = models.ForeignKey(
        Scholengemeenschap, on_delete=models.CASCADE, related_name="directies"
    )
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("groepsdirectie")
        verbose_name_plural = _("groepsdirecties")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scholengemeenschap"], name="een_groepsdirectie_eenmaal"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.scholengemeenschap}"


class CLB(models.Model):
    """A centrum voor leerlingenbegeleiding: an organisation outside the
    school that serves several schools."""

    naam = models.CharField(_("naam"), max_length=200, unique=True)
    scholen = models.ManyToManyField(
        School, verbose_name=_("bediende scholen"), related_name="clbs", blank=True
    )

    class Meta:
        verbose_name = _("CLB")
        verbose_name_plural = _("CLB's")
        ordering = ["naam"]

    def __str__(self):
        return self.naam


class CLBMedewerker(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clb_lidmaatschappen")
    clb = models.ForeignKey(CLB, on_delete=models.CASCADE, related_name="medewerkers")
    actief = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("CLB-medewerker")
        verbose_name_plural = _("CLB-medewerkers")
        constraints = [models.UniqueConstraint(fields=["user", "clb"], name="clb_medewerker_uniek")]

    def __str__(self):
        return f"{self.user} – {self.clb}"
