"""Tiempo de ``migrate_schemas --executor=multiprocessing`` con 50 tenants.

Uso: python -m tests.topologia.bench_migraciones [--molde test_capacita_topologia]
     [--tenants 50]

Copia la base molde (public, plantilla y los tenants de prueba) a una base de
borrador en el PostgreSQL de DATABASE_URL, completa hasta N tenants clonando la
plantilla (como tenant_crear, sin currículo), mide con la carga de la máquina:
1. la corrida sin migraciones pendientes (lo que cuesta cada despliegue);
2. una migración real en todos los schemas: ``content`` vuelve a 0002 y se mide el
   avance a la última (DDL y datos de permisos en cada schema);
y borra la base de borrador.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid

from tests.fallas.procesos import RAIZ


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-Atc", sql], check=True)


def _tenants_completar(n: int) -> None:
    import django

    django.setup()
    from django.db import connection

    from tenants.models import Domain, Tenant

    connection.set_schema_to_public()
    actuales = Tenant.objects.exclude(schema_name__in=["public", "plantilla"]).count()
    for i in range(actuales, n):
        tenant = Tenant(
            schema_name=f"mig_{i:03d}", nombre=f"Migración {i}", grupo="mitp"
        )
        tenant.save(verbosity=0)
        Domain.objects.create(domain=f"mig-{i:03d}.localhost", tenant=tenant)


def _medir(env: dict[str, str], *args: str) -> float:
    inicio = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--executor=multiprocessing"]
        + ["-v", "0", *args],
        cwd=RAIZ,
        env=env,
        check=True,
    )
    return time.perf_counter() - inicio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--molde", default="test_capacita_topologia")
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--_completar", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._completar:
        _tenants_completar(args._completar)
        return
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    servidor = base.rsplit("/", 1)[0]
    nombre = f"borrador_migraciones_{uuid.uuid4().hex[:8]}"
    _psql(f"{servidor}/postgres", f"CREATE DATABASE {nombre} TEMPLATE {args.molde}")
    env = {
        **os.environ,
        "DATABASE_URL": f"{servidor}/{nombre}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": str(RAIZ),
        "LOG_LEVEL": "WARNING",
    }
    try:
        inicio = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "tests.topologia.bench_migraciones"]
            + ["--_completar", str(args.tenants)],
            cwd=RAIZ,
            env=env,
            check=True,
        )
        crear = time.perf_counter() - inicio
        carga = os.getloadavg()[0]
        sin_pendientes = _medir(env)
        carga_2 = os.getloadavg()[0]
        _medir(env, "content", "0002")
        carga_3 = os.getloadavg()[0]
        con_migracion = _medir(env, "content")
        resultado = {
            "tenants": args.tenants,
            "cpus": os.cpu_count(),
            "clonar_tenants_s": round(crear, 1),
            "sin_pendientes_s": round(sin_pendientes, 1),
            "carga_antes_sin_pendientes": round(carga, 2),
            "una_migracion_content_s": round(con_migracion, 1),
            "carga_antes_una_migracion": round(carga_3, 2),
            "carga_despues": round(os.getloadavg()[0], 2),
            "carga_antes_reversa": round(carga_2, 2),
        }
        print(json.dumps(resultado, indent=2))
    finally:
        _psql(f"{servidor}/postgres", f"DROP DATABASE IF EXISTS {nombre} WITH (FORCE)")


if __name__ == "__main__":
    main()
