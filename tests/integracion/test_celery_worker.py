"""Una tarea encolada en el tenant A corre en el schema de A, con un worker real."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import schema_context

from config.celery import app
from content.models import RegistroAuditoria
from content.services import auditoria_encolar

RAIZ = Path(__file__).resolve().parents[2]


def _redis_disponible(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _database_url_de_prueba() -> str:
    datos = connection.settings_dict
    host = quote(datos["HOST"] or "127.0.0.1", safe="")
    usuario = quote(datos["USER"] or "postgres", safe="")
    clave = f":{quote(datos['PASSWORD'])}" if datos["PASSWORD"] else ""
    puerto = datos["PORT"] or 5432
    return f"postgres://{usuario}{clave}@{host}:{puerto}/{datos['NAME']}"


@pytest.fixture
def worker(django_db_setup, django_db_blocker):
    broker = settings.CELERY_BROKER_URL
    if not _redis_disponible(broker):
        pytest.skip(
            f"Sin Redis alcanzable en {broker}: no se puede probar un worker real"
        )
    cola = f"capacita-prueba-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url_de_prueba(),
        "CELERY_BROKER_URL": broker,
    }
    proceso = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            cola,
            "--loglevel=WARNING",
        ],
        cwd=RAIZ,
        env=env,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.conf.task_routes = {"*": {"queue": cola}}
    try:
        yield proceso
    finally:
        app.conf.task_always_eager = eager
        app.conf.task_routes = None
        proceso.terminate()
        proceso.wait(timeout=20)


@pytest.mark.integracion
def test_tarea_encolada_en_a_escribe_solo_en_a(worker, django_db_blocker):
    accion = f"prueba-worker-{os.getpid()}"
    with django_db_blocker.unblock():
        try:
            with schema_context("alfa"), transaction.atomic():
                auditoria_encolar(usuario_id=None, accion=accion, detalle={"x": 1})
            plazo = time.monotonic() + 30
            encontrado = False
            while time.monotonic() < plazo and not encontrado:
                with schema_context("alfa"):
                    encontrado = RegistroAuditoria.objects.filter(
                        accion=accion
                    ).exists()
                time.sleep(0.2)
            assert encontrado, "el worker no escribió en el schema de alfa"
            with schema_context("beta"):
                assert not RegistroAuditoria.objects.filter(accion=accion).exists()
            with schema_context("public"), connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass('public.content_registroauditoria')")
                assert cursor.fetchone()[0] is None
        finally:
            for schema in ("alfa", "beta"):
                with schema_context(schema):
                    RegistroAuditoria.objects.filter(accion=accion).delete()
