from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificacionConfig(AppConfig):
    name = "verificacion"
    verbose_name = _("Verificación de certificados")

    def ready(self):
        from django.core.checks import Tags, register

        from .checks import clave_openbadges_revisar

        register(clave_openbadges_revisar, Tags.security, deploy=True)
