from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessiesConfig(AppConfig):
    """How long a sign-in lasts: the idle timeout (a school's setting), the
    absolute limit, the events that end a person's sessions, and the page
    that lists one's own sessions."""

    name = "zorg.sessies"
    label = "sessies"
    verbose_name = _("Sessies")

    def ready(self):
        from . import signals  # noqa: F401
