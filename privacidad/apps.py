from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacidadConfig(AppConfig):
    name = "privacidad"
    verbose_name = _("Datos personales (Ley 21.719)")
