"""Receptores de los ganchos de cursos: cada evento escribe su hecho nacional."""

from __future__ import annotations

from .hechos import (
    dotacion_publicar as _dotacion_publicar,
)
from .hechos import (
    hecho_asistencia_registrar,
    hecho_curso_registrar,
    hecho_curso_retirar,
    hechos_catalogo_actualizar,
    version_nacional_publicar,
)


def curso_completado_registrar(sender, inscripcion, **kwargs):
    hecho_curso_registrar(inscripcion=inscripcion)


def dotacion_publicar(sender, dotacion, **kwargs):
    _dotacion_publicar(dotacion=dotacion)


def asistencia_registrar(sender, asistencia, **kwargs):
    hecho_asistencia_registrar(asistencia=asistencia)


def certificado_revocado_retirar(sender, certificado, **kwargs):
    hecho_curso_retirar(inscripcion_id=certificado.inscripcion_id)


def institucion_guardada(sender, instance, created, **kwargs):
    """Al vincular (o cambiar) la institución del catálogo, lo ya contado la sigue."""
    if not created:
        hechos_catalogo_actualizar(institucion=instance)


def version_publicada_registrar(sender, version, **kwargs):
    version_nacional_publicar(version=version)
