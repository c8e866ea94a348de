"""API para RR. HH.: upsert de 1.000 personas y una página de avance de 100 filas.

Uso (con una base de demo o de benchmark, nunca la de pruebas):
    DATABASE_URL=... .venv/bin/python tests/bench/bench_api.py

Crea una sola vez (si ya existe la reutiliza) el tenant `bench_api`
(bench-api.localhost) con una institución de 20 unidades y un token de escritura.
Luego, con django.test.Client dentro del proceso y DEBUG=False:

1. POST /api/v1/personas/ con 1.000 personas nuevas (RUT al azar), otra vez con el
   mismo cuerpo (nada cambia) y otra con apellido y cargo cambiados en todas. Se
   mide cada solicitud entera.
2. Inscribe a esas personas en un curso y completa lecciones al azar (preparación,
   por los servicios y sin medir), y pide GET /api/v1/avance/?page=N (100 filas):
   10 de calentamiento y 100 medidas en páginas al azar. Imprime p50 y p95 y las
   consultas SQL de una página.

Metas del issue 15: upsert de 1.000 personas ≤ 2 s; página de avance p95 ≤ 100 ms.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from cursos.api.models import TokenAPI  # noqa: E402
from cursos.api.tokens import token_crear  # noqa: E402
from cursos.models import (  # noqa: E402
    CursoPage,
    Inscripcion,
    Institucion,
    LeccionCompletada,
    LeccionPage,
    Perfil,
    Unidad,
)
from lib.rut import dv_calcular  # noqa: E402
from tenants.models import Tenant  # noqa: E402
from tenants.services import tenant_crear, usuario_asegurar  # noqa: E402

SCHEMA = "bench_api"
DOMINIO = "bench-api.localhost"
N_PERSONAS = 1000
CALENTAMIENTO = 10
REPETICIONES = 100
METAS = {"upsert_s": 2.0, "avance_p95_ms": 100.0}


def tenant_asegurar() -> Tenant:
    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
    if tenant is None:
        inicio = time.perf_counter()
        tenant = tenant_crear(
            schema_name=SCHEMA,
            dominio=DOMINIO,
            grupo=Tenant.Grupo.OTRO,
            nombre="Bench API",
        )
        print(f"tenant {SCHEMA} creado en {time.perf_counter() - inicio:.1f} s")
    return tenant


def preparar() -> tuple[str, list[int]]:
    """Institución, unidades y un token nuevo (el secreto solo existe al crearlo)."""
    from tenants.roles import Rol

    institucion, _c = Institucion.objects.get_or_create(
        nombre="Institución bench", defaults={"sigla": "IB"}
    )
    unidades = [
        Unidad.objects.get_or_create(institucion=institucion, nombre=f"Unidad {n}")[0]
        for n in range(20)
    ]
    encargada = usuario_asegurar(
        username="encargada-bench", password="clave-bench-123", rol=Rol.ENCARGADO
    )
    _token, secreto = token_crear(
        nombre=f"bench {time.time():.0f}",
        institucion=institucion,
        alcance=TokenAPI.Alcance.ESCRITURA,
        creado_por=encargada,
    )
    return secreto, [u.pk for u in unidades]


def lote(unidades: list[int], semilla: int) -> dict:
    azar = random.Random(semilla)
    cuerpos = azar.sample(range(5_000_000, 30_000_000), N_PERSONAS)
    return {
        "personas": [
            {
                "rut": f"{c}-{dv_calcular(str(c))}",
                "nombres": f"Nombre{i}",
                "apellidos": f"Apellido{i} Bench",
                "correo": f"persona{c}@bench.cl",
                "sexo": azar.choice(["F", "M", ""]),
                "unidad_id": azar.choice(unidades),
                "cargo": "Funcionario/a",
            }
            for i, c in enumerate(cuerpos)
        ]
    }


def calentar(cliente: Client, secreto: str) -> None:
    """La primera solicitud del proceso importa DRF y compila plantillas (≈0,7 s):
    eso no es el costo de un upsert, así que se paga antes de medir."""
    extra = {"HTTP_AUTHORIZATION": f"Bearer {secreto}"}
    cliente.get("/api/v1/unidades/", **extra)
    cliente.post("/api/v1/personas/", '{"personas": []}', "application/json", **extra)


def upsert(cliente: Client, secreto: str, cuerpo: dict) -> tuple[float, dict]:
    datos = json.dumps(cuerpo)
    cpu = time.process_time()
    inicio = time.perf_counter()
    r = cliente.post(
        "/api/v1/personas/",
        datos,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secreto}",
    )
    segundos = time.perf_counter() - inicio
    assert r.status_code == 200, r.content[:500]
    datos = r.json()
    datos["cpu"] = time.process_time() - cpu
    return segundos, datos


def avance_preparar(semilla: int) -> int:
    """Inscribe a todas las personas del bench en un curso con lecciones."""
    from cursos.services import inscripcion_crear

    curso = next(
        c
        for c in CursoPage.objects.live().order_by("pk")
        if LeccionPage.objects.live().child_of(c).exists()
        and not c.prerrequisitos.exists()
    )
    lecciones = list(LeccionPage.objects.live().child_of(curso))
    azar = random.Random(semilla)
    perfiles = Perfil.objects.filter(institucion__nombre="Institución bench")
    for perfil in perfiles.select_related("usuario"):
        inscripcion, creada = inscripcion_crear(usuario=perfil.usuario, curso=curso)
        if creada:
            hechas = azar.sample(lecciones, azar.randint(0, len(lecciones)))
            LeccionCompletada.objects.bulk_create(
                [LeccionCompletada(inscripcion=inscripcion, leccion=x) for x in hechas],
                ignore_conflicts=True,
            )
    return Inscripcion.objects.filter(
        usuario__perfil__institucion__nombre="Institución bench"
    ).count()


def percentil(valores: list[float], p: int) -> float:
    return statistics.quantiles(valores, n=100, method="inclusive")[p - 1]


def avance_medir(cliente: Client, secreto: str, paginas: int) -> dict:
    azar = random.Random(7)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {secreto}"}
    tiempos = []
    for n in range(CALENTAMIENTO + REPETICIONES):
        pagina = azar.randint(1, paginas)
        inicio = time.perf_counter()
        r = cliente.get("/api/v1/avance/", {"page": pagina, "page_size": 100}, **extra)
        ms = (time.perf_counter() - inicio) * 1000
        assert r.status_code == 200, r.content[:300]
        assert len(r.json()["results"]) == 100 or pagina == paginas
        if n >= CALENTAMIENTO:
            tiempos.append(ms)
    with CaptureQueriesContext(connection) as consultas:
        cliente.get("/api/v1/avance/", {"page": 2, "page_size": 100}, **extra)
    return {
        "p50": percentil(tiempos, 50),
        "p95": percentil(tiempos, 95),
        "consultas": len(consultas.captured_queries),
    }


def main() -> None:
    settings.DEBUG = False
    # Un límite holgado: el bench mide la API, no el limitador.
    settings.API_LIMITE = "100000/min"
    print(f"carga del sistema (1, 5, 15 min): {os.getloadavg()}")
    tenant = tenant_asegurar()
    cliente = Client(HTTP_HOST=DOMINIO)
    with tenant_context(tenant):
        secreto, unidades = preparar()
    calentar(cliente, secreto)
    semilla = int(time.time())  # RUT nuevos en cada corrida: la primera crea
    cuerpo = lote(unidades, semilla)
    crear, r1 = upsert(cliente, secreto, cuerpo)
    repetir, r2 = upsert(cliente, secreto, cuerpo)
    for persona in cuerpo["personas"]:
        persona["cargo"] = "Cargo nuevo"
        persona["apellidos"] += " Cambiado"
    cambiar, r3 = upsert(cliente, secreto, cuerpo)
    print(
        f"upsert 1.000 personas (meta ≤ {METAS['upsert_s']} s): "
        f"crear {crear:.2f} s ({r1['creadas']} creadas; CPU de Python "
        f"{r1['cpu']:.2f} s), repetir sin cambios {repetir:.2f} s "
        f"(CPU {r2['cpu']:.2f} s), cambiar todas {cambiar:.2f} s "
        f"({r3['actualizadas']} actualizadas; CPU {r3['cpu']:.2f} s)"
    )
    with tenant_context(tenant):
        total = avance_preparar(semilla)
    paginas = max(1, total // 100)
    resultado = avance_medir(cliente, secreto, paginas)
    print(
        f"avance ({total} inscripciones, {paginas} páginas de 100): "
        f"p50 {resultado['p50']:.1f} ms, p95 {resultado['p95']:.1f} ms, "
        f"{resultado['consultas']} consultas "
        f"(meta p95 ≤ {METAS['avance_p95_ms']} ms)"
    )
    print(f"carga del sistema al terminar: {os.getloadavg()}")


if __name__ == "__main__":
    main()
