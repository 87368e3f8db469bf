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
        from .services.afwezigheden import AFWEZIGHEIDSDREMPEL
        from .startkaarten import KAARTEN
        from .views import ouderbrieven
        from .vlagtellingen import signalen_koppelen

        sectie_registreren(ouderbrieven.sectie, voor="tijdlijn")

        signalen_koppelen()
        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
        for soort in herinneringen.SOORTEN:
            soort_registreren(soort)
        soort_registreren(AFWEZIGHEIDSDREMPEL)
        for planner in herinneringen.PLANNERS:
            planner_registreren(planner)
