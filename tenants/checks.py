"""Revisiones de despliegue (``manage.py check --deploy``) de tenants."""

from __future__ import annotations

from django.conf import settings
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.checks import Error
from django.utils.module_loading import import_string

# Cachés que no comparten los procesos (ni los nodos): cada worker de gunicorn cuenta
# sus propios intentos de ingreso y borra solo su copia del tenant o del Site. La de
# archivos se comparte en una máquina, pero no entre nodos, y su incr no es atómico.
CACHES_POR_PROCESO = (LocMemCache, DummyCache, FileBasedCache)

AYUDA = (
    "Defina REDIS_CACHE_URL (p. ej. redis://host:6379/1) con un Redis común a todos "
    "los procesos y nodos web: los límites de ingreso, de pedidos de contraseña y de "
    "verificación (lib/limites.py) y la invalidación de tenants y Sites "
    "(content/cache.py) se guardan en la caché «default»."
)


def cache_compartida_revisar(app_configs=None, **kwargs) -> list[Error]:
    """Sin DEBUG, la caché «default» debe ser compartida (Redis o similar).

    Con una caché por proceso, 4 workers de gunicorn dan 4 veces los intentos de
    ingreso permitidos antes del bloqueo, y un cambio de Site o de restricción de
    vista tarda hasta ``TENANT_CACHE_SEGUNDOS`` en verse en los demás procesos.
    """
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    try:
        clase = import_string(backend)
    except ImportError:
        # Django ya informa una caché mal configurada (caches.E001 y al usarla).
        return []
    if not (isinstance(clase, type) and issubclass(clase, CACHES_POR_PROCESO)):
        return []
    return [
        Error(
            f"La caché «default» ({backend}) no es compartida entre procesos.",
            hint=AYUDA,
            id="tenants.E001",
        )
    ]
