from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EenmaligConfig(AppConfig):
    name = "zorg.eenmalig"
    label = "eenmalig"
    verbose_name = _("Eenmalige indiening")
