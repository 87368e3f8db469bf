"""The team's reflection on its care policy, per quality expectation of
student guidance (the inspectorate's quality framework, "de school begeleidt
de lerenden"), and the actions it decides on.

Per school year and expectation the care coordinator or the director records
what the team will do (start, strengthen, reduce or stop, continue), why,
and the actions with an owner and a due date. A reflection is a draft until
it is made final, with who decided and when.

Its actions are not klassenraad's Actiepunt: an Actiepunt is about one
student (its `leerling` is required, and its visibility, notifications,
reminders and care-cell agenda all follow that student). A policy action is
about no student, so it is its own row with the same lifecycle (open,
completed, cancelled; owner; due date) and its own start-page card.

Nothing here is care content about a student: no student is named, and
nothing comes from the CLB's own file.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klassenraad.models import Taak, TaakQuerySet
from zorg.accounts.models import School, Schooljaar


class Verwachting(models.TextChoices):
    """The four quality expectations of guidance at school level."""

    VISIE = "visie", _("Gedragen visie en opvolging van effecten")
    DOMEINEN = "domeinen", _("Begeleiding in de vier domeinen")
    PASSEND = "passend", _("Passende begeleiding en gelijke kansen")
    SAMEN = "samen", _("Samen met lerende, ouders en partners")


# What each expectation asks of the school team, and the instrument's
# guiding questions for the team's reflection (in our own words).
OMSCHRIJVINGEN = {
    Verwachting.VISIE: _(
        "Het schoolteam begeleidt vanuit een visie die het team draagt, plant en coördineert "
        "de begeleiding systematisch en cyclisch, en volgt de gewenste en ongewenste effecten "
        "op om bij te sturen."
    ),
    Verwachting.DOMEINEN: _(
        "Het schoolteam begeleidt op de vier domeinen: leren en studeren, onderwijsloopbaan, "
        "psychisch en sociaal functioneren, preventieve gezondheidszorg."
    ),
    Verwachting.PASSEND: _(
        "Het schoolteam geeft elke lerende begeleiding op maat, vanuit sterktes en via het "
        "zorgcontinuüm, met redelijke aanpassingen waar nodig, voor gelijke onderwijskansen."
    ),
    Verwachting.SAMEN: _(
        "Het schoolteam vormt de begeleiding samen met de lerende, de ouders of thuisomgeving, "
        "het CLB en andere partners, en houdt ze transparant voor iedereen."
    ),
}

VRAGEN = {
    Verwachting.VISIE: [
        _(
            "Welke visie op leerlingenbegeleiding hebben we, en houdt ze rekening met de vier "
            "begeleidingsdomeinen en met de context van onze school?"
        ),
        _("Merken we dat het team die visie draagt en dat ze tot in de klas komt?"),
        _("Welke structuren en afspraken dragen de organisatie van de begeleiding?"),
        _(
            "Hoe volgen we gewenste en ongewenste effecten op, en hoe sturen we met die "
            "gegevens bij?"
        ),
        _(
            "Welke outputgegevens (evaluaties, leerlingenstromen, slaagcijfers) zetten ons "
            "aan tot actie?"
        ),
    ],
    Verwachting.DOMEINEN: [
        _("Hoe zetten we in op leren leren en op studiebegeleiding?"),
        _("Hoe begeleiden we studie- en loopbaankeuzes en de overgangen tussen scholen?"),
        _("Welke aandacht krijgen welbevinden en sociaal-emotionele ontwikkeling?"),
        _("Hoe komen preventieve gezondheidszorg en fysiek welzijn aan bod?"),
    ],
    Verwachting.PASSEND: [
        _("Hoe zorgen we ervoor dat elke leerling optimaal tot leren komt?"),
        _("Hoe realiseren we brede basiszorg tot op de klasvloer?"),
        _("Hoe krijgen we het hele team mee in verhoogde zorg?"),
        _("Hoe stellen we vast dat de maatregelen werken, en hoe sturen we bij?"),
        _("Hoe dragen we bij tot gelijke kansen en inclusie?"),
    ],
    Verwachting.SAMEN: [
        _("Hoe signaleren ouders, leerlingen en collega's tijdig een probleem, en bij wie?"),
        _("Hoe betrekken we de leerling, de thuisomgeving en partners bij de begeleiding?"),
        _("Hoe transparant is de begeleiding voor alle betrokkenen? Kan de communicatie beter?"),
        _(
            "Hoe werken we samen met het CLB en het ondersteuningsnetwerk, en stemmen we "
            "verwachtingen op elkaar af?"
        ),
    ],
}


class Keuze(models.TextChoices):
    """What the team will do, in the instrument's words."""

    OPSTARTEN = "opstarten", _("als nieuw initiatief opstarten")
    VERSTERKEN = "versterken", _("versterken, aanscherpen, meer doen dan nu")
    AFBOUWEN = "afbouwen", _("afbouwen, stoppen")
    BEHOUDEN = "behouden", _("verder aanpakken")


