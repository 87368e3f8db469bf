from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClbConfig(AppConfig):
    name = "clb"
    verbose_name = _("CLB")

    def ready(self):
        from leerlingen.secties import sectie_registreren

        from .views.school import sectie

        sectie_registreren(sectie, voor="tijdlijn")
