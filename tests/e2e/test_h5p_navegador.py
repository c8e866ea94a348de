"""De punta a punta: el reproductor H5P se ve en Chromium y su xAPI queda registrado.

Levanta ``runserver`` (settings de desarrollo: sirve estáticos y media) en un
subproceso contra la base de pruebas de pytest. El servidor solo ve datos
confirmados, así que esta clase no usa la transacción que se revierte: crea con
commit en el tenant alfa un usuario, un paquete, una lección y una inscripción, y los
borra al terminar. Se omite, diciendo por qué, si falta Chromium (/usr/bin/chromium),
Playwright o el reproductor (``make h5p``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings
from django_tenants.utils import tenant_context

from content.h5p import paquete_crear
from content.models import PaqueteH5P, ResultadoH5P
from cursos.models import Inscripcion, LeccionCompletada, LeccionPage
from cursos.services import inscripcion_crear
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import curso_por_slug, leccion_agregar

CHROMIUM = Path("/usr/bin/chromium")
REPRODUCTOR = (
    Path(settings.BASE_DIR) / "static" / "vendor" / "h5p-standalone" / "main.bundle.js"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]


def _falta() -> str | None:
    if not CHROMIUM.exists():
        return "Falta Chromium en /usr/bin/chromium (apt-get install chromium)"
    if not REPRODUCTOR.exists():
        return "Falta el reproductor H5P en static/vendor (make h5p)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Falta playwright en .venv (pip install playwright)"
    return None


def _url_bd() -> str:
    datos = connection.settings_dict
    host = datos.get("HOST") or ""
    host = quote(host, safe="") if host.startswith("/") else host
    credencial = quote(datos.get("USER") or "", safe="")
    if datos.get("PASSWORD"):
        credencial += ":" + quote(datos["PASSWORD"], safe="")
    puerto = f":{datos['PORT']}" if datos.get("PORT") else ""
    return f"postgres://{credencial}@{host}{puerto}/{datos['NAME']}"


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@unittest.skipIf(_falta(), _falta() or "")
class H5PNavegadorTests(TransactionTestCase):
    databases = {"default"}

    def _fixture_teardown(self):
        # TransactionTestCase vacía la base al final (TRUNCATE del schema public, con
        # los tenants de la sesión). Aquí cada prueba borra solo lo que creó.
        pass

    def setUp(self):
        connection.set_schema_to_public()
        self.caja = Path(tempfile.mkdtemp(prefix="capacita-e2e-"))
        self.addCleanup(shutil.rmtree, self.caja, ignore_errors=True)
        self.media = self.caja / "media"
        self.media.mkdir()
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.addCleanup(self._borrar_datos)
        ajuste = override_settings(
            MEDIA_ROOT=self.media, STORAGES={**settings.STORAGES}
        )
        with ajuste, tenant_context(self.tenant):
            self.usuario = usuario_asegurar(
                username="e2e-h5p", password=CLAVE, rol=Rol.FUNCIONARIO
            )
            self.paquete = paquete_crear(titulo="Caso E2E", archivo=pq.demo_archivo())
            curso = curso_por_slug("que-es-la-trata")
            self.leccion = leccion_agregar(
                curso,
                title="Actividad E2E",
                slug="actividad-e2e-h5p",
                cuerpo=[pq.bloque_h5p(self.paquete)],
            )
            self.url_leccion = self.leccion.url
            inscripcion_crear(usuario=self.usuario, curso=curso)
            cliente = Client(HTTP_HOST=DOMINIO_A)
            cliente.force_login(self.usuario)
            self.sesion = cliente.cookies["sessionid"].value
        connection.set_schema_to_public()
        self.base = self._levantar_servidor()

    def _borrar_datos(self):
        connection.set_schema_to_public()
        with tenant_context(self.tenant):
            usuarios = {"usuario__username": "e2e-h5p"}
            Inscripcion.objects.filter(**usuarios).delete()
            for leccion in LeccionPage.objects.filter(slug="actividad-e2e-h5p"):
                leccion.delete()
            PaqueteH5P.objects.filter(titulo="Caso E2E").delete()
            self.usuario.__class__.objects.filter(username="e2e-h5p").delete()
        connection.set_schema_to_public()

    def _levantar_servidor(self) -> str:
        puerto = _puerto_libre()
        entorno = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": _url_bd(),
            "MEDIA_ROOT": str(self.media),
            "CAPACITA_PUERTO": str(puerto),
            "CELERY_BROKER_URL": "",
            "DB_CONN_MAX_AGE": "0",
        }
        bitacora = self.caja / "runserver.log"
        salida = bitacora.open("w")
        self.addCleanup(salida.close)
        proceso = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{puerto}"]
            + ["--noreload"],
            cwd=settings.BASE_DIR,
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(proceso.wait, 15)
        self.addCleanup(proceso.terminate)
        limite = time.monotonic() + 60
        while True:
            if proceso.poll() is not None:
                self.fail(bitacora.read_text()[-3000:])
            try:
                socket.create_connection(("127.0.0.1", puerto), timeout=1).close()
                return f"http://{DOMINIO_A}:{puerto}"
            except OSError:
                if time.monotonic() > limite:
                    self.fail("runserver no respondió en 60 s")
                time.sleep(0.3)

    def test_la_funcionaria_responde_el_caso_y_la_leccion_queda_completada(self):
        from playwright.sync_api import sync_playwright

        errores: list[str] = []
        with sync_playwright() as p:
            navegador = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                contexto = navegador.new_context(viewport={"width": 360, "height": 780})
                contexto.add_cookies(
                    [
                        {
                            "name": "sessionid",
                            "value": self.sesion,
                            "domain": DOMINIO_A,
                            "path": "/",
                        }
                    ]
                )
                pagina = contexto.new_page()
                pagina.on("pageerror", lambda e: errores.append(str(e)))
                pagina.goto(self.base + self.url_leccion)
                marco = pagina.frame_locator("iframe.h5p-iframe")
                estado = pagina.locator("[data-h5p-estado]")

                # Primero la respuesta equivocada: se registra, pero no aprueba.
                marco.get_by_role("button", name="Verdadero").click(timeout=20_000)
                pagina.wait_for_function("window.CapacitaH5P.enviadas === 1")
                self.assertIn("Necesita 70 %", estado.inner_text())

                marco.get_by_role("button", name="Intentar de nuevo").click()
                marco.get_by_role("button", name="Falso").click()
                pagina.wait_for_function("window.CapacitaH5P.enviadas === 2")
                self.assertIn("aprobada", estado.inner_text())
                retro = marco.locator("[role=status]").inner_text()
                self.assertIn("Respuesta correcta", retro)
            finally:
                navegador.close()

        self.assertEqual(errores, [])
        with tenant_context(self.tenant):
            puntajes = ResultadoH5P.objects.filter(usuario=self.usuario).values_list(
                "puntaje_escalado", flat=True
            )
            self.assertEqual(sorted(float(x) for x in puntajes), [0.0, 1.0])
            self.assertTrue(
                LeccionCompletada.objects.filter(
                    inscripcion__usuario=self.usuario, leccion=self.leccion
                ).exists()
            )
        connection.set_schema_to_public()
