"""El resumen diario de avisos lo corre un worker real de Celery, tenant por tenant.

Como el beat (TenantAwareScheduler), la prueba envía la tarea una vez por schema con
el schema en la cabecera. El worker escribe los correos en archivos (otro proceso no
comparte la bandeja locmem). Dos corridas el mismo día dejan un solo correo por
persona; la baja por el enlace del correo se respeta; cada tenant envía solo lo suyo.
"""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from avisos import services, tasks
from avisos.models import Aviso, PreferenciaAvisos
from cursos.models import Inscripcion
from cursos.services import inscripcion_crear
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import DOMINIO_A, CapacitaTestCase
from tests.cursos.factories import curso_por_clave
from tests.worker_celery import worker_real

PREFIJO = f"avw{os.getpid()}-"


@pytest.fixture
def correos(django_db_setup) -> Path:
    # Bajo PRUEBAS_TMP: tests/conftest.py apunta TMPDIR ahí.
    return Path(tempfile.mkdtemp(prefix="correos-avisos-"))


@pytest.fixture
def worker(django_db_blocker, django_db_setup, correos):
    entorno = {
        "PRUEBAS_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(correos),
    }
    with django_db_blocker.unblock(), worker_real("avisos", entorno) as proceso:
        yield proceso


@pytest.fixture
def personas(django_db_blocker, django_db_setup):
    try:
        with django_db_blocker.unblock():
            with schema_context("alfa"):
                encargada = usuario_asegurar(
                    username=PREFIJO + "olga", password="x" * 16, rol=Rol.ENCARGADO
                )
                ana = usuario_asegurar(
                    username=PREFIJO + "ana", password="x" * 16, rol=Rol.FUNCIONARIO
                )
                ana.email = "ana.worker@example.cl"
                ana.save(update_fields=["email"])
                with transaction.atomic():
                    inscripcion_crear(
                        usuario=ana,
                        curso=curso_por_clave("que-es-la-trata"),
                        inscrito_por=encargada,
                        plazo=timezone.localdate() + dt.timedelta(days=3),
                    )
            with schema_context("beta"):
                beto = usuario_asegurar(
                    username=PREFIJO + "beto", password="x" * 16, rol=Rol.FUNCIONARIO
                )
                beto.email = "beto.worker@example.cl"
                beto.save(update_fields=["email"])
                services.aviso_crear(
                    usuario=beto, categoria="plazo", clave="b1", titulo="Aviso de beta"
                )
        yield {"ana": ana, "beto": beto}
    finally:
        with django_db_blocker.unblock():
            for schema in ("alfa", "beta"):
                with schema_context(schema):
                    usuarios = get_user_model().objects.filter(
                        username__startswith=PREFIJO
                    )
                    Aviso.objects.filter(usuario__in=usuarios).delete()
                    PreferenciaAvisos.objects.filter(usuario__in=usuarios).delete()
                    Inscripcion.objects.filter(usuario__in=usuarios).delete()
                    usuarios.delete()


def _correos_a(carpeta: Path, destino: str) -> list[email.message.Message]:
    mensajes = []
    for archivo in carpeta.glob("*.log"):
        for parte in archivo.read_bytes().split(b"-" * 79):
            if parte.strip():
                mensaje = email.message_from_bytes(parte.strip())
                if mensaje["To"] == destino:
                    mensajes.append(mensaje)
    return mensajes


def _texto(mensaje: email.message.Message) -> str:
    for parte in mensaje.walk():
        if parte.get_content_type() == "text/plain":
            return parte.get_payload(decode=True).decode()
    return ""


def _esperar(condicion, segundos: int = 90) -> None:
    limite = time.monotonic() + segundos
    while time.monotonic() < limite:
        if condicion():
            return
        time.sleep(0.3)
    raise AssertionError("el worker no terminó a tiempo")


def _encolar(schema: str) -> None:
    tasks.avisos_diario_task.apply_async(headers={"_schema_name": schema})


@pytest.mark.integracion
def test_el_worker_envia_un_resumen_por_persona_y_dia(
    worker, personas, correos, django_db_blocker
):
    with django_db_blocker.unblock():
        _encolar("alfa")
        _esperar(lambda: len(_correos_a(correos, "ana.worker@example.cl")) == 1)
        # Segunda corrida en alfa y luego beta: el worker (pool solo) las toma en
        # orden, así que cuando llegó el de beta la segunda de alfa ya terminó.
        _encolar("alfa")
        _encolar("beta")
        _esperar(lambda: len(_correos_a(correos, "beto.worker@example.cl")) == 1)
        correos_ana = _correos_a(correos, "ana.worker@example.cl")
        assert len(correos_ana) == 1
        texto = _texto(correos_ana[0])
        # Todo en un solo correo: el curso asignado y el plazo a 3 días.
        assert "Se le asignó el curso" in texto
        assert "Quedan 3 días para completar" in texto
        assert "Aviso de beta" not in texto
        correo_beto = _correos_a(correos, "beto.worker@example.cl")[0]
        assert "Aviso de beta" in _texto(correo_beto)

        # Ana se da de baja de «Plazo por vencer» con el enlace del correo.
        enlaces = re.findall(r"http://[^\s]+/avisos/baja/[^\s]+/", texto)
        baja_plazo = [e for e in enlaces if "Plazo" in texto.split(e)[0][-80:]]
        assert baja_plazo, texto
        respuesta = Client(HTTP_HOST=DOMINIO_A).post(urlsplit(baja_plazo[0]).path)
        assert "Listo: ya no recibirá" in respuesta.content.decode()
        with schema_context("alfa"):
            assert PreferenciaAvisos.objects.get(usuario=personas["ana"]).excluidas == [
                "plazo"
            ]
            # Otro día: un aviso de plazo nuevo no sale por correo.
            PreferenciaAvisos.objects.update(ultimo_resumen_el=None)
            services.aviso_crear(
                usuario=personas["ana"], categoria="plazo", clave="p2", titulo="Otro"
            )
        with schema_context("beta"):
            PreferenciaAvisos.objects.update(ultimo_resumen_el=None)
            services.aviso_crear(
                usuario=personas["beto"], categoria="plazo", clave="b2", titulo="B2"
            )
        _encolar("alfa")
        _encolar("beta")
        _esperar(lambda: len(_correos_a(correos, "beto.worker@example.cl")) == 2)
        assert len(_correos_a(correos, "ana.worker@example.cl")) == 1
        with schema_context("alfa"):
            otro = Aviso.objects.get(usuario=personas["ana"], clave="p2")
            assert otro.enviado_at is None


class BeatAvisosTests(CapacitaTestCase):
    """El beat envía la tarea diaria a cada tenant (sin ``tenant_schemas``), a las 8.

    También hace que este módulo, corrido solo, cree la base de pruebas: pytest-django
    la prepara solo si alguna prueba de la sesión la pide.
    """

    def test_el_beat_programa_el_resumen_diario_en_todos_los_tenants(self):
        from django.conf import settings

        entrada = settings.CELERY_BEAT_SCHEDULE["avisos-diario"]
        self.assertEqual(entrada["task"], "capacita.avisos.diario")
        self.assertNotIn("tenant_schemas", entrada)
        self.assertEqual(entrada["schedule"].hour, {8})
        with self.en_a():
            resultado = tasks.avisos_diario_task.apply().get()
        self.assertEqual(resultado, {"plazos": 0, "vencimientos": 0, "correos": 0})
