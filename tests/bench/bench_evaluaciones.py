"""Tiempo de servidor del envío de un intento y 100 envíos simultáneos por HTTP.

Uso (con una base de benchmark, nunca la de pruebas ni la de la demo):
    createdb capacita_qb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/capacita_qb \\
        .venv/bin/python manage.py migrate_schemas -v0
    DATABASE_URL=... .venv/bin/python tests/bench/bench_evaluaciones.py [--sql]

Crea una sola vez (si ya existe lo reutiliza) el tenant `bench_quiz`
(bench-quiz.localhost) con un banco de 200 preguntas de los cuatro tipos en cuatro
categorías y una evaluación que sortea 20 (5 por categoría), y 310 usuarios. Cada
corrida borra los intentos anteriores de esa evaluación.

1. En el proceso, con django.test.Client y DEBUG=False: 10 envíos de calentamiento y
   200 medidos, cada uno sobre un intento nuevo de una persona distinta con las 20
   respuestas al azar (semilla fija). Imprime p50 y p95 en ms y las consultas SQL de un
   envío (todas con --sql).
2. Levanta gunicorn (`config.wsgi`, 4 workers, 127.0.0.1:8004, settings de dev), hace
   ingresar a 100 personas por el formulario real (cookie de sesión y token CSRF), les
   abre un intento a cada una y dispara los 100 envíos a la vez desde 100 hilos con el
   header Host bench-quiz.localhost. Imprime errores (meta: 0), p50, p95 y el total.
   Al final detiene gunicorn.

Metas del issue 4: p95 ≤ 200 ms y ≤ 20 consultas por envío; 0 errores en la ráfaga.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from evaluaciones.models import (  # noqa: E402
    Categoria,
    Evaluacion,
    Intento,
    Opcion,
    Pregunta,
    ReglaSorteo,
)
from evaluaciones.services import intento_iniciar  # noqa: E402
from tenants.models import Tenant  # noqa: E402
from tenants.services import tenant_crear  # noqa: E402

RAIZ = Path(__file__).resolve().parents[2]
SCHEMA = "bench_quiz"
DOMINIO = "bench-quiz.localhost"
CLAVE = "bench-quiz-clave-2026"
N_CATEGORIAS = 4
POR_CATEGORIA = 50
POR_REGLA = 5
CALENTAMIENTO = 10
REPETICIONES = 200
CONCURRENTES = 100
PUERTO = 8004
METAS = {"p95": 200.0, "consultas": 20}
TIPOS = ["unica", "multiple", "vf", "pareo"]
PAREJAS = ["PDI", "Carabineros", "Fiscalía", "SERMIG", "Mejor Niñez"]
TITULO = "Evaluación de benchmark"


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1)))]


def tenant_asegurar() -> Tenant:
    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
    if tenant is None:
        print(f"Creando el tenant {SCHEMA} ({DOMINIO})…")
        tenant = tenant_crear(
            schema_name=SCHEMA,
            nombre="Bench evaluaciones",
            grupo=Tenant.Grupo.OTRO,
            dominio=DOMINIO,
        )
    return tenant


def _opciones(pregunta: Pregunta, tipo: str, n: int) -> list[Opcion]:
    if tipo == "pareo":
        return [
            Opcion(
                pregunta=pregunta,
                texto=f"Término {i} de {pregunta.codigo}",
                pareja=PAREJAS[i],
                es_correcta=True,
                sort_order=i,
            )
            for i in range(4)
        ]
    if tipo == "vf":
        textos = ["Verdadero", "Falso"]
        correctas = {n % 2}
    elif tipo == "multiple":
        textos = [f"Alternativa {i}" for i in range(5)]
        correctas = {0, 2, 3}
    else:
        textos = [f"Alternativa {i}" for i in range(4)]
        correctas = {n % 4}
    return [
        Opcion(
            pregunta=pregunta,
            texto=texto,
            es_correcta=i in correctas,
            retroalimentacion=f"Comentario de la alternativa {i}",
            sort_order=i,
        )
        for i, texto in enumerate(textos)
    ]


def banco_asegurar() -> Evaluacion:
    """200 preguntas (50 por categoría, tipos alternados) y la evaluación de 20."""
    categorias = [
        Categoria.objects.get_or_create(nombre=f"Bench categoría {c + 1}")[0]
        for c in range(N_CATEGORIAS)
    ]
    if Pregunta.objects.filter(codigo__startswith="BQ-").count() < (
        N_CATEGORIAS * POR_CATEGORIA
    ):
        Pregunta.objects.filter(codigo__startswith="BQ-").delete()
        opciones = []
        for c, categoria in enumerate(categorias):
            for i in range(POR_CATEGORIA):
                n = c * POR_CATEGORIA + i
                tipo = TIPOS[n % len(TIPOS)]
                pregunta = Pregunta.objects.create(
                    categoria=categoria,
                    tipo=tipo,
                    codigo=f"BQ-{n + 1:04d}",
                    enunciado=f"Pregunta {n + 1} del benchmark ({tipo}): "
                    "¿qué corresponde hacer ante este indicador de trata?",
                    retroalimentacion="Retroalimentación general de la pregunta.",
                )
                opciones += _opciones(pregunta, tipo, n)
        Opcion.objects.bulk_create(opciones)
    evaluacion, creada = Evaluacion.objects.get_or_create(
        titulo=TITULO,
        defaults={"intentos_max": 3, "nota_aprobacion": 70, "espera_min": 0},
    )
    if creada:
        for n, categoria in enumerate(categorias):
            ReglaSorteo.objects.create(
                evaluacion=evaluacion,
                categoria=categoria,
                cantidad=POR_REGLA,
                sort_order=n,
            )
    return evaluacion


def usuarios_asegurar(n: int) -> list:
    User = get_user_model()
    nombres = [f"bench-quiz-{i:04d}" for i in range(n)]
    existentes = set(
        User.objects.filter(username__in=nombres).values_list("username", flat=True)
    )
    clave = make_password(CLAVE)
    User.objects.bulk_create(
        [
            User(username=u, password=clave, first_name="Bench", last_name=u[-4:])
            for u in nombres
            if u not in existentes
        ]
    )
    usuarios = {u.username: u for u in User.objects.filter(username__in=nombres)}
    return [usuarios[u] for u in nombres]


def formulario_azar(intento: Intento, azar: random.Random) -> dict:
    """Los campos del formulario con una respuesta al azar en cada pregunta."""
    tipos = dict(
        Pregunta.objects.filter(
            pk__in=[p["pregunta"] for p in intento.preguntas]
        ).values_list("pk", "tipo")
    )
    datos: dict = {}
    for item in intento.preguntas:
        pk, opciones = item["pregunta"], item["opciones"]
        tipo = tipos[pk]
        if tipo == "pareo":
            for opcion in opciones:
                datos[f"p{pk}_{opcion}"] = azar.choice(PAREJAS[:4])
        elif tipo == "multiple":
            elegidas = azar.sample(opciones, azar.randint(1, 3))
            datos[f"p{pk}"] = [str(o) for o in elegidas]
        else:
            datos[f"p{pk}"] = [str(azar.choice(opciones))]
    return datos


def medir_en_proceso(tenant, evaluacion, usuarios, azar, ver_sql: bool):
    settings.DEBUG = False
    tiempos: list[float] = []
    consultas = None
    for n, usuario in enumerate(usuarios):
        client = Client(HTTP_HOST=DOMINIO)
        with tenant_context(tenant):
            client.force_login(usuario)
            intento = intento_iniciar(usuario=usuario, evaluacion=evaluacion)
            datos = formulario_azar(intento, azar)
        url = f"/evaluaciones/intentos/{intento.pk}/enviar/"
        if n == CALENTAMIENTO:
            with CaptureQueriesContext(connection) as capturadas:
                response = client.post(url, datos)
            consultas = list(capturadas.captured_queries)
        else:
            inicio = time.perf_counter()
            response = client.post(url, datos)
            transcurrido = (time.perf_counter() - inicio) * 1000
            if n > CALENTAMIENTO:
                tiempos.append(transcurrido)
        destino = response.get("Location", "")
        assert response.status_code == 302 and destino.endswith("/resultado/"), (
            response.status_code,
            destino,
        )
    connection.set_schema_to_public()
    print(
        f"Envío en el proceso ({len(tiempos)} intentos nuevos, 20 preguntas): "
        f"p50 {statistics.median(tiempos):.1f} ms, "
        f"p95 {percentil(tiempos, 95):.1f} ms, máx {max(tiempos):.1f} ms "
        f"(meta p95 ≤ {METAS['p95']:.0f} ms)"
    )
    print(f"Consultas SQL de un envío: {len(consultas)} (meta ≤ {METAS['consultas']})")
    if ver_sql:
        for consulta in consultas:
            print("   ", consulta["sql"][:200])
    return tiempos, consultas


def gunicorn_levantar(log) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    proceso = subprocess.Popen(
        [
            str(RAIZ / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PUERTO}",
            "-w",
            "4",
            "--timeout",
            "120",
        ],
        cwd=RAIZ,
        env=env,
        stdout=log,
        stderr=log,
    )
    plazo = time.monotonic() + 60
    while time.monotonic() < plazo:
        try:
            requests.get(
                f"http://127.0.0.1:{PUERTO}/ingresar/",
                headers={"Host": DOMINIO},
                timeout=10,
            ).raise_for_status()
            return proceso
        except requests.RequestException:
            time.sleep(0.3)
    proceso.terminate()
    proceso.wait(timeout=30)
    raise RuntimeError("gunicorn no respondió en 60 s")


def ingresar(username: str) -> tuple[requests.Session, str]:
    """Ingreso real por el formulario: deja la cookie de sesión y el token CSRF."""
    base = f"http://127.0.0.1:{PUERTO}"
    sesion = requests.Session()
    sesion.headers["Host"] = DOMINIO
    sesion.get(f"{base}/ingresar/", timeout=60).raise_for_status()
    respuesta = sesion.post(
        f"{base}/ingresar/",
        data={
            "csrfmiddlewaretoken": sesion.cookies["csrftoken"],
            "username": username,
            "password": CLAVE,
        },
        allow_redirects=False,
        timeout=60,
    )
    assert respuesta.status_code == 302, (username, respuesta.status_code)
    return sesion, sesion.cookies["csrftoken"]


def medir_concurrencia(tenant, evaluacion, usuarios, azar) -> dict:
    log = tempfile.NamedTemporaryFile(
        prefix="bench-evaluaciones-gunicorn-", suffix=".log", delete=False
    )
    proceso = gunicorn_levantar(log)
    try:
        with ThreadPoolExecutor(8) as grupo:
            sesiones = list(grupo.map(ingresar, [u.username for u in usuarios]))
        envios = []
        with tenant_context(tenant):
            for usuario, (sesion, token) in zip(usuarios, sesiones, strict=True):
                intento = intento_iniciar(usuario=usuario, evaluacion=evaluacion)
                datos = formulario_azar(intento, azar)
                datos["csrfmiddlewaretoken"] = token
                envios.append((intento.pk, sesion, datos))
        connection.set_schema_to_public()

        barrera = threading.Barrier(len(envios))
        resultados: list[tuple[float, str]] = []
        candado = threading.Lock()

        def enviar(pk, sesion, datos):
            url = f"http://127.0.0.1:{PUERTO}/evaluaciones/intentos/{pk}/enviar/"
            barrera.wait(timeout=60)
            inicio = time.perf_counter()
            try:
                r = sesion.post(url, data=datos, allow_redirects=False, timeout=120)
                ok = r.status_code == 302 and r.headers.get("Location", "").endswith(
                    "/resultado/"
                )
                estado = "ok" if ok else f"HTTP {r.status_code}"
            except requests.RequestException as exc:
                estado = type(exc).__name__
            transcurrido = (time.perf_counter() - inicio) * 1000
            with candado:
                resultados.append((transcurrido, estado))

        hilos = [threading.Thread(target=enviar, args=e) for e in envios]
        inicio = time.perf_counter()
        for hilo in hilos:
            hilo.start()
        for hilo in hilos:
            hilo.join()
        total = time.perf_counter() - inicio
    finally:
        proceso.terminate()
        proceso.wait(timeout=30)
        log.close()

    with tenant_context(tenant):
        calificados = Intento.objects.filter(
            pk__in=[pk for pk, _s, _d in envios], estado=Intento.Estado.CALIFICADO
        ).count()
    connection.set_schema_to_public()
    tiempos = [t for t, _e in resultados]
    errores = [e for _t, e in resultados if e != "ok"]
    print(
        f"{len(envios)} envíos simultáneos a gunicorn (4 workers): "
        f"errores {len(errores)} (meta 0), calificados {calificados}/{len(envios)}, "
        f"p50 {statistics.median(tiempos):.0f} ms, "
        f"p95 {percentil(tiempos, 95):.0f} ms, máx {max(tiempos):.0f} ms, "
        f"ráfaga completa en {total:.2f} s"
    )
    if errores:
        print("   errores:", sorted(set(errores)), "· log de gunicorn:", log.name)
    else:
        os.unlink(log.name)
    return {"errores": errores, "tiempos": tiempos, "calificados": calificados}


def main() -> None:
    ver_sql = "--sql" in sys.argv
    tenant = tenant_asegurar()
    with tenant_context(tenant):
        evaluacion = banco_asegurar()
        Intento.objects.filter(evaluacion=evaluacion).delete()
        usuarios = usuarios_asegurar(CALENTAMIENTO + REPETICIONES + 1 + CONCURRENTES)
    connection.set_schema_to_public()
    azar = random.Random(2026)
    en_proceso = usuarios[: CALENTAMIENTO + REPETICIONES + 1]
    medir_en_proceso(tenant, evaluacion, en_proceso, azar, ver_sql)
    medir_concurrencia(tenant, evaluacion, usuarios[len(en_proceso) :], azar)


if __name__ == "__main__":
    main()
