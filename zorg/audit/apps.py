from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "zorg.audit"
    label = "audit"
    verbose_name = _("Audittrail")

    def ready(self):
        from . import signals  # noqa: F401
