from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverdrachtConfig(AppConfig):
    name = "overdracht"
    verbose_name = _("Overdracht naar de volgende school")

    def ready(self):
        # The transfer builds on the student record, which never imports it:
        # its section on the student page, its PDF and its start card hook in
        # here.
        from leerlingen.secties import sectie_registreren
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import pdf
        from .startkaarten import KAARTEN
        from .views import sectie

        sectie_registreren(sectie, voor="tijdlijn")
        document_registreren(*pdf.DOCUMENTEN)
        kaart_registreren(*KAARTEN)
