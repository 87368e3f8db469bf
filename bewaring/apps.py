from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BewaringConfig(AppConfig):
    """Retention: how long each kind of record is kept (regels), the nightly
    destruction of what has expired (services, tasks), the holds that stop
    it for a contested decision, and the dry run the care team reads."""

    name = "bewaring"
    verbose_name = _("Bewaring")

    def ready(self):
        from zorg.startpagina import kaart_registreren

        from .startkaarten import KAARTEN

        kaart_registreren(*KAARTEN)