class Reflectie(models.Model):
    class Status(models.TextChoices):
        ONTWERP = "ontwerp", _("ontwerp")
        DEFINITIEF = "definitief", _("definitief")

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="reflecties")
    schooljaar = models.ForeignKey(Schooljaar, on_delete=models.PROTECT, related_name="reflecties")
    verwachting = models.CharField(
        _("kwaliteitsverwachting"), max_length=20, choices=Verwachting.choices
    )
    keuze = models.CharField(_("wat doen we?"), max_length=20, choices=Keuze.choices)
    redenering = models.TextField(_("waarom?"), max_length=8000)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONTWERP
    )
    beslist_door = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beslist door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    beslist_op = models.DateTimeField(_("beslist op"), null=True, blank=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    gewijzigd_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    versie = models.PositiveIntegerField(default=1)
    aangemaakt = models.DateTimeField(default=timezone.now)
    gewijzigd = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reflectie")
        verbose_name_plural = _("reflecties")
        ordering = ["schooljaar", "verwachting"]
        constraints = [
            models.UniqueConstraint(
                fields=["schooljaar", "verwachting"], name="reflectie_eenmaal_per_verwachting"
            ),
            models.CheckConstraint(
                condition=Q(status="ontwerp")
                | Q(beslist_op__isnull=False, beslist_door__isnull=False),
                name="definitieve_reflectie_heeft_beslisser",
            ),
        ]

    def __str__(self):
        return f"{self.get_verwachting_display()} – {self.schooljaar}"

    @property
    def is_definitief(self) -> bool:
        return self.status == self.Status.DEFINITIEF


class Reflectieactie(Taak):
    """Who does what by when, decided in a reflection: an action of the care
    policy, with the lifecycle of klassenraad's Actiepunt (klassenraad.Taak)."""

    reflectie = models.ForeignKey(Reflectie, on_delete=models.CASCADE, related_name="acties")
    eigenaar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("wie?"),
        on_delete=models.PROTECT,
        related_name="reflectieacties",
    )
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TaakQuerySet.as_manager()

    class Meta:
        verbose_name = _("actie uit de reflectie")
        verbose_name_plural = _("acties uit de reflectie")
        ordering = ["vervaldatum", "pk"]
        indexes = [
            models.Index(
                fields=["eigenaar", "status", "vervaldatum"], name="reflectieactie_eigenaar"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(afgehandeld_op__isnull=False),
                name="afgehandelde_reflectieactie_heeft_datum",
            )
        ]

    @property
    def uitkomst(self) -> str:
        """What became of it, as a word: done, cancelled, overdue or open."""
        if self.status == self.Status.AFGEROND:
            return "afgerond"
        if self.status == self.Status.GEANNULEERD:
            return "geannuleerd"
        return "te_laat" if self.is_achterstallig else "open"
