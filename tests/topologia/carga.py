"""Carga con locust contra la topología y lectura de sus resultados y de la CPU."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fallas.procesos import RAIZ

LOCUSTFILE = Path(__file__).parent.parent / "bench" / "locustfile.py"


def atendidas(topologia, nodo: int) -> int:
    """Peticiones que atendió un nodo según su log de acceso (sin los /salud/)."""
    acceso = topologia.directorio / "logs" / f"web{nodo + 1}.acc"
    if not acceso.exists():
        return 0
    with acceso.open(encoding="utf-8", errors="replace") as archivo:
        return sum(1 for linea in archivo if "/salud/" not in linea)


def locust_lanzar(topologia, carpeta: Path, *, usuarios: int, segundos: int):
    datos = carpeta / "datos.json"
    datos.write_text(json.dumps(topologia.datos), encoding="utf-8")
    env = {
        **os.environ,
        "BENCH_DATOS": str(datos),
        "BENCH_ESPERA": "0",
        # El quiz abre el intento en vez de enviarlo (ver tests/bench/locustfile.py).
        "BENCH_QUIZ": "abrir",
        "PYTHONPATH": str(RAIZ),
    }
    prefijo = carpeta / "locust"
    proceso = subprocess.Popen(
        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
        + ["--host", topologia.url, "-u", str(usuarios), "-r", str(usuarios)]
        + ["--run-time", f"{segundos}s", "--csv", str(prefijo), "--only-summary"]
        + ["--loglevel", "WARNING", "--stop-timeout", "5"],
        cwd=RAIZ,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(carpeta / "locust.log").open("wb"),
    )
    return proceso, prefijo


def locust_resultado(prefijo: Path) -> dict:
    with open(f"{prefijo}_stats.csv", encoding="utf-8") as archivo:
        for fila in csv.DictReader(archivo):
            if fila["Name"] == "Aggregated":
                return {
                    "peticiones": int(fila["Request Count"]),
                    "fallas": int(fila["Failure Count"]),
                    "rps": float(fila["Requests/s"]),
                    "p50_ms": float(fila["50%"] or 0),
                    "p95_ms": float(fila["95%"] or 0),
                }
    raise AssertionError("locust no dejó la fila Aggregated")
