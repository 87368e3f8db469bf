from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeerlingenConfig(AppConfig):
    name = "leerlingen"
    verbose_name = _("Leerlingen")

    def ready(self):
        from zorg.herinneringen.planners import planner_registreren
        from zorg.meldingen.soorten import soort_registreren
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import herinneringen, pdf
        from .secties import sectie_registreren
        from .startkaarten import KAARTEN
        from .views import ouderbrieven

        sectie_registreren(ouderbrieven.sectie, voor="tijdlijn")

        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
        for soort in herinneringen.SOORTEN:
            soort_registreren(soort)
        for planner in herinneringen.PLANNERS:
            planner_registreren(planner)
