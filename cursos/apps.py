from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CursosConfig(AppConfig):
    name = "cursos"
    verbose_name = _("Cursos")
