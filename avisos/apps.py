from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AvisosConfig(AppConfig):
    name = "avisos"
    verbose_name = _("Avisos")

    def ready(self):
        from cursos.signals import inscripcion_asignada

        from .receptores import inscripcion_asignada_avisar

        inscripcion_asignada.connect(
            inscripcion_asignada_avisar, dispatch_uid="avisos_inscripcion_asignada"
        )
