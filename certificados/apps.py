from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificadosConfig(AppConfig):
    name = "certificados"
    verbose_name = _("Certificados")

    def ready(self):
        from cursos.signals import curso_completado, version_publicada

        from .receivers import curso_completado_encolar, version_publicada_superar

        curso_completado.connect(
            curso_completado_encolar, dispatch_uid="certificados_emitir"
        )
        version_publicada.connect(
            version_publicada_superar, dispatch_uid="certificados_version"
        )
