from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClbConfig(AppConfig):
    name = "clb"
    verbose_name = _("CLB")

    def ready(self):
        # The CLB builds on the student record and the meetings, which never
        # import it: it hooks itself in here.
        from klassenraad.agenda import redenbron_registreren
        from leerlingen.dossierdelen import dossierdeel_registreren
        from leerlingen.ouderinformatie import ouderbron_registreren
        from leerlingen.secties import sectie_registreren
        from leerlingen.services.zorgfase import (
            bij_aanmelding_registreren,
            iac_clb_regel_registreren,
        )
        from zorg.herinneringen.planners import planner_registreren
        from zorg.meldingen.soorten import soort_registreren
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import herinneringen, pdf
        from .agenda import doelen_te_evalueren
        from .services.consultaties import iac_clb_voldaan
        from .services.ouders import ouderinformatie_clb
        from .services.trajecten import aanmelding_melden
        from .startkaarten import KAARTEN
        from .views.school import dossierdeel, sectie

        sectie_registreren(sectie, voor="tijdlijn")
        dossierdeel_registreren(dossierdeel)
        ouderbron_registreren(ouderinformatie_clb)
        redenbron_registreren(doelen_te_evalueren)
        iac_clb_regel_registreren(iac_clb_voldaan)
        bij_aanmelding_registreren(aanmelding_melden)
        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
        for soort in herinneringen.SOORTEN:
            soort_registreren(soort)
        for planner in herinneringen.PLANNERS:
            planner_registreren(planner)
