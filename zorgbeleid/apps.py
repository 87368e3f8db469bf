from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZorgbeleidConfig(AppConfig):
    """The director's annual care-policy report: the figures of a school
    year beside the previous one, and the team's reflection on them."""

    name = "zorgbeleid"
    verbose_name = _("Zorgbeleid")

    def ready(self):
        from zorg.pdf.soorten import document_registreren
        from zorg.startpagina import kaart_registreren

        from . import pdf
        from .startkaarten import KAARTEN

        kaart_registreren(*KAARTEN)
        document_registreren(*pdf.DOCUMENTEN)
