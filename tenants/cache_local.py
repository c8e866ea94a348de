"""Copia en la memoria del proceso de lo que cada petición leía de Redis.

El tenant por host, el ``Site`` de Wagtail y «¿hay restricciones de vista?» viven en
la caché compartida (Redis); leerlos costaba cuatro idas a Redis por petición. Ahora
cada proceso guarda su copia y, una vez por petición, lee **una** clave de Redis: la
generación. Cualquier cambio que invalide una de esas cachés (las señales de Tenant,
Domain, Site y PageViewRestriction) escribe una generación nueva, así que el próximo
pedido de **cualquier** nodo vacía su copia y vuelve a leer Redis (DESIGN §9: las
cachés en memoria se invalidan a través de Redis). La propagación entre nodos no
espera ningún plazo: es la petición siguiente.

Las copias también vencen a los ``TENANT_CACHE_SEGUNDOS``, como las de Redis, por si un
cambio no pasara por una señal (un ``update()`` masivo).
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name, schema_context

# Se lee y se escribe siempre en el schema public (make_key antepone el schema).
CLAVE_GENERACION = "cache-local-generacion"
# Fuera de una petición (Celery, comandos) o en una petición larga, la generación se
# vuelve a leer si pasó más de esto desde la última revisión.
REVISION_MAXIMA_SEGUNDOS = 1.0
# Tope de entradas: hosts desconocidos no hacen crecer la memoria sin límite.
MAXIMO_ENTRADAS = 2000

T = TypeVar("T")
_SIN_VALOR = object()


class CacheLocal:
    def __init__(self) -> None:
        self._generacion: str | None = None
        self._revisada = 0.0
        self._datos: dict[Hashable, tuple[float, Any]] = {}

    def revisar(self) -> None:
        """Una ida a Redis: si la generación cambió, olvida todo lo local.

        Se llama al comienzo de cada petición, con el schema public activo."""
        if connection.schema_name != get_public_schema_name():
            with schema_context(get_public_schema_name()):
                generacion = self._generacion_leer()
        else:
            generacion = self._generacion_leer()
        if generacion != self._generacion:
            self._datos.clear()
            self._generacion = generacion
        self._revisada = time.monotonic()

    @staticmethod
    def _generacion_leer() -> str:
        return cache.get_or_set(CLAVE_GENERACION, lambda: uuid4().hex, None)

    def obtener(self, clave: Hashable, calcular: Callable[[], T]) -> T:
        """El valor guardado (una copia si es un modelo) o ``calcular()``."""
        ahora = time.monotonic()
        if ahora - self._revisada > REVISION_MAXIMA_SEGUNDOS:
            self.revisar()
        entrada = self._datos.get(clave)
        if entrada is not None and entrada[0] > ahora:
            valor = entrada[1]
        else:
            valor = calcular()
            if len(self._datos) >= MAXIMO_ENTRADAS:
                self._datos.clear()
            self._datos[clave] = (ahora + settings.TENANT_CACHE_SEGUNDOS, valor)
        # Cada petición recibe su copia: lo que la petición le cuelgue a un modelo
        # (p. ej. ``site.root_page``) no pasa a la siguiente.
        return copy.copy(valor) if hasattr(valor, "_state") else valor

    def olvidar_local(self) -> None:
        self._datos.clear()
        self._generacion = None
        self._revisada = 0.0

    def invalidar(self) -> None:
        """Todos los procesos olvidan su copia en su próxima petición.

        Se repite al confirmar la transacción: un proceso que releyera entre el
        cambio y el COMMIT habría guardado el valor anterior."""
        self._invalidar_ahora()
        transaction.on_commit(self._invalidar_ahora)

    def _invalidar_ahora(self) -> None:
        self.olvidar_local()
        with schema_context(get_public_schema_name()):
            cache.set(CLAVE_GENERACION, uuid4().hex, None)


cache_local = CacheLocal()
