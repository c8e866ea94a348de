"""Servicios de cursos (escrituras), por dominio: inscripciones y progreso, perfiles,
nómina y dotación, jornadas y currículo. Se re-exporta lo que usan otras apps."""

from .inscripciones import (
    ResultadoInscripcionUnidad,
    actividades_pendientes,
    curso_completar_si_corresponde,
    evaluaciones_finales_pendientes,
    inscripcion_crear,
    inscripciones_crear_por_unidad,
    leccion_completar,
    leccion_visitar,
    prerrequisitos_pendientes,
    requisitos_cumplidos,
)

__all__ = [
    "ResultadoInscripcionUnidad",
    "actividades_pendientes",
    "curso_completar_si_corresponde",
    "evaluaciones_finales_pendientes",
    "inscripcion_crear",
    "inscripciones_crear_por_unidad",
    "leccion_completar",
    "leccion_visitar",
    "prerrequisitos_pendientes",
    "requisitos_cumplidos",
]
