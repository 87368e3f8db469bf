from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InzageConfig(AppConfig):
    """The access request (GDPR article 15): the director records it, hands
    over the school's care record as JSON and PDF, and the start page warns
    before the legal month runs out."""

    name = "inzage"
    verbose_name = _("Inzageverzoeken")

    def ready(self):
        from leerlingen.secties import sectie_registreren
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import pdf
        from .startkaarten import KAARTEN
        from .views import sectie

        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
        sectie_registreren(sectie, voor="tijdlijn")
