"""Tiempo de servidor de la página de curso y de una lección con datos de volumen.

Uso (con una base de demo o de benchmark, nunca la de pruebas):
    DATABASE_URL=... .venv/bin/python tests/bench/bench_paginas_curso.py [--sql]

Crea una sola vez (si ya existe la reutiliza) el tenant `bench_cursos`
(bench-cursos.localhost) con una ruta, un curso de 50 lecciones publicadas y 2.000
usuarios inscritos con avance al azar (semilla fija). Luego pide con
django.test.Client, como una persona inscrita, la página del curso y la lección del
medio: 10 peticiones de calentamiento y 200 medidas para cada una, con DEBUG=False.
Imprime p50 y p95 en ms y las consultas SQL de una petición (todas con --sql).

Metas del issue 3: p50 ≤ 40 ms, p95 ≤ 150 ms y ≤ 12 consultas por página.
"""

from __future__ import annotations

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
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from content.models import HomePage  # noqa: E402
from cursos.models import (  # noqa: E402
    CursoPage,
    Inscripcion,
    LeccionCompletada,
    LeccionPage,
    RutaPage,
)
from tenants.models import Tenant  # noqa: E402
from tenants.services import tenant_crear  # noqa: E402

SCHEMA = "bench_cursos"
DOMINIO = "bench-cursos.localhost"
N_LECCIONES = 50
N_USUARIOS = 2000
CALENTAMIENTO = 10
REPETICIONES = 200
METAS = {"p50": 40.0, "p95": 150.0, "consultas": 12}

# Cuerpo de lección parecido al del currículo real: texto largo, aviso, checklist, caso.
PARRAFO = (
    "<p>La trata de personas es la captación, el transporte, el traslado, la acogida "
    "o la recepción de personas, recurriendo a la amenaza, al engaño o al abuso de "
    "una situación de vulnerabilidad, con fines de explotación. En Chile está "
    "tipificada en el artículo 411 quáter del Código Penal desde la "
    "<strong>Ley N° 20.507</strong>.</p>"
)


def cuerpo_leccion(n: int) -> list[dict]:
    return [
        {
            "type": "texto",
            "value": f"<h3>Sección {n}.1</h3>"
            + PARRAFO * 3
            + "<ul><li>Acción</li><li>Medios</li><li>Fin</li></ul>",
        },
        {
            "type": "aviso",
            "value": {
                "nivel": "importante",
                "texto": "La trata no exige cruzar una frontera: puede ser interna.",
            },
        },
        {"type": "texto", "value": f"<h3>Sección {n}.2</h3>" + PARRAFO * 2},
        {
            "type": "checklist",
            "value": {
                "titulo": "Indicadores para la primera entrevista",
                "items": [
                    "¿La persona tiene sus documentos de identidad?",
                    "¿Tiene una deuda con quien la trajo o la emplea?",
                    "¿Puede salir libremente del lugar de trabajo?",
                    "¿Recibe el salario que le prometieron?",
                ],
            },
        },
        {
            "type": "caso",
            "value": {
                "titulo": f"Caso {n}: la oferta de trabajo",
                "escenario": "Un intermediario recluta trabajadores para la cosecha "
                "y les retiene la cédula «para que no se pierda».",
                "preguntas": [
                    "¿Qué acción, medios y fin identifica?",
                    "¿El papel firmado excluye la trata?",
                ],
                "comentario": "Concurren los tres elementos; el consentimiento "
                "obtenido con engaño es irrelevante.",
            },
        },
    ]


def tenant_asegurar() -> Tenant:
    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
    if tenant is None:
        inicio = time.perf_counter()
        tenant = tenant_crear(
            schema_name=SCHEMA,
            dominio=DOMINIO,
            grupo=Tenant.Grupo.OTRO,
            nombre="Bench cursos",
        )
        print(f"tenant {SCHEMA} creado en {time.perf_counter() - inicio:.1f} s")
    return tenant


def _publicar(padre, pagina):
    pagina = padre.add_child(instance=pagina)
    pagina.save_revision().publish()
    return pagina


@transaction.atomic
def curso_asegurar() -> tuple[CursoPage, list[LeccionPage]]:
    curso = CursoPage.objects.filter(clave_curriculo="bench/curso").first()
    if curso is None:
        portada = HomePage.objects.get()
        ruta = RutaPage.objects.filter(clave_curriculo="bench").first()
        if ruta is None:
            ruta = _publicar(
                portada,
                RutaPage(
                    title="Ruta de volumen",
                    slug="ruta-volumen",
                    clave_curriculo="bench",
                    descripcion="<p>Ruta sintética para medir rendimiento.</p>",
                ),
            )
        curso = _publicar(
            ruta,
            CursoPage(
                title="Curso de volumen",
                slug="curso-volumen",
                clave_curriculo="bench/curso",
                resumen="Curso sintético con 50 lecciones y 2.000 inscritos.",
                objetivos="<ul><li>Medir.</li><li>Mejorar.</li></ul>",
                horas=8,
                acciones_plan=["E1-A3.1", "E2-A2.1"],
            ),
        )
    lecciones = list(LeccionPage.objects.child_of(curso).order_by("path"))
    for n in range(len(lecciones) + 1, N_LECCIONES + 1):
        lecciones.append(
            _publicar(
                curso,
                LeccionPage(
                    title=f"Lección {n}: indicadores y derivación",
                    slug=f"leccion-{n:02d}",
                    clave_curriculo=f"bench/curso/leccion-{n:02d}",
                    minutos=10 + n % 15,
                    obligatoria=n % 10 != 0,
                    cuerpo=cuerpo_leccion(n),
                ),
            )
        )
    return curso, lecciones


