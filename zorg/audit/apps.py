from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zorg.audit"
    label = "audit"
    verbose_name = _("Audittrail")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401
        from .rechten import na_migratie

        # Once per `migrate`, after every app's migrations have run.
        post_migrate.connect(na_migratie, sender=self, dispatch_uid="audit.app_rol_rechten")
