"""Un worker real de Celery para las pruebas de integración (Redis del broker).

El worker es otro proceso: solo ve datos confirmados en la base de pruebas. Escucha una
cola propia, a la que se dirigen todas las tareas mientras dura el bloque; al salir se
restauran el modo eager y las rutas. Sin Redis alcanzable, la prueba se omite y dice por
qué.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app

RAIZ = Path(__file__).resolve().parents[1]


def redis_disponible(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def database_url_de_prueba() -> str:
    datos = connection.settings_dict
    assert datos["NAME"].startswith("test_"), (
        f"{datos['NAME']} no es la base de pruebas"
    )
    host = quote(datos["HOST"] or "127.0.0.1", safe="")
    usuario = quote(datos["USER"] or "postgres", safe="")
    clave = f":{quote(datos['PASSWORD'])}" if datos["PASSWORD"] else ""
    puerto = datos["PORT"] or 5432
    return f"postgres://{usuario}{clave}@{host}:{puerto}/{datos['NAME']}"


def _rutas_recargar() -> None:
    """Celery guarda en caché el router con las rutas de la primera tarea enviada:
    sin esto, las pruebas con worker que corren después mandarían a la cola anterior."""
    app.amqp._rtable = None  # se vuelve a leer de app.conf.task_routes al usarlo
    app.amqp.__dict__.pop("router", None)


@contextmanager
def worker_real(nombre: str, entorno: dict[str, str] | None = None):
    """Levanta ``celery worker --pool=solo`` en la cola ``capacita-<nombre>-<pid>``.

    Se usa desde una fixture que pide ``django_db_setup``: así la URL apunta a la base
    de pruebas y no a la de desarrollo. El broker es el de la configuración: el pool de
    conexiones de la app queda atado al primero que usa.
    """
    broker = settings.CELERY_BROKER_URL
    if not redis_disponible(broker):
        pytest.skip(f"Sin Redis alcanzable en {broker}: no se prueba un worker real")
    cola = f"capacita-{nombre}-{os.getpid()}"
    proceso = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
        + ["-Q", cola, "--loglevel=WARNING"],
        cwd=RAIZ,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url_de_prueba(),
            "CELERY_BROKER_URL": broker,
            **(entorno or {}),
        },
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.task_routes = {"*": {"queue": cola}}
    _rutas_recargar()
    try:
        yield proceso
    finally:
        app.conf.task_always_eager = eager
        app.conf.task_routes = None
        _rutas_recargar()
        proceso.terminate()
        proceso.wait(timeout=20)
