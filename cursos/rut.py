"""Solo para la migración 0001 de cursos, que importa ``cursos.rut.rut_validator``.

El RUT vive en ``lib/rut.py``; no importe este módulo desde código nuevo.
"""

from lib.rut import rut_validator

__all__ = ["rut_validator"]
