"""Importación de una nómina de 50.000 filas como tarea: tiempo, consultas y memoria.

Uso (con una base de demo, de benchmark o la de pruebas de la worktree; el tenant se
crea y se borra):
    DATABASE_URL=... .venv/bin/python tests/bench/bench_importacion.py [filas]

1. Crea el tenant `bench_importacion` (clonando la plantilla), una institución y 50
   unidades, y una encargada.
2. Escribe la planilla de 50.000 filas en un proceso hijo (así su memoria no cuenta).
3. La sube con ``importacion_pedir`` (lo que hace la vista) y corre la tarea de Celery
   ``capacita.content.importacion_ejecutar`` en un proceso nuevo (``apply``: el mismo
   código que un worker ``--pool=solo``, sin el broker). Mide el tiempo de la tarea,
   las consultas SQL (contadas con ``execute_wrapper``, sin guardar su texto: ese
   proceso corre con DEBUG apagado, como un worker en producción) y el pico de
   memoria residente de ese proceso (ru_maxrss, con Django cargado), también el
   pico al terminar de leer y validar, antes de escribir. Anota la carga de la
   máquina (/proc/loadavg), que es compartida.
4. Con ``--reimportar``, repite con la misma planilla (todas actualizadas).
5. Borra el tenant (DROP SCHEMA).

Metas del issue 15: ≤ 30 s como tarea, ≤ 10 consultas por 1.000 filas, RSS ≤ 200 MB.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

FILAS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 50_000
UNIDADES = 50
SCHEMA = "bench_importacion"
METAS = {"tiempo_s": 30.0, "consultas_por_mil": 10.0, "rss_mb": 200.0}


def planilla_escribir(ruta: Path, filas: int) -> None:
    """En un proceso hijo: openpyxl en modo de escritura, sin Django."""
    codigo = f"""
import sys
sys.path.insert(0, {str(RAIZ)!r})
from openpyxl import Workbook
from lib.rut import dv_calcular
libro = Workbook(write_only=True)
hoja = libro.create_sheet("Nómina")
hoja.append(["RUT", "Nombres", "Apellidos", "Correo", "Sexo", "Institución",
             "Unidad", "Cargo"])
for i in range({filas}):
    c = 10_000_000 + i * 7
    hoja.append([
        f"{{c}}-{{dv_calcular(str(c))}}", f"Nombre{{i}}", f"Apellido{{i}} Bench",
        f"persona{{c}}@bench.cl", "FM"[i % 2], "IB",
        f"Unidad {{i % {UNIDADES}}}", "Funcionario/a",
    ])
