"""Modelos de cursos, por dominio (DESIGN.md §4); la app y sus tablas no cambian."""

from .inscripciones import Inscripcion, LeccionCompletada
from .jornadas import Asistencia, Jornada
from .organizacion import Dotacion, Institucion, Perfil, Unidad
from .paginas import CursoPage, LeccionPage, RutaPage
from .versiones import VersionCurso

# Los tokens de la API para sistemas de RR. HH. viven en cursos/api/models.py; se
# importan aquí para que Django registre el modelo con la app.
# isort: split
from ..api.models import TokenAPI

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
    "TokenAPI",
    "Unidad",
    "VersionCurso",
]