@transaction.atomic
def inscritos_asegurar(curso: CursoPage, lecciones: list[LeccionPage]):
    User = get_user_model()
    existentes = set(
        User.objects.filter(username__startswith="bench_").values_list(
            "username", flat=True
        )
    )
    nombres = [f"bench_{i:04d}" for i in range(N_USUARIOS)]
    faltan = [n for n in nombres if n not in existentes]
    if faltan:
        # Clave inutilizable: make_password(None) no calcula ningún hash costoso.
        User.objects.bulk_create(
            [
                User(
                    username=n,
                    first_name="Funcionaria",
                    last_name=n[-4:],
                    password=make_password(None),
                )
                for n in faltan
            ],
            batch_size=1000,
        )
        usuarios = list(User.objects.filter(username__in=faltan).order_by("username"))
        rng = random.Random(2026)
        inscripciones = Inscripcion.objects.bulk_create(
            [Inscripcion(usuario=u, curso=curso, ciclo=1) for u in usuarios],
            batch_size=1000,
        )
        filas = []
        for inscripcion in inscripciones:
            # La persona medida (bench_0000) va en la mitad del curso.
            k = 25 if inscripcion.usuario.username == nombres[0] else rng.randint(0, 50)
            filas.extend(
                LeccionCompletada(inscripcion=inscripcion, leccion=leccion)
                for leccion in lecciones[:k]
            )
        LeccionCompletada.objects.bulk_create(filas, batch_size=5000)
        print(
            f"{len(usuarios)} usuarios, {len(inscripciones)} inscripciones y "
            f"{len(filas)} lecciones completadas creadas"
        )
    return User.objects.get(username=nombres[0])


def percentil(valores: list[float], p: int) -> float:
    return statistics.quantiles(valores, n=100, method="inclusive")[p - 1]


def medir(cliente: Client, url: str, ver_sql: bool) -> dict:
    for _ in range(CALENTAMIENTO):
        respuesta = cliente.get(url)
        assert respuesta.status_code == 200, (url, respuesta.status_code)
    tiempos = []
    for _ in range(REPETICIONES):
        inicio = time.perf_counter()
        cliente.get(url)
        tiempos.append((time.perf_counter() - inicio) * 1000)
    with CaptureQueriesContext(connection) as consultas:
        respuesta = cliente.get(url)
    assert respuesta.status_code == 200
    if ver_sql:
        print(f"\n-- {url}: {len(consultas)} consultas")
        for i, q in enumerate(consultas.captured_queries, 1):
            print(f"{i:3d} {q['time']}s {q['sql'][:220]}")
    return {
        "p50": percentil(tiempos, 50),
        "p95": percentil(tiempos, 95),
        "consultas": len(consultas),
        "bytes": len(respuesta.content),
    }


def main() -> None:
    ver_sql = "--sql" in sys.argv
    settings.DEBUG = False
    tenant = tenant_asegurar()
    with tenant_context(tenant):
        curso, lecciones = curso_asegurar()
        usuario = inscritos_asegurar(curso, lecciones)
        url_curso = curso.url
        url_leccion = lecciones[len(lecciones) // 2].url
        cliente = Client(HTTP_HOST=DOMINIO)
        cliente.force_login(usuario)
        print(
            f"{Inscripcion.objects.filter(curso=curso).count()} inscripciones, "
            f"{LeccionCompletada.objects.count()} lecciones completadas en {SCHEMA}"
        )
    resultados = {
        "curso": (url_curso, medir(cliente, url_curso, ver_sql)),
        "lección": (url_leccion, medir(cliente, url_leccion, ver_sql)),
    }
    print(
        f"\n{CALENTAMIENTO} de calentamiento + {REPETICIONES} medidas por página, "
        f"DEBUG={settings.DEBUG}"
    )
    print(f"{'página':<9}{'url':<48}{'p50 ms':>8}{'p95 ms':>8}{'SQL':>5}{'KB':>6}")
    for nombre, (url, r) in resultados.items():
        print(
            f"{nombre:<9}{url:<48}{r['p50']:>8.1f}{r['p95']:>8.1f}"
            f"{r['consultas']:>5}{r['bytes'] / 1024:>6.0f}"
        )
    print(
        f"metas: p50 ≤ {METAS['p50']:.0f} ms, p95 ≤ {METAS['p95']:.0f} ms, "
        f"≤ {METAS['consultas']} consultas"
    )
    for nombre, (_url, r) in resultados.items():
        fallas = [
            f"{k} {r[k]:.1f} > {meta:g}" for k, meta in METAS.items() if r[k] > meta
        ]
        veredicto = "NO cumple: " + ", ".join(fallas) if fallas else "cumple"
        print(f"  {nombre}: {veredicto}")


if __name__ == "__main__":
    main()
