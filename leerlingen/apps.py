from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerlingenConfig(AppConfig):
    name = "leerlingen"
    verbose_name = _("Leerlingen")
