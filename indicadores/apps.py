from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicadoresConfig(AppConfig):
    name = "indicadores"
    verbose_name = _("Indicadores")

    def ready(self):
        # Plumbing: los receptores solo llaman a indicadores.hechos.
        from cursos.jornadas import asistencia_registrada
        from cursos.signals import curso_completado

        from . import receptores

        curso_completado.connect(
            receptores.curso_completado_registrar, dispatch_uid="indicadores_curso"
        )
        asistencia_registrada.connect(
            receptores.asistencia_registrar, dispatch_uid="indicadores_asistencia"
        )
