"""Carga con locust contra gunicorn y los ajustes de producción (issue 7, punto 2).

Uso, en un solo comando (repetible en una máquina tranquila):
    .venv/bin/python tests/bench/bench_carga.py [--workers 4] [--pasos 10,20,40,80]
        [--duracion 40] [--aprendices 300] [--espera 3-10] [--solo-preparar]

Con DATABASE_URL (por defecto postgres://postgres@127.0.0.1:5432/capacita_h7l, una base
dedicada, nunca la de pruebas):
1. migra el schema public, corre collectstatic (manifiesto de whitenoise) y prepara,
   si falta, el tenant `bench_carga` (bench-carga.localhost): el curso «¿Qué es la
   trata?» con sus lecciones, N personas inscritas con sesión iniciada, una evaluación
   de 4 preguntas y 50 certificados en el registro público;
2. levanta gunicorn con config.settings.production (SECRET_KEY, ALLOWED_HOSTS,
   SECURE_SSL_REDIRECT=0, …) en un puerto libre de 127.0.0.1;
3. corre locust sin interfaz con tráfico mixto (tests/bench/locustfile.py): una
   escalera sin tiempo de espera (req/s, p50, p95 y el codo) y luego N aprendices
   con tiempo de lectura (deben ser 0 errores).

Imprime una tabla con la carga de la máquina (uptime) junto a cada cifra y la guarda
en .data/bench/carga-<fecha>.json. Metas: ≥ 80 req/s con p95 ≤ 500 ms sin espera, y
0 errores con 300 aprendices con espera.

La verificación pública limita consultas por IP; todo el tráfico sale de 127.0.0.1,
así que el límite se sube solo para el benchmark (CERTIFICADOS_VERIFICACION_LIMITE).
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
PY = sys.executable
SALIDA = RAIZ / ".data" / "bench"
SCHEMA = "bench_carga"
HOST_TENANT = "bench-carga.localhost"
HOST_PUBLICO = "localhost"
CLAVE = "clave-bench-carga-123"
N_CERTIFICADOS = 50
METAS = {"rps": 80.0, "p95_ms": 500.0}


def entorno_produccion(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        # Fija: las sesiones preparadas van firmadas con ella (solo para el benchmark).
        "SECRET_KEY": "bench-carga-clave-secreta-solo-para-medir-0123456789",
        "ALLOWED_HOSTS": f".localhost,{HOST_PUBLICO},127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "http://localhost,http://*.localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CAPACITA_DOMINIO": HOST_PUBLICO,
        "CAPACITA_PUERTO": "",
        "CERTIFICADOS_CLAVE_ED25519": base64.urlsafe_b64encode(b"b" * 32).decode(),
        "CERTIFICADOS_VERIFICACION_LIMITE": "100000000",
        "INDICADORES_CLAVE_PERSONA": "bench-carga-clave-persona-0123456789abcdef",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
        # Sin broker: las tareas (ninguna en este tráfico) correrían en el proceso.
        "CELERY_BROKER_URL": "",
    }
    return env


def carga_maquina() -> dict:
    uno, cinco, quince = os.getloadavg()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return {"load1": uno, "load5": cinco, "load15": quince, "uptime": uptime}


def _cpu_s(pid: int) -> float:
    """Segundos de CPU (usuario + sistema) de un proceso, desde /proc."""
    try:
        campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")


def cpu_servidor(gunicorn_pid: int, database_url: str) -> dict[int, float]:
    """CPU acumulada de gunicorn (maestro y workers) y de los backends de PostgreSQL
    de esta base. Restando dos lecturas se obtiene el costo de CPU por petición, una
    cifra que casi no depende de lo que hagan los demás procesos de la máquina."""
    from deploy.topologia import backends_pids

    hijos = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(gunicorn_pid)],
        capture_output=True,
        text=True,
    ).stdout.split()
    pids = [gunicorn_pid, *(int(x) for x in hijos), *backends_pids(database_url)]
    return {pid: _cpu_s(pid) for pid in pids}


def cpu_delta(antes: dict[int, float], despues: dict[int, float]) -> float:
    return sum(v - antes.get(pid, 0.0) for pid, v in despues.items())


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=RAIZ, env=env, check=True)


# ------------------------------------------------------------------ preparación


def preparar(env: dict[str, str], n_aprendices: int) -> Path:
    """Migra, junta los estáticos y crea los datos (idempotente). Devuelve el JSON."""
    manage(env, "migrate_schemas", "--shared", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    # Los datos se crean en un subproceso con el mismo entorno de producción.
    salida = SALIDA / "datos.json"
    salida.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [PY, __file__, "--_datos", str(salida), "--aprendices", str(n_aprendices)],
        cwd=RAIZ,
        env=env,
        check=True,
    )
    return salida


def _datos_crear(salida: Path, n_aprendices: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django_tenants.utils import tenant_context

    from tenants.models import Domain, Tenant
    from tenants.services import tenant_crear

    connection.set_schema_to_public()
    publico, _ = Tenant.objects.get_or_create(
        schema_name="public", defaults={"nombre": "MITP", "grupo": Tenant.Grupo.MITP}
    )
    Domain.objects.get_or_create(domain=HOST_PUBLICO, defaults={"tenant": publico})
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
    if tenant is None:
        inicio = time.perf_counter()
        tenant = tenant_crear(
            schema_name=SCHEMA,
            nombre="Bench carga",
            grupo=Tenant.Grupo.POLICIAS,
            dominio=HOST_TENANT,
        )
        print(f"tenant {SCHEMA} creado en {time.perf_counter() - inicio:.0f} s")
    with tenant_context(tenant):
        datos = _datos_tenant(n_aprendices)
    datos.update(host_tenant=HOST_TENANT, host_publico=HOST_PUBLICO)
    salida.write_text(json.dumps(datos), encoding="utf-8")


def _datos_tenant(n_aprendices: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from certificados.services import certificado_emitir
    from cursos.models import CursoPage, Inscripcion, LeccionPage
    from cursos.services import inscripcion_crear
    from evaluaciones.models import Evaluacion
    from tenants.roles import Rol
    from tenants.services import usuario_asegurar
    from tests.evaluaciones.factories import (
        CategoriaFactory,
        banco_crear,
        evaluacion_crear,
    )
    from verificacion.models import RegistroCertificado

    User = get_user_model()
    curso = CursoPage.objects.get(slug="que-es-la-trata")
    lecciones = list(LeccionPage.objects.live().child_of(curso).order_by("path"))
    with transaction.atomic():
        evaluacion = Evaluacion.objects.filter(titulo="Quiz de carga").first()
        if evaluacion is None:
            categoria = CategoriaFactory(nombre="Carga")
            banco_crear(categoria)
            evaluacion = evaluacion_crear(
                reglas=[(categoria, 4)], titulo="Quiz de carga", intentos_max=30000
            )
        existentes = User.objects.filter(username__startswith="carga_").count()
        for i in range(existentes, n_aprendices):
            usuario = usuario_asegurar(
                username=f"carga_{i:04d}",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Funcionaria",
                last_name=f"{i:04d}",
            )
            inscripcion_crear(usuario=usuario, curso=curso)
    usuarios = list(User.objects.filter(username__startswith="carga_").order_by("pk"))
    # Una sesión iniciada por persona, como la deja el ingreso (auth.login).
    Session.objects.all().delete()
    sesiones = []
    for usuario in usuarios:
        sesion = SessionStore()
        sesion["_auth_user_id"] = str(usuario.pk)
        sesion["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
        sesion["_auth_user_hash"] = usuario.get_session_auth_hash()
        sesion.create()
        sesiones.append(sesion.session_key)
    # Certificados en el registro público para la verificación.
    for inscripcion in Inscripcion.objects.filter(curso=curso).order_by("pk")[
        :N_CERTIFICADOS
    ]:
        if inscripcion.completado_at is None:
            Inscripcion.objects.filter(pk=inscripcion.pk).update(
                completado_at=timezone.now()
            )
        certificado_emitir(inscripcion_id=inscripcion.pk)
    codigos = list(
        RegistroCertificado.objects.filter(tenant__schema_name=SCHEMA).values_list(
            "codigo", flat=True
        )
    )
    return {
        "lecciones": [leccion.url for leccion in lecciones],
        "evaluacion": evaluacion.pk,
        "respuestas": {},
        "sesiones": sesiones,
        "codigos": codigos,
    }


# ------------------------------------------------------------------ medición


def gunicorn_iniciar(env: dict[str, str], puerto: int, workers: int, log: Path):
    proceso = subprocess.Popen(
        [PY, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{puerto}"]
        + ["-w", str(workers), "--timeout", "60", "--access-logfile", "-"]
        + ["--access-logformat", "%(s)s %(M)sms %(U)s"],
        cwd=RAIZ,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    import urllib.request

    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        try:
            pedido = urllib.request.Request(
                f"http://127.0.0.1:{puerto}/verificar/", headers={"Host": HOST_PUBLICO}
            )
            with urllib.request.urlopen(pedido, timeout=5) as r:
                if r.status == 200:
                    return proceso
        except OSError:
            time.sleep(0.5)
    proceso.terminate()
    raise SystemExit(f"gunicorn no respondió; ver {log}")


def locust_correr(
    puerto: int, datos: Path, usuarios: int, duracion: int, espera: str, prefijo: Path
) -> dict:
    env = {**os.environ, "BENCH_DATOS": str(datos), "BENCH_ESPERA": espera}
    tasa = usuarios if espera == "0" else max(10, usuarios // 10)
    subprocess.run(
        [PY, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py"))]
        + ["--headless", "--host", f"http://127.0.0.1:{puerto}"]
        + ["-u", str(usuarios), "-r", str(tasa), "--run-time", f"{duracion}s"]
        + ["--reset-stats", "--csv", str(prefijo), "--only-summary"]
        + ["--loglevel", "WARNING", "--stop-timeout", "10"],
        cwd=RAIZ,
        env=env,
        check=False,  # locust sale con 1 si hubo fallas: se leen del CSV
        stdout=subprocess.DEVNULL,
        stderr=Path(f"{prefijo}.log").open("wb"),
    )
    filas = {}
    with open(f"{prefijo}_stats.csv", encoding="utf-8") as archivo:
        for fila in csv.DictReader(archivo):
            filas[fila["Name"]] = {
                "peticiones": int(fila["Request Count"]),
                "fallas": int(fila["Failure Count"]),
                "rps": float(fila["Requests/s"]),
                "p50_ms": float(fila["50%"] or 0),
                "p95_ms": float(fila["95%"] or 0),
            }
    return filas


def _atendidas(log: Path) -> int:
    """Peticiones atendidas hasta ahora, según el log de acceso de gunicorn."""
    with log.open("rb") as archivo:
        return sum(1 for linea in archivo if linea[:1].isdigit())


def codo(escalera: list[dict]) -> int | None:
    """Usuarios desde los que más concurrencia ya no da más req/s (< 10 % más)."""
    for anterior, paso in zip(escalera, escalera[1:], strict=False):
        if paso["rps"] < anterior["rps"] * 1.10:
            return anterior["usuarios"]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pasos", default="10,20,40,80")
    parser.add_argument("--duracion", type=int, default=40)
    parser.add_argument("--aprendices", type=int, default=300)
    parser.add_argument("--espera", default="3-10")
    parser.add_argument("--duracion-aprendices", type=int, default=90)
    parser.add_argument("--solo-preparar", action="store_true")
    parser.add_argument("--_datos", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._datos:
        _datos_crear(Path(args._datos), args.aprendices)
        return

    database_url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/capacita_h7l"
    )
    env = entorno_produccion(database_url)
    print(f"preparando datos en {database_url.rsplit('/', 1)[-1]} …", flush=True)
    datos = preparar(env, args.aprendices)
    if args.solo_preparar:
        return
    marca = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    carpeta = SALIDA / marca
    carpeta.mkdir(parents=True, exist_ok=True)
    puerto = puerto_libre()
    log = carpeta / "gunicorn.log"
    servidor = gunicorn_iniciar(env, puerto, args.workers, log)
    resultado: dict = {
        "fecha_utc": marca,
        "workers_gunicorn": args.workers,
        "cpus": os.cpu_count(),
        "escalera": [],
    }
    try:
        # Calentamiento: cachés de cada worker (tenant, Site, plantillas).
        locust_correr(puerto, datos, 8, 10, "0", carpeta / "calentamiento")
        for usuarios in (int(x) for x in args.pasos.split(",")):
            antes = carga_maquina()
            cpu_antes = cpu_servidor(servidor.pid, database_url)
            atendidas_antes = _atendidas(log)
            filas = locust_correr(
                puerto, datos, usuarios, args.duracion, "0", carpeta / f"u{usuarios}"
            )
            cpu = cpu_delta(cpu_antes, cpu_servidor(servidor.pid, database_url))
            total = filas["Aggregated"]
            paso = {"usuarios": usuarios, **total, "carga_antes": antes}
            atendidas = _atendidas(log) - atendidas_antes
            paso["cpu_ms_por_peticion"] = 1000 * cpu / max(1, atendidas)
            paso["carga_despues"] = carga_maquina()
            paso["por_tipo"] = {k: v for k, v in filas.items() if k != "Aggregated"}
            resultado["escalera"].append(paso)
            print(_linea(f"{usuarios} u, sin espera", paso), flush=True)
        antes = carga_maquina()
        filas = locust_correr(
            puerto,
            datos,
            args.aprendices,
            args.duracion_aprendices,
            args.espera,
            carpeta / "aprendices",
        )
        aprendices = {"usuarios": args.aprendices, "espera_s": args.espera}
        aprendices.update(filas["Aggregated"], carga_antes=antes)
        aprendices["carga_despues"] = carga_maquina()
        aprendices["por_tipo"] = {k: v for k, v in filas.items() if k != "Aggregated"}
        resultado["aprendices"] = aprendices
        linea = _linea(f"{args.aprendices} u, espera {args.espera} s", aprendices)
        print(linea, flush=True)
    finally:
        servidor.terminate()
        servidor.wait(timeout=30)
    resultado["codo_usuarios"] = codo(resultado["escalera"])
    (SALIDA / f"carga-{marca}.json").write_text(
        json.dumps(resultado, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    _resumen(resultado)


def _linea(titulo: str, r: dict) -> str:
    return (
        f"{titulo:<24}{r['rps']:>8.1f} req/s  p50 {r['p50_ms']:>6.0f} ms  "
        f"p95 {r['p95_ms']:>6.0f} ms  {r['fallas']:>4} fallas / {r['peticiones']:>6}"
        f"  carga {r['carga_antes']['load1']:.2f}→{r['carga_despues']['load1']:.2f}"
        + (
            f"  CPU {r['cpu_ms_por_peticion']:.0f} ms/pet"
            if "cpu_ms_por_peticion" in r
            else ""
        )
    )


def _resumen(r: dict) -> None:
    validos = [p for p in r["escalera"] if p["p95_ms"] <= METAS["p95_ms"]]
    mejor = max(validos, key=lambda p: p["rps"]) if validos else None
    print(f"\ncodo: {r['codo_usuarios'] or 'no alcanzado'} usuarios")
    if mejor:
        cumple = mejor["rps"] >= METAS["rps"] and mejor["fallas"] == 0
        print(
            f"sin espera: {mejor['rps']:.1f} req/s con p95 {mejor['p95_ms']:.0f} ms "
            f"({mejor['usuarios']} u) → {'cumple' if cumple else 'NO cumple'} "
            f"(meta ≥ {METAS['rps']:.0f} req/s, p95 ≤ {METAS['p95_ms']:.0f} ms)"
        )
    else:
        print("sin espera: ningún paso con p95 ≤ 500 ms → NO cumple")
    cpu = [p["cpu_ms_por_peticion"] for p in r["escalera"]]
    if cpu:
        ms = min(cpu)
        print(
            f"CPU de servidor (gunicorn + PostgreSQL) por petición: {ms:.0f} ms → "
            f"techo con {r['cpus']} núcleos libres ≈ {r['cpus'] * 1000 / ms:.0f} req/s"
        )
    a = r["aprendices"]
    print(
        f"{a['usuarios']} aprendices con espera: {a['fallas']} errores → "
        f"{'cumple' if a['fallas'] == 0 else 'NO cumple'}"
    )
    print(f"resultado en {SALIDA}/carga-{r['fecha_utc']}.json")


if __name__ == "__main__":
    main()
