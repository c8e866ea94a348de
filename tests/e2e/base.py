"""Montaje común de las pruebas de navegador.

Levanta ``runserver`` (settings de desarrollo: sirve estáticos y media) en un
subproceso contra la base de pruebas de pytest. El servidor solo ve datos
confirmados, así que estas clases no usan la transacción que se revierte: cada prueba
crea con commit lo que necesita y lo borra al terminar. Se omiten, diciendo por qué,
si falta Chromium (/usr/bin/chromium), Playwright o el reproductor H5P (``make h5p``).
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
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client, TransactionTestCase
from django_tenants.utils import schema_context

from tests.base import DOMINIO_A

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


def runserver_levantar(
    prueba,
    *,
    media: Path,
    bitacora: Path,
    entorno_extra: dict[str, str] | None = None,
) -> int:
    """Inicia ``manage.py runserver`` (settings de desarrollo, sin broker) contra la
    base de pruebas en un puerto libre, espera a que responda y lo detiene al terminar
    la prueba. Devuelve el puerto; si el servidor muere, la prueba falla con su
    salida."""
    puerto = _puerto_libre()
    entorno = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": _url_bd(),
        "MEDIA_ROOT": str(media),
        "CAPACITA_PUERTO": str(puerto),
        "CELERY_BROKER_URL": "",
        "DB_CONN_MAX_AGE": "0",
        **(entorno_extra or {}),
    }
    salida = bitacora.open("w")
    prueba.addCleanup(salida.close)
    proceso = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{puerto}"]
        + ["--noreload"],
        cwd=settings.BASE_DIR,
        env=entorno,
        stdout=salida,
        stderr=subprocess.STDOUT,
    )
    prueba.addCleanup(proceso.wait, 15)
    prueba.addCleanup(proceso.terminate)
    limite = time.monotonic() + 60
    while True:
        if proceso.poll() is not None:
            prueba.fail(bitacora.read_text()[-3000:])
        try:
            socket.create_connection(("127.0.0.1", puerto), timeout=1).close()
            return puerto
        except OSError:
            if time.monotonic() > limite:
                prueba.fail("runserver no respondió en 60 s")
            time.sleep(0.3)


def sesion_para(usuario, dominio: str) -> str:
    """Cookie de sesión de ``usuario`` en el schema activo (tenant o public)."""
    cliente = Client(HTTP_HOST=dominio)
    cliente.force_login(usuario)
    return cliente.cookies["sessionid"].value


def cuentas_publicas_borrar(usernames: list[str]) -> None:
    """Borra cuentas del schema public con SQL: el borrado en cascada del ORM
    consultaría tablas que solo existen en los tenants (resultados H5P…)."""
    with schema_context("public"), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM auth_user_groups WHERE user_id IN "
            "(SELECT id FROM auth_user WHERE username = ANY(%s))",
            [usernames],
        )
        cursor.execute("DELETE FROM auth_user WHERE username = ANY(%s)", [usernames])


@contextmanager
def grupo_publico_conservado(nombre: str):
    """Deja el grupo ``nombre`` de public como estaba: sin los permisos que se le
    agreguen dentro del bloque, o sin el grupo si no existía."""
    from django.contrib.auth.models import Group

    with schema_context("public"):
        grupo = Group.objects.filter(name=nombre).first()
        antes = set(grupo.permissions.values_list("pk", flat=True)) if grupo else None
    try:
        yield
    finally:
        with schema_context("public"), connection.cursor() as cursor:
            if antes is None:
                cursor.execute(
                    "DELETE FROM auth_group_permissions WHERE group_id IN "
                    "(SELECT id FROM auth_group WHERE name = %s)",
                    [nombre],
                )
                cursor.execute(
                    "DELETE FROM auth_user_groups WHERE group_id IN "
                    "(SELECT id FROM auth_group WHERE name = %s)",
                    [nombre],
                )
                cursor.execute("DELETE FROM auth_group WHERE name = %s", [nombre])
            else:
                cursor.execute(
                    "DELETE FROM auth_group_permissions WHERE group_id = %s "
                    "AND NOT permission_id = ANY(%s)",
                    [grupo.pk, list(antes)],
                )


@unittest.skipIf(_falta(), _falta() or "")
class NavegadorTestCase(TransactionTestCase):
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

    def _levantar_servidor(self, entorno_extra: dict[str, str] | None = None) -> str:
        """Inicia runserver y devuelve la URL del tenant alfa; el puerto queda en
        ``self.puerto``. ``entorno_extra`` reemplaza variables (p. ej. el broker)."""
        self.puerto = runserver_levantar(
            self,
            media=self.media,
            bitacora=self.caja / "runserver.log",
            entorno_extra=entorno_extra,
        )
        return f"http://{DOMINIO_A}:{self.puerto}"

    @contextmanager
    def navegador(self):
        """Un Chromium sin interfaz; cada actor abre su propio contexto."""
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            navegador = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                yield navegador
            finally:
                navegador.close()

    @staticmethod
    def clic(localizador) -> None:
        """Clic de persona: primero se desplaza hasta el elemento y espera un poco.

        Con el iframe aislado de un paquete H5P (otro proceso en Chromium), un clic
        que Playwright da en el mismo instante en que desplazó la página se enruta con
        la geometría de antes del desplazamiento y cae en el iframe, no en el botón.
        """
        localizador.scroll_into_view_if_needed()
        localizador.page.wait_for_timeout(300)
        localizador.click()

    @contextmanager
    def pagina_movil(self, sesion: str, errores: list[str]):
        """Una página de Chromium a 360 px con la sesión dada, en el tenant alfa.

        Los errores de JavaScript de la página se acumulan en ``errores``.
        """
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            navegador = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                contexto = navegador.new_context(viewport={"width": 360, "height": 780})
                contexto.add_cookies(
                    [
                        {
                            "name": "sessionid",
                            "value": sesion,
                            "domain": DOMINIO_A,
                            "path": "/",
                        }
                    ]
                )
                pagina = contexto.new_page()
                pagina.on("pageerror", lambda e: errores.append(str(e)))
                yield pagina
            finally:
                navegador.close()
