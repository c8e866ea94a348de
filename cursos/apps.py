from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CursosConfig(AppConfig):
    name = "cursos"
    verbose_name = _("Cursos")

    def ready(self) -> None:
        from evaluaciones.signals import (
            acceso_consultar,
            intento_aprobado,
            intentos_desde_consultar,
        )
        from tenants.signals import tenant_preparado

        from . import receptores

        tenant_preparado.connect(
            receptores.tenant_preparado_curriculo, dispatch_uid="cursos_curriculo"
        )
        intento_aprobado.connect(
            receptores.intento_aprobado_avanzar, dispatch_uid="cursos_intento"
        )
        acceso_consultar.connect(
            receptores.evaluacion_acceso, dispatch_uid="cursos_acceso"
        )
        intentos_desde_consultar.connect(
            receptores.evaluacion_intentos_desde, dispatch_uid="cursos_intentos_desde"
        )
