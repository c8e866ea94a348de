"""Una tarea encolada en el tenant A corre en el schema de A, con un worker real."""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_context

from content.models import RegistroAuditoria
from content.services import auditoria_encolar
from tests.worker_celery import worker_real


@pytest.fixture
def worker(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), worker_real("prueba") as proceso:
        yield proceso


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
