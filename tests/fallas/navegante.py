"""Una persona que usa el sitio por HTTP real (requests), con su sesión y su CSRF."""

from __future__ import annotations

import re

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Navegante:
    def __init__(self, base: str, host: str) -> None:
        self.base = base
        self.sesion = requests.Session()
        self.sesion.headers["Host"] = host

    def _csrf(self, ruta: str) -> str:
        respuesta = self.sesion.get(self.base + ruta, timeout=30)
        coincidencia = CSRF.search(respuesta.text)
        return (
            coincidencia.group(1) if coincidencia else self.sesion.cookies["csrftoken"]
        )

    def ingresar(self, usuario: str, clave: str) -> None:
        token = self._csrf("/ingresar/")
        respuesta = self.post(
            "/ingresar/", {"username": usuario, "password": clave}, token=token
        )
        assert respuesta.status_code == 302, respuesta.text[:500]

    def post(self, ruta: str, datos: dict, *, token: str | None = None):
        token = token or self.sesion.cookies["csrftoken"]
        return self.sesion.post(
            self.base + ruta,
            data={**datos, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            timeout=60,
        )
