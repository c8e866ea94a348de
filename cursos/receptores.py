"""Lo que cursos hace cuando otra app avisa (señales conectadas en apps.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import CursoPage, LeccionPage
from .selectors import inscripcion_vigente
from .services import curso_completar_si_corresponde, leccion_completar
from .services.curriculo import curriculo_cargar
from .services.inscripciones import intentos_desde_inscripcion


def tenant_preparado_curriculo(sender, grupo=None, **kwargs) -> None:
    """Un tenant (o la plantilla) recién creado recibe el currículo de su grupo."""
    curriculo_cargar(grupo=grupo)


def intento_aprobado_avanzar(sender, intento, **kwargs) -> None:
    """Un intento aprobado alimenta la completitud del curso o de la lección."""
    if intento.leccion_id is not None:
        leccion = intento.leccion
        curso = CursoPage.objects.parent_of(leccion).first()
        inscripcion = curso and inscripcion_vigente(
            usuario=intento.usuario, curso=curso
        )
        if inscripcion is not None:
            try:
                leccion_completar(inscripcion=inscripcion, leccion=leccion)
            except ValidationError as exc:
                # Otra actividad obligatoria de la lección (un H5P, otro quiz) sigue
                # sin aprobar: la lección queda pendiente; el intento igual se califica.
                if exc.code != "actividad_pendiente":
                    raise
    if intento.evaluacion.curso_id is not None:
        inscripcion = inscripcion_vigente(
            usuario=intento.usuario, curso=intento.evaluacion.curso
        )
        if inscripcion is not None:
            curso_completar_si_corresponde(inscripcion=inscripcion)


def evaluacion_acceso(sender, usuario, curso_id=None, leccion_id=None, **kwargs):
    """Puede rendir quien está inscrito en el curso (o en el curso de la lección)."""
    if leccion_id is not None:
        leccion = LeccionPage.objects.live().filter(pk=leccion_id).first()
        curso = leccion and CursoPage.objects.parent_of(leccion).first()
    else:
        curso = CursoPage.objects.filter(pk=curso_id).first()
    return bool(curso) and inscripcion_vigente(usuario=usuario, curso=curso) is not None


def evaluacion_intentos_desde(sender, usuario, curso_id, **kwargs):
    """En un ciclo nuevo del curso los intentos de la evaluación final parten de 0."""
    curso = CursoPage.objects.filter(pk=curso_id).first()
    inscripcion = curso and inscripcion_vigente(usuario=usuario, curso=curso)
    return intentos_desde_inscripcion(inscripcion) if inscripcion else None
