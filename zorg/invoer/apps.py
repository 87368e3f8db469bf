from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoerConfig(AppConfig):
    name = "zorg.invoer"
    label = "invoer"
    verbose_name = _("Import")
