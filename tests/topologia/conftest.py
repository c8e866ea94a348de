"""La topología de producción (deploy/topologia.py) una vez por sesión de pruebas.

La base es una copia de la de prueba en un PostgreSQL privado (tests/fallas/conftest.py)
y Redis es uno propio: nada de lo que escriben los nodos toca los servicios
compartidos ni la base de las demás pruebas.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

from deploy.topologia import Topologia
from tests.fallas.conftest import pg_privado  # noqa: F401  (fixture)
from tests.fallas.navegante import Navegante
from tests.fallas.procesos import RAIZ, RedisPrivado


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/topologia/" in item.nodeid:
            item.add_marker(pytest.mark.topologia)


class _SesionSinTLS(requests.Session):
    """Las cookies de producción son Secure; aquí nginx atiende por http (en
    producción el TLS lo termina nginx o el balanceador): el cliente las manda igual."""

    def prepare_request(self, request):
        for cookie in self.cookies:
            cookie.secure = False
        return super().prepare_request(request)


class Persona(Navegante):
    def __init__(self, base: str, host: str) -> None:
        super().__init__(base, host)
        self.sesion = _SesionSinTLS()
        self.sesion.headers["Host"] = host

    def get(self, ruta: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.sesion.get(self.base + ruta, timeout=30, **kwargs)


def ayudante(topologia: Topologia, *args: str) -> dict:
    resultado = subprocess.run(
        [sys.executable, "-m", "tests.topologia.ayudante", *args],
        cwd=RAIZ,
        env=topologia.entorno(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if resultado.returncode != 0:
        raise RuntimeError(f"ayudante {args}: {resultado.stderr[-3000:]}")
    return json.loads(resultado.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def topologia(pg_privado):  # noqa: F811
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        pytest.skip("sin nginx (apt-get install nginx-light o nginx)")
    redis = RedisPrivado()
    redis.iniciar()
    directorio = Path(tempfile.mkdtemp(prefix="capacita-topologia-"))
    topo = Topologia(directorio=directorio, nodos=2, workers=2)
    try:
        topo.preparar(
            database_url=pg_privado.base_copiar("topologia"), redis_url=redis.url
        )
        # Sin SMTP en esta máquina: los correos de certificados se descartan.
        topo.env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        # Todo el tráfico de la carga sale de 127.0.0.1 (como en tests/bench).
        topo.env["CERTIFICADOS_VERIFICACION_LIMITE"] = "100000000"
        topo.guardar()
        # Los nodos arrancan mientras el ayudante prepara los datos.
        topo.iniciar(esperar=False)
        topo.datos = ayudante(topo, "preparar")
        topo.esperar_listo()
        yield topo
    finally:
        topo.detener()
        redis.detener()
        shutil.rmtree(directorio, ignore_errors=True)


@pytest.fixture
def persona(topologia):
    return Persona(topologia.url, topologia.datos["host_tenant"])
