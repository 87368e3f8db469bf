from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZorgbeleidConfig(AppConfig):
    """The director's annual care-policy report: the figures of a school
    year beside the previous one, and the team's reflection on them."""

    name = "zorgbeleid"
    verbose_name = _("Zorgbeleid")

    def ready(self):
        from zorg.herinneringen.planners import planner_registreren
        from zorg.meldingen.soorten import soort_registreren
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import herinneringen, pdf
        from .startkaarten import KAARTEN

        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
        for soort in herinneringen.SOORTEN:
            soort_registreren(soort)
        for planner in herinneringen.PLANNERS:
            planner_registreren(planner)
