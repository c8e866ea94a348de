"""Tiempo de creación de un tenant: clonando la plantilla contra migrando desde cero.

Uso (con la base de la demo, no la de pruebas):
    DATABASE_URL=... .venv/bin/python tests/bench/bench_tenant_crear.py [repeticiones]

Crea y borra tenants `bench_clon_N` y `bench_migra_N`; imprime la mediana de cada vía.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from tenants.models import Tenant  # noqa: E402
from tenants.services import (  # noqa: E402
    plantilla_asegurar,
    tenant_crear,
    tenant_eliminar,
)


def medir(clonar: bool, n: int) -> list[float]:
    tiempos = []
    via = "clon" if clonar else "migra"
    for i in range(n):
        schema = f"bench_{via}_{i}"
        tenant_eliminar(schema_name=schema)
        inicio = time.perf_counter()
        tenant_crear(
            schema_name=schema,
            nombre=f"Bench {via} {i}",
            grupo=Tenant.Grupo.OTRO,
            dominio=f"bench-{via}-{i}.localhost",
            clonar=clonar,
        )
        tiempos.append(time.perf_counter() - inicio)
        tenant_eliminar(schema_name=schema)
    return tiempos


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    plantilla_asegurar()
    for clonar in (True, False):
        tiempos = medir(clonar, n)
        nombre = "clonando plantilla" if clonar else "migrando desde cero"
        detalle = ", ".join(f"{t:.2f}" for t in tiempos)
        print(f"{nombre}: mediana {statistics.median(tiempos):.2f} s ({detalle})")


if __name__ == "__main__":
    main()
