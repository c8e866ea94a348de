from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvisosConfig(AppConfig):
    name = "avisos"
    verbose_name = _("Avisos")
