from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificacionConfig(AppConfig):
    name = "verificacion"
    verbose_name = _("Verificación de certificados")
