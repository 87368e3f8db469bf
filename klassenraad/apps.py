from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlassenraadConfig(AppConfig):
    name = "klassenraad"
    verbose_name = _("Klassenraad en overleg")

    def ready(self):
        from leerlingen.secties import sectie_registreren

        from .views.bespreekvragen import sectie

        sectie_registreren(sectie, voor="tijdlijn")
