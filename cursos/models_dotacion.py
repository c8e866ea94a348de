"""Solo para la migración 0004 de cursos, que importa ``_token_nuevo`` desde aquí.

Los modelos viven en cursos/models/; no importe este módulo desde código nuevo.
"""

from .models.jornadas import _token_nuevo

__all__ = ["_token_nuevo"]
