"""Modelos de cursos, por dominio (DESIGN.md §4); la app y sus tablas no cambian."""

from .inscripciones import Inscripcion, LeccionCompletada
from .jornadas import Asistencia, Jornada
from .organizacion import Dotacion, Institucion, Perfil, Unidad
from .paginas import CursoPage, LeccionPage, RutaPage

__all__ = [
    "Asistencia",
    "CursoPage",
    "Dotacion",
    "Inscripcion",
    "Institucion",
    "Jornada",
    "LeccionCompletada",
    "LeccionPage",
    "Perfil",
    "RutaPage",
    "Unidad",
]
