from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlassenraadConfig(AppConfig):
    name = "klassenraad"
    verbose_name = _("Klassenraad en overleg")
