from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClbConfig(AppConfig):
    name = "clb"
    verbose_name = _("CLB")
