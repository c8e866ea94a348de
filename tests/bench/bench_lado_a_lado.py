"""Página de lección y de curso, lado a lado con wagtail-lms (issue 17, punto 1).

Uso (pesado: unos minutos; la máquina es compartida, correrlo una vez):
    .venv/bin/python tests/bench/bench_lado_a_lado.py [--rondas 3] [--n 400] [--c 4]
        [--par-dir /tmp/capacita-par-wagtail-lms] [--perfil]

Mismo molde para ambos productos: gunicorn con 2 workers sync, DEBUG apagado, una
persona con sesión iniciada, inscrita en un curso de 20 lecciones de ~1.500
caracteres de texto enriquecido en español, ``ab -n 400 -c 4`` tras un calentamiento
de 40 peticiones. Las rondas alternan proyecto y par; cada una imprime req/s, p50,
p95, la razón (proyecto ÷ par) y ``uptime``. Al final, la mediana de las razones.

- El proyecto corre con ``config.settings.production`` (secretos de la corrida, sin
  redirección a https) contra una base **temporal** que el script crea, migra y borra
  al final (``capacita_ladoalado_<pid>``), con Redis como caché
  (``REDIS_CACHE_URL``, por defecto la base 4).
- El par se construye una vez con ``/work/shared/bench/peer_wagtail_lms.sh`` en
  ``--par-dir`` (se reutiliza si ya existe) y se levanta con su propio gunicorn.
- ``--perfil`` además perfila con cProfile, dentro del proceso, el camino WSGI
  completo (middleware incluido) de 300 peticiones a cada página, antes de medir.

Requiere ``ab`` (Debian ``apache2-utils``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PAR_SCRIPT = "/work/shared/bench/peer_wagtail_lms.sh"
SCHEMA = "ladoalado"
DOMINIO = "ladoalado.localhost"
N_LECCIONES = 20
PARRAFOS = [
    "La trata de personas es la captación, el transporte, el traslado, la acogida o "
    "la recepción de personas, recurriendo a la amenaza, al engaño o al abuso de una "
    "situación de vulnerabilidad, con fines de explotación. ",
    "En Chile está tipificada en el artículo 411 quáter del Código Penal desde la "
    "<strong>Ley N° 20.507</strong>, que también creó la figura del tráfico de "
    "migrantes y estableció medidas de protección para las víctimas. ",
    "Quien atiende público puede notar indicadores: documentos retenidos por un "
    "tercero, deudas impagables con quien trajo a la persona, jornadas sin descanso, "
    "salario distinto del prometido o la imposibilidad de salir libremente. ",
    "Ante una sospecha, la derivación oportuna a la red de protección y a la fiscalía "
    "es más importante que la certeza: no se exige reunir pruebas antes de actuar, y "
    "la entrevista debe cuidar la seguridad y la dignidad de la persona. ",
]


def cuerpo_leccion(n: int) -> str:
    texto = f"<p><strong>Lección {n}.</strong> " + "".join(PARRAFOS) + "</p>"
    texto += "<p>" + "".join(PARRAFOS[:3]) + "</p>"
    return texto


# ---------------------------------------------------------------- dentro de Django


def _django():
    sys.path.insert(0, str(RAIZ))
    import django

    django.setup()


def preparar() -> None:
    """Crea el tenant, el curso y la persona; imprime una línea JSON con las URL."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from content.models import HomePage
    from cursos.models import CursoPage, Inscripcion, LeccionPage, RutaPage
    from tenants.models import Tenant
    from tenants.services import tenant_crear

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first() or tenant_crear(
        schema_name=SCHEMA,
        dominio=DOMINIO,
        grupo=Tenant.Grupo.OTRO,
        nombre="Lado a lado",
    )
    with tenant_context(tenant):

        def publicar(padre, pagina):
            pagina = padre.add_child(instance=pagina)
            pagina.save_revision().publish()
            return pagina

        curso = CursoPage.objects.filter(clave_curriculo="lado/curso").first()
        if curso is None:
            ruta = publicar(
                HomePage.objects.get(),
                RutaPage(title="Ruta", slug="ruta", clave_curriculo="lado"),
            )
            curso = publicar(
                ruta,
                CursoPage(
                    title="Curso: trata de personas",
                    slug="curso-trata",
                    clave_curriculo="lado/curso",
                    resumen="Curso de 20 lecciones para medir.",
                    objetivos="<ul><li>Reconocer.</li><li>Derivar.</li></ul>",
                ),
            )
            for n in range(1, N_LECCIONES + 1):
                publicar(
                    curso,
                    LeccionPage(
                        title=f"Lección {n}: indicadores y derivación",
                        slug=f"leccion-{n:02d}",
                        clave_curriculo=f"lado/curso/leccion-{n:02d}",
                        cuerpo=[{"type": "texto", "value": cuerpo_leccion(n)}],
                    ),
                )
        usuario, _ = get_user_model().objects.get_or_create(username="aprendiz_lado")
        Inscripcion.objects.get_or_create(usuario=usuario, curso=curso, ciclo=1)
        leccion = LeccionPage.objects.child_of(curso).get(slug="leccion-10")
        cliente = Client(HTTP_HOST=DOMINIO)
        cliente.force_login(usuario)
        sesion = cliente.cookies["sessionid"].value
        respuesta = cliente.get(leccion.url)
        assert respuesta.status_code == 200, respuesta.status_code
        print(
            json.dumps(
                {
                    "leccion": leccion.url,
                    "curso": curso.url,
                    "sesion": sesion,
                    "caracteres": len(cuerpo_leccion(10)),
                }
            )
        )


