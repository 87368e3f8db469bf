from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BeheerConfig(AppConfig):
    """The school's own administration pages: its settings and calendar
    (later its staff, classes and imports). Never care content."""

    name = "zorg.beheer"
    label = "beheer"
    verbose_name = _("Schoolbeheer")
