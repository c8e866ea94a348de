"""Capturas de los dos tableros de indicadores con Playwright y el Chromium de Debian:
el de la encargada (tenant «policias») y el de la MITP (sitio público).

Uso, sobre una base con la demo ya creada (``manage.py crear_demo``, que trae la
población de 2024-2026 y recalcula el resumen nacional):
    DATABASE_URL=postgres://…/capacita_demo \\
        .venv/bin/python tests/bench/capturas_tableros.py [--puerto 8091]

Levanta ``runserver`` (settings de desarrollo) en un subproceso, ingresa como
``encargado`` en policias.localhost y como ``coordinacion`` en localhost, guarda
docs/screenshots/tablero-encargado.png y tablero-mitp.png (página completa, 1280 px)
y detiene el servidor.

Requiere `apt-get install chromium` y `pip install playwright` (sin `playwright
install`: se usa /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

from capturas import ARGS, achicar, revisar  # noqa: E402

SALIDA = RAIZ / "docs" / "screenshots"
CLAVE = "capacita-demo-2026"
ESCRITORIO = {"width": 1280, "height": 900}


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _servidor(puerto: int) -> subprocess.Popen:
    env = {**os.environ, "CAPACITA_PUERTO": str(puerto)}
    env.pop("CELERY_BROKER_URL", None)
    proceso = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{puerto}"],
        cwd=RAIZ,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    plazo = time.monotonic() + 60
    while time.monotonic() < plazo:
        try:
            with socket.create_connection(("127.0.0.1", puerto), timeout=1):
                return proceso
        except OSError:
            time.sleep(0.3)
    proceso.terminate()
    raise SystemExit("runserver no respondió en 60 s")


def _ingresar(page, base: str, usuario: str) -> None:
    page.goto(f"{base}/ingresar/")
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()
    if "/ingresar/" in page.url:
        raise SystemExit(f"No se pudo ingresar como {usuario} en {base}")


def capturar(puerto: int) -> None:
    from playwright.sync_api import sync_playwright

    SALIDA.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for base, usuario, url, archivo in [
            (
                f"http://policias.localhost:{puerto}",
                "encargado",
                "/encargado/indicadores/",
                "tablero-encargado.png",
            ),
            (
                f"http://localhost:{puerto}",
                "coordinacion",
                "/indicadores/",
                "tablero-mitp.png",
            ),
        ]:
            contexto = navegador.new_context(
                viewport=ESCRITORIO, device_scale_factor=1, locale="es-CL"
            )
            page = contexto.new_page()
            _ingresar(page, base, usuario)
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            # El desglose por sitio se muestra abierto en la captura.
            page.evaluate(
                "() => document.querySelectorAll('details').forEach("
                "(d, i) => { d.open = true; })"
            )
            revisar(page, archivo)
            ruta = SALIDA / archivo
            page.screenshot(path=str(ruta), full_page=True)
            achicar(ruta)
            print(f"  → {ruta.relative_to(RAIZ)} ({ruta.stat().st_size / 1024:.0f} KB)")
            contexto.close()
        navegador.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--puerto", type=int, default=0)
    opciones = parser.parse_args()
    puerto = opciones.puerto or _puerto_libre()
    servidor = _servidor(puerto)
    try:
        capturar(puerto)
    finally:
        servidor.terminate()
        servidor.wait(timeout=20)


if __name__ == "__main__":
    main()
