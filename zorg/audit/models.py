"""The audit trail: who read or changed which student's data, when, from
where, and what. Append-only: the model refuses updates and deletes, and a
trigger in the database refuses them too (PostgreSQL, and SQLite in the
embedded mode), so not even a bug or a shell session can rewrite history. In
production the application's database role cannot update, delete, truncate
or alter the table at all (rechten.py), so it cannot drop that trigger either."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit trail is append-only")

    def delete(self):
        raise AppendOnlyError("The audit trail is append-only")


class Actie(models.TextChoices):
    LEZEN = "lezen", _("gelezen")
    AANMAKEN = "aanmaken", _("aangemaakt")
    WIJZIGEN = "wijzigen", _("gewijzigd")
    VERWIJDEREN = "verwijderen", _("verwijderd")
    DOWNLOADEN = "downloaden", _("gedownload")
    EXPORTEREN = "exporteren", _("geëxporteerd")
    AANMELDEN = "aanmelden", _("aangemeld")
    AANMELDEN_MISLUKT = "aanmelden_mislukt", _("aanmelden mislukt")
    AFMELDEN = "afmelden", _("afgemeld")


class AuditEvent(models.Model):
    tijdstip = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    # No database constraint either (issue 19), like school and leerling: the
    # table is append-only and must outlive the rows it names. A constraint
    # here is checked per inserted row at commit (one RI statement each), so
    # a page that logs the 700 students it shows ran 700 extra statements.
    # PROTECT stays at the ORM level: deleting a user who has events still
    # refuses (retention pseudonymises events and closes accounts; it never
    # deletes users).
    gebruiker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actie = models.CharField(_("actie"), max_length=20, choices=Actie.choices)
    # No database constraint: the trail must outlive the rows it speaks of
    # (a student removed at the end of the retention period keeps its log).
    school = models.ForeignKey(
        "accounts.School",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    leerling = models.ForeignKey(
        "leerlingen.Leerling",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    onderwerp = models.CharField(_("onderwerp"), max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    omschrijving = models.CharField(_("omschrijving"), max_length=300, blank=True)
    velden = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("IP-adres"), null=True)
    methode = models.CharField(max_length=10, blank=True)
    pad = models.CharField(_("pagina"), max_length=500, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("audittrail")
        ordering = ["-tijdstip", "-id"]
        indexes = [models.Index(fields=["leerling", "-tijdstip"], name="audit_leerling_tijd")]

    def __str__(self):
        return f"{self.tijdstip:%Y-%m-%d %H:%M} {self.gebruiker_id} {self.actie} {self.onderwerp}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit trail is append-only")
