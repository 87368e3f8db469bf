from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldingenConfig(AppConfig):
    name = "zorg.meldingen"
    label = "meldingen"
    verbose_name = _("Meldingen")

    def ready(self):
        from zorg.startpagina import kaart_registreren

        from .startkaarten import KAARTEN

        kaart_registreren(*KAARTEN)
