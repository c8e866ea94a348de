"""Caché de ContentType separada por schema.

django-tenants vacía la caché de ContentType en cada ``set_tenant`` porque los ids
difieren entre schemas. Así cada petición vuelve a leer los ContentType de sus
páginas (dos consultas por página de Wagtail). Aquí la caché se indexa por
(alias, schema) del hilo actual: cada schema conserva sus ids y nunca ve los de otro.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connections

_local = threading.local()


class CachePorSchema(dict):
    """Reemplaza ``ContentTypeManager._cache``, que se indexa solo por alias."""

    @staticmethod
    def _clave(using: str) -> tuple[str, str | None]:
        return using, getattr(connections[using], "schema_name", None)

    def __getitem__(self, using):
        return super().__getitem__(self._clave(using))

    def __contains__(self, using) -> bool:
        return super().__contains__(self._clave(using))

    def get(self, using, default=None):
        return super().get(self._clave(using), default)

    def setdefault(self, using, default=None):
        return super().setdefault(self._clave(using), default)

    def clear(self) -> None:
        # Un clear_cache() explícito (migraciones, borrar un tenant) sí vacía todo.
        if not getattr(_local, "conservar", False):
            super().clear()


@contextmanager
def cache_conservada():
    """Durante el bloque, ``ContentType.objects.clear_cache()`` no borra nada."""
    _local.conservar = True
    try:
        yield
    finally:
        _local.conservar = False


def cache_instalar() -> None:
    from django.contrib.contenttypes.models import ContentType

    if not isinstance(ContentType.objects._cache, CachePorSchema):
        ContentType.objects._cache = CachePorSchema()
