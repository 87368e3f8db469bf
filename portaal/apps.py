from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortaalConfig(AppConfig):
    name = "portaal"
    verbose_name = _("Ouderportaal")

    def ready(self):
        # The portal builds on the student record, which never imports it:
        # its section on the student page hooks in here.
        from leerlingen.secties import sectie_registreren

        from .views import sectie

        sectie_registreren(sectie, voor="tijdlijn")
