from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerlingenConfig(AppConfig):
    name = "leerlingen"
    verbose_name = _("Leerlingen")

    def ready(self):
        from zorg.startpagina import kaart_registreren

        from .startkaarten import KAARTEN

        kaart_registreren(*KAARTEN)
