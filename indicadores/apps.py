from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicadoresConfig(AppConfig):
    name = "indicadores"
    verbose_name = _("Indicadores")

    def ready(self):
        from django.core.checks import Tags, register

        from .checks import clave_persona_revisar

        register(clave_persona_revisar, Tags.security, deploy=True)

        # Plumbing: los receptores solo llaman a indicadores.hechos.
        from certificados.signals import certificado_revocado
        from cursos.signals import (
            asistencia_registrada,
            curso_completado,
            dotacion_guardada,
            version_publicada,
        )

        from . import receptores

        curso_completado.connect(
            receptores.curso_completado_registrar, dispatch_uid="indicadores_curso"
        )
        dotacion_guardada.connect(
            receptores.dotacion_publicar, dispatch_uid="indicadores_dotacion"
        )
        asistencia_registrada.connect(
            receptores.asistencia_registrar, dispatch_uid="indicadores_asistencia"
        )
        version_publicada.connect(
            receptores.version_publicada_registrar,
            dispatch_uid="indicadores_version",
        )
        certificado_revocado.connect(
            receptores.certificado_revocado_retirar,
            dispatch_uid="indicadores_revocacion",
        )
        from django.db.models.signals import post_save

        post_save.connect(
            receptores.institucion_guardada,
            sender="cursos.Institucion",
            dispatch_uid="indicadores_institucion_catalogo",
        )
