from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldingenConfig(AppConfig):
    name = "zorg.meldingen"
    label = "meldingen"
    verbose_name = _("Meldingen")