def _app_y_pedir(url: str, sesion: str):
    """La aplicación WSGI completa (middleware incluido) y una función que la llama."""
    from wsgiref.util import setup_testing_defaults

    _django()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()

    def pedir() -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": url,
            "HTTP_HOST": DOMINIO,
            "HTTP_COOKIE": f"sessionid={sesion}",
            "SERVER_NAME": DOMINIO,
            "SERVER_PORT": "80",
        }
        setup_testing_defaults(environ)
        estado = []
        cuerpo = b"".join(app(environ, lambda s, h, *a: estado.append(s)))
        assert estado[0].startswith("200"), (estado, cuerpo[:300])
        return cuerpo

    return app, pedir


def medir_cpu(url: str, sesion: str, n: int = 400) -> dict:
    """CPU del proceso por petición (``time.process_time`` alrededor de la llamada
    WSGI), consultas SQL e idas a Redis por petición. No depende de la carga de la
    máquina como los req/s: el tiempo que el proceso espera a otros no cuenta."""
    _, pedir = _app_y_pedir(url, sesion)
    from django.db import connection
    from redis.client import Pipeline, Redis

    idas = {"redis": 0, "redis_cmd": [], "sql": 0}
    original = Redis.execute_command
    original_pipe = Pipeline.execute

    def contar(self, *args, **kwargs):
        idas["redis"] += 1
        idas["redis_cmd"].append(" ".join(str(a)[:60] for a in args[:2]))
        return original(self, *args, **kwargs)

    def contar_pipe(self, *args, **kwargs):
        idas["redis"] += 1
        idas["redis_cmd"].append("PIPELINE")
        return original_pipe(self, *args, **kwargs)

    def contar_sql(execute, sql, params, many, context):
        idas["sql"] += 1
        return execute(sql, params, many, context)

    for _ in range(40):
        pedir()
    Redis.execute_command = contar
    Pipeline.execute = contar_pipe
    try:
        with connection.execute_wrapper(contar_sql):
            pedir()
    finally:
        Redis.execute_command = original
        Pipeline.execute = original_pipe
    tiempos = []
    for _ in range(n):
        t0 = time.process_time()
        pedir()
        tiempos.append((time.process_time() - t0) * 1000)
    tiempos.sort()
    resultado = {
        "url": url,
        "cpu_ms_media": round(statistics.fmean(tiempos), 2),
        "cpu_ms_p50": round(tiempos[len(tiempos) // 2], 2),
        "sql": idas["sql"],
        "redis": idas["redis"],
        "redis_cmd": idas["redis_cmd"],
        "carga": Path("/proc/loadavg").read_text().split()[:3],
    }
    print(json.dumps(resultado, ensure_ascii=False))
    return resultado


def perfilar(url: str, sesion: str, n: int = 0) -> None:
    """cProfile sobre el WSGIHandler completo (middleware incluido), n peticiones
    (``PERFIL_N`` o 300)."""
    import cProfile
    import io
    import pstats

    n = n or int(os.environ.get("PERFIL_N", 300))
    _, pedir = _app_y_pedir(url, sesion)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(30):
        pedir()
    with CaptureQueriesContext(connection) as consultas:
        pedir()
    print(f"== {url}: {len(consultas)} consultas")
    for i, q in enumerate(consultas.captured_queries, 1):
        sql = q["sql"]
        desde = sql.find(" FROM ")
        print(f"{i:3d} {sql[:60]}…{sql[desde : desde + 200] if desde > 0 else ''}")
    inicio = time.perf_counter()
    perfil = cProfile.Profile()
    perfil.enable()
    for _ in range(n):
        pedir()
    perfil.disable()
    total = (time.perf_counter() - inicio) * 1000 / n
    salida = io.StringIO()
    pstats.Stats(perfil, stream=salida).sort_stats("cumulative").print_stats(60)
    pstats.Stats(perfil, stream=salida).sort_stats("tottime").print_stats(30)
    print(f"== perfil {url}: {total:.2f} ms por petición (con cProfile), n={n}")
    print(salida.getvalue())


# ---------------------------------------------------------------- orquestación


def puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def esperar(url: str, host: str, sesion: str, proceso) -> None:
    for _ in range(150):
        if proceso.poll() is not None:
            raise SystemExit(f"gunicorn terminó: {proceso.returncode}")
        r = subprocess.run(
            [
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                f"Host: {host}",
                "-b",
                f"sessionid={sesion}",
                url,
            ],
            capture_output=True,
            text=True,
        )
        if r.stdout == "200":
            return
        time.sleep(0.2)
    raise SystemExit(f"{url} no respondió 200 (último {r.stdout})")


def ab(url: str, host: str, sesion: str, n: int, c: int) -> dict:
    comun = ["-H", f"Host: {host}", "-C", f"sessionid={sesion}"]
    subprocess.run(
        ["ab", "-q", "-n", "40", "-c", str(c), *comun, url],
        capture_output=True,
        check=True,
    )
    csv = f"/tmp/ladoalado-{os.getpid()}.csv"
    r = subprocess.run(
        ["ab", "-n", str(n), "-c", str(c), "-e", csv, *comun, url],
        capture_output=True,
        text=True,
        check=True,
    )
    rps = float(re.search(r"Requests per second:\s+([\d.]+)", r.stdout).group(1))
    no2xx = re.search(r"Non-2xx responses:\s+(\d+)", r.stdout)
    fallas = int(re.search(r"Failed requests:\s+(\d+)", r.stdout).group(1))
    pct = {}
    for linea in Path(csv).read_text().splitlines()[1:]:
        p, ms = linea.split(",")
        pct[int(float(p))] = float(ms)
    os.unlink(csv)
    return {
        "rps": rps,
        "p50": pct[50],
        "p95": pct[95],
        "no2xx": int(no2xx.group(1)) if no2xx else 0,
        "fallas": fallas,
    }


def par_preparar(directorio: Path) -> dict:
    proj = directorio / "proj"
    if not (proj / "db.sqlite3").exists() or not (proj / "sessionid.txt").exists():
        subprocess.run(
            ["bash", PAR_SCRIPT, str(directorio)],
            check=True,
            env={**os.environ, "AB_N": "40"},
            stdout=subprocess.DEVNULL,
        )
    return {
        "leccion": (proj / "target_url.txt").read_text().strip(),
        "curso": "/curso-fotosintesis/",
        "sesion": (proj / "sessionid.txt").read_text().strip(),
        "gunicorn": str(directorio / "venv" / "bin" / "gunicorn"),
        "proj": str(proj),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rondas", type=int, default=3)
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--c", type=int, default=4)
    ap.add_argument("--par-dir", default="/tmp/capacita-par-wagtail-lms")
    ap.add_argument("--perfil", action="store_true")
    ap.add_argument("--solo-perfil", action="store_true")
    ap.add_argument(
        "--cpu",
        action="store_true",
        help="solo CPU por petición, consultas e idas a Redis (sin gunicorn ni par)",
    )
    ap.add_argument("--conservar-base", action="store_true")
    args = ap.parse_args()

    base = os.environ.get("LADO_BASE") or f"capacita_ladoalado_{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{base}",
        "REDIS_CACHE_URL": os.environ.get(
            "REDIS_CACHE_URL", "redis://127.0.0.1:6379/4"
        ),
        "CELERY_BROKER_URL": os.environ.get(
            "CELERY_BROKER_URL", "redis://127.0.0.1:6379/4"
        ),
        "SECRET_KEY": "lado-a-lado-" + "s" * 40,
        "INDICADORES_CLAVE_PERSONA": "lado-a-lado-" + "p" * 40,
        "CERTIFICADOS_CLAVE_ED25519": os.environ.get("CERTIFICADOS_CLAVE_ED25519", ""),
        "ALLOWED_HOSTS": f"{DOMINIO},.localhost,127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"http://{DOMINIO}",
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(RAIZ),
    }
    nueva = subprocess.run(
        ["createdb", "-h", "127.0.0.1", "-U", "postgres", base],
        capture_output=True,
        text=True,
    )
    procesos = []
    try:
        if nueva.returncode == 0:
            print(f"== base temporal {base}: migrando")
            subprocess.run(
                [PY, "manage.py", "migrate_schemas", "-v0"],
                cwd=RAIZ,
                env=env,
                check=True,
            )
        if not (RAIZ / "staticfiles" / "staticfiles.json").exists():
            subprocess.run(
                [PY, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=RAIZ,
                env=env,
                check=True,
            )
        prep = subprocess.run(
            [PY, __file__, "--preparar"],
            cwd=RAIZ,
            env=env,
            capture_output=True,
            text=True,
        )
        if prep.returncode:
            raise SystemExit(prep.stdout + prep.stderr)
        datos = json.loads(prep.stdout.strip().splitlines()[-1])
        print(f"== proyecto: {datos}")
        if args.cpu:
            for pagina in ("leccion", "curso"):
                subprocess.run(
                    [PY, __file__, "--medir-cpu", datos[pagina], datos["sesion"]],
                    cwd=RAIZ,
                    env=env,
                    check=True,
                )
            return
        if args.perfil or args.solo_perfil:
            for pagina in ("leccion", "curso"):
                subprocess.run(
                    [PY, __file__, "--perfilar", datos[pagina], datos["sesion"]],
                    cwd=RAIZ,
                    env=env,
                    check=True,
                )
            if args.solo_perfil:
                return
        par = par_preparar(Path(args.par_dir))
        print(f"== par: {par}")

        p_puerto, q_puerto = puerto_libre(), puerto_libre()
        comun = [
            "-w",
            "2",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            f"/tmp/ladoalado-{os.getpid()}-%s.log",
        ]
        proyecto = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--chdir",
                str(RAIZ),
                "-b",
                f"127.0.0.1:{p_puerto}",
                *comun[:-1],
                comun[-1] % "proyecto",
            ],
            env=env,
        )
        procesos.append(proyecto)
        peer_env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PYTHONPATH")
        }
        peer = subprocess.Popen(
            [
                par["gunicorn"],
                "peersite.wsgi:application",
                "--chdir",
                par["proj"],
                "-b",
                f"127.0.0.1:{q_puerto}",
                *comun[:-1],
                comun[-1] % "par",
            ],
            env=peer_env,
        )
        procesos.append(peer)
        blancos = {
            "proyecto": (f"http://127.0.0.1:{p_puerto}", DOMINIO, datos),
            "par": (f"http://127.0.0.1:{q_puerto}", "localhost", par),
        }
        for nombre, (raiz, host, d) in blancos.items():
            esperar(
                raiz + d["leccion"],
                host,
                d["sesion"],
                proyecto if nombre == "proyecto" else peer,
            )
            esperar(
                raiz + d["curso"],
                host,
                d["sesion"],
                proyecto if nombre == "proyecto" else peer,
            )

        razones: dict[str, list[float]] = {"leccion": [], "curso": []}
        for ronda in range(1, args.rondas + 1):
            for pagina in ("leccion", "curso"):
                r = {}
                for nombre in ("proyecto", "par") if ronda % 2 else ("par", "proyecto"):
                    raiz, host, d = blancos[nombre]
                    r[nombre] = ab(raiz + d[pagina], host, d["sesion"], args.n, args.c)
                razon = r["proyecto"]["rps"] / r["par"]["rps"]
                razones[pagina].append(razon)
                carga = subprocess.run(
                    ["uptime"], capture_output=True, text=True
                ).stdout.strip()
                print(
                    f"ronda {ronda} {pagina:<8} "
                    + " | ".join(
                        f"{k} {v['rps']:.1f} req/s p50 {v['p50']:.0f} ms "
                        f"p95 {v['p95']:.0f} ms"
                        + (f" NO-2XX {v['no2xx']}" if v["no2xx"] else "")
                        for k, v in r.items()
                    )
                    + f" | razón {razon:.2f} | {carga}",
                    flush=True,
                )
        for pagina, lista in razones.items():
            print(
                f"== {pagina}: mediana de la razón {statistics.median(lista):.2f} "
                f"({', '.join(f'{x:.2f}' for x in lista)})"
            )
    finally:
        for p in procesos:
            p.terminate()
        for p in procesos:
            p.wait(timeout=20)
        if nueva.returncode == 0 and not args.conservar_base:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", base]
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--preparar"]:
        preparar()
    elif sys.argv[1:2] == ["--perfilar"]:
        perfilar(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["--medir-cpu"]:
        medir_cpu(sys.argv[2], sys.argv[3])
    else:
        main()
