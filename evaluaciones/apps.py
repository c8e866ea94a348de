from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluacionesConfig(AppConfig):
    name = "evaluaciones"
    verbose_name = _("Evaluaciones")
