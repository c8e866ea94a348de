"""Solo para tenants/management/commands/crear_demo.py mientras el coordinador lo
mueve a la app demo/ (otro cambio en curso lo edita): la nómina y la dotación viven en
cursos/services/nomina.py. Se borra al mover crear_demo."""

from .services.nomina import dotacion_guardar

__all__ = ["dotacion_guardar"]
