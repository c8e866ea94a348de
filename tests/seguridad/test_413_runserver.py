"""Una subida enorme en el servidor de `make run` (runserver, sobre wsgiref) responde
el 413 en español, no un 500 pelado.

El middleware fijaba «Connection: close», una cabecera de salto (hop-by-hop) que
wsgiref rechaza con un AssertionError en start_response. El cliente de pruebas de
Django no pasa por wsgiref, así que solo un proceso runserver real lo muestra.
"""

from __future__ import annotations

import socket
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import TransactionTestCase

from tests.base import DOMINIO_A
from tests.e2e.base import runserver_levantar

MENSAJE_413 = "El archivo es demasiado grande"


def _pedir_crudo(puerto: int, cabeceras: str, cuerpo: bytes) -> bytes:
    """Envía la petición tal cual y devuelve la respuesta entera (hasta el cierre o
    el fin del cuerpo declarado)."""
    with socket.create_connection(("127.0.0.1", puerto), timeout=20) as s:
        s.sendall(cabeceras.encode("latin-1") + cuerpo)
        # Como un cliente que se rinde: sin esto runserver esperaría el resto del
        # cuerpo para descartarlo antes de cerrar.
        s.shutdown(socket.SHUT_WR)
        datos = b""
        while True:
            try:
                trozo = s.recv(65536)
            except TimeoutError:
                break
            if not trozo:
                break
            datos += trozo
            cabeza, _sep, resto = datos.partition(b"\r\n\r\n")
            for linea in cabeza.split(b"\r\n"):
                if linea.lower().startswith(b"content-length:"):
                    if len(resto) >= int(linea.split(b":")[1]):
                        return datos
        return datos


class Subida413RunserverTests(TransactionTestCase):
    databases = {"default"}

    def _fixture_teardown(self):
        # No vaciar la base: los tenants de la sesión se quedan (tests/conftest.py).
        pass

    def setUp(self):
        caja = Path(tempfile.mkdtemp(prefix="capacita-413-"))
        self.bitacora = caja / "runserver.log"
        self.puerto = runserver_levantar(
            self, media=caja / "media", bitacora=self.bitacora
        )

    def test_subida_enorme_en_runserver_es_413_en_espanol(self):
        declarado = settings.SUBIDA_MAX_BYTES + 1
        cabeceras = (
            "POST /encargado/nomina/ HTTP/1.1\r\n"
            f"Host: {DOMINIO_A}\r\n"
            "Content-Type: application/octet-stream\r\n"
            f"Content-Length: {declarado}\r\n\r\n"
        )
        # Se declara el cuerpo entero pero se manda solo el comienzo: el servidor
        # debe responder sin esperar el resto.
        respuesta = _pedir_crudo(self.puerto, cabeceras, b"x" * 1024)
        estado = respuesta.split(b"\r\n", 1)[0].decode()
        texto = respuesta.decode("utf-8", "replace")
        self.assertIn(" 413 ", estado, texto[:500] + self.bitacora.read_text()[-2000:])
        self.assertIn(MENSAJE_413, texto)
        self.assertIn('lang="es', texto)
        self.assertNotIn("A server error occurred", texto)
