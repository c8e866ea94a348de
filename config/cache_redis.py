"""Caché Redis de Django con un cliente ``redis.Redis`` reutilizado por pool.

``RedisCacheClient.get_client`` de Django crea un ``redis.Redis`` nuevo en cada
operación, y cada uno arma su tabla de ≈ 165 callbacks de respuesta: el perfil de la
página de lección mostró ≈ 1.000 asignaciones de diccionario por petición solo en eso
(docs/performance.md, issue 17). El cliente no guarda estado propio entre comandos
(las conexiones son del pool, que ya se reutiliza y se rehace tras un ``fork``), así que
uno por pool alcanza.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ClienteReutilizado(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clientes: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        indice = self._get_connection_pool_index(write)
        cliente = self._clientes.get(indice)
        if cliente is None:
            cliente = self._client(connection_pool=self._get_connection_pool(write))
            self._clientes[indice] = cliente
        return cliente


class CacheRedis(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ClienteReutilizado