libro.save({str(ruta)!r})
"""
    subprocess.run([sys.executable, "-c", codigo], check=True)


def carga() -> str:
    """Las tres cifras de /proc/loadavg: la máquina es compartida."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django_tenants.utils import tenant_context

    from content.models import Importacion
    from content.trabajos import importacion_pedir
    from cursos.models import Institucion, Unidad
    from cursos.services.nomina import COLUMNAS
    from tenants.models import Tenant
    from tenants.roles import Rol
    from tenants.services import tenant_crear, usuario_asegurar

    ruta = Path(f"/tmp/bench-nomina-{os.getpid()}.xlsx")
    inicio = time.perf_counter()
    planilla_escribir(ruta, FILAS)
    print(
        f"planilla de {FILAS} filas: {ruta.stat().st_size / 2**20:.1f} MB "
        f"en {time.perf_counter() - inicio:.1f} s"
    )
    connection.set_schema_to_public()
    viejo = Tenant.objects.filter(schema_name=SCHEMA).first()
    if viejo is not None:
        viejo.delete(force_drop=True)
    tenant = tenant_crear(
        schema_name=SCHEMA,
        dominio="bench-importacion.localhost",
        grupo=Tenant.Grupo.OTRO,
        nombre="Bench importación",
    )
    try:
        with tenant_context(tenant):
            institucion = Institucion.objects.create(
                nombre="Institución bench", sigla="IB"
            )
            Unidad.objects.bulk_create(
                Unidad(institucion=institucion, nombre=f"Unidad {n}", region="arica")
                for n in range(UNIDADES)
            )
            encargada = usuario_asegurar(
                username="encargada-bench",
                password="clave-bench-123",
                rol=Rol.ENCARGADO,
            )
            vueltas = ["primera importación"]
            if "--reimportar" in sys.argv:
                vueltas.append("reimportación")
            for vuelta in vueltas:
                with ruta.open("rb") as archivo, transaction.atomic():
                    importacion = importacion_pedir(
                        usuario=encargada,
                        tipo="nomina",
                        funcion="cursos.services.nomina.nomina_importar",
                        archivo=archivo,
                        columnas=COLUMNAS,
                    )
                    # La tarea se encola al confirmar; aquí se corre a mano.
                    transaction.get_connection().run_on_commit.clear()
                # La tarea corre en un proceso nuevo, como un worker --pool=solo:
                # su memoria es la de Django cargado más la importación.
                salida = subprocess.run(
                    [sys.executable, __file__, "--medir", str(importacion.pk)],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                segundos, consultas, rss, rss_antes, rss_lectura = (
                    float(x) for x in salida.strip().splitlines()[-1].split()
                )
                importacion = Importacion.objects.get(pk=importacion.pk)
                r = importacion.resultado
                por_mil = consultas * 1000 / FILAS
                print(
                    f"{vuelta}: {importacion.estado}, {r.get('creadas')} creadas, "
                    f"{r.get('actualizadas')} actualizadas, {len(r.get('errores', []))}"
                    f" errores; {segundos:.1f} s; {consultas:.0f} consultas "
                    f"({por_mil:.1f} por 1.000 filas); RSS pico del proceso de la "
                    f"tarea {rss:.0f} MB (con Django cargado: {rss_antes:.0f} MB; "
                    f"al terminar de leer y validar: {rss_lectura:.0f} MB); "
                    f"carga de la máquina: {carga()}"
                )
                cumple = (
                    segundos <= METAS["tiempo_s"]
                    and por_mil <= METAS["consultas_por_mil"]
                    and rss <= METAS["rss_mb"]
                )
                print(
                    f"  metas (≤ 30 s, ≤ 10/1.000, ≤ 200 MB): {cumple and 'sí' or 'NO'}"
                )
    finally:
        connection.set_schema_to_public()
        Tenant.objects.filter(schema_name=SCHEMA).first().delete(force_drop=True)
        ruta.unlink(missing_ok=True)


def medir(importacion_id: int) -> None:
    """En el proceso hijo: corre la tarea y escribe segundos, consultas y RSS."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django_tenants.utils import tenant_context

    # Como un worker en producción: con DEBUG, Django guarda el texto de cada
    # consulta (hasta 9.000) y los INSERT de 1.000 filas inflaban el pico medido.
    settings.DEBUG = False

    from content.tasks import importacion_ejecutar_task
    from cursos.services import nomina
    from tenants.models import Tenant

    tenant = Tenant.objects.get(schema_name=SCHEMA)
    consultas = [0]

    def contar(execute, sql, params, many, context):
        consultas[0] += 1
        return execute(sql, params, many, context)

    def pico() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # El pico de la lectura y validación, antes de escribir: la escritura llama una
    # vez a personas_guardar_lote (se envuelve solo en este proceso de medición).
    rss_lectura = [0.0]
    guardar = nomina.personas_guardar_lote

    def guardar_midiendo(*args, **kwargs):
        rss_lectura[0] = pico()
        return guardar(*args, **kwargs)

    nomina.personas_guardar_lote = guardar_midiendo
    rss_antes = pico()
    with tenant_context(tenant), connection.execute_wrapper(contar):
        t0 = time.perf_counter()
        importacion_ejecutar_task.apply(args=[importacion_id]).get()
        segundos = time.perf_counter() - t0
    rss = pico()
    cifras = [segundos, consultas[0], rss, rss_antes, rss_lectura[0]]
    print(" ".join(f"{c:.2f}" for c in cifras))


if __name__ == "__main__":
    if "--medir" in sys.argv:
        medir(int(sys.argv[sys.argv.index("--medir") + 1]))
    else:
        main()
