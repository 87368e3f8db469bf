from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KlassenraadConfig(AppConfig):
    name = "klassenraad"
    verbose_name = _("Klassenraad en overleg")

    def ready(self):
        from leerlingen.dossierdelen import dossierdeel_registreren
        from leerlingen.policies import clb_bereik_registreren, linkcontrole_registreren
        from leerlingen.secties import sectie_registreren
        from zorg.herinneringen.planners import planner_registreren
        from zorg.meldingen.soorten import soort_registreren
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import herinneringen, pdf
        from .policies import clb_bereik_van_overleg, clb_lezers_van_overleg, overleg_links
        from .startkaarten import KAARTEN
        from .views.bespreekvragen import dossierdeel, sectie

        sectie_registreren(sectie, voor="tijdlijn")
        dossierdeel_registreren(dossierdeel)
        clb_bereik_registreren(clb_bereik_van_overleg, lezers=clb_lezers_van_overleg)
        linkcontrole_registreren("klassenraad:overleg_detail", overleg_links)
        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
        for soort in herinneringen.SOORTEN:
            soort_registreren(soort)
        for planner in herinneringen.PLANNERS:
            planner_registreren(planner)
