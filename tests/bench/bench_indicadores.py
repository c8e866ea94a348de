"""Cifras de indicadores (issues 6 y 13): exportación de 100k filas, indicadores
nacionales sobre 50 tenants × 4.000 personas (con el % capacitado nacional) y p95 de
los tableros.

Uso (base propia, se crea si falta):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/capacita_ib \\
        .venv/bin/python tests/bench/bench_indicadores.py [--sin-exportacion]

``--sin-exportacion`` mide solo indicadores nacionales y tableros (≈ 1 min con los
datos ya generados; la primera vez genera 200.000 hechos y el tenant de la nómina).

La exportación se mide en subprocesos separados (uno por variante, alternados) para que
el RSS máximo de cada uno sea solo suyo: «capacita» es la exportación real
(``_nomina_filas`` + ``nomina_libro``: tipos, anchos, congelado, autofiltro) y «base»
son las mismas filas de la misma consulta escritas con openpyxl ``write_only`` pelado.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
# DEBUG=False (settings de prueba): con DEBUG la bitácora de consultas infla el RSS.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/capacita_ib")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

SCHEMA = "bench_ind"
# La exportación se mide con los settings de producción (DEBUG=False, sin extras de
# prueba), como correría en el worker.
ENTORNO_EXPORTACION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "bench-" + "x" * 60,
    "ALLOWED_HOSTS": "localhost",
}
PERSONAS = 20_000
CURSOS = 5


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def preparar() -> None:
    from indicadores.models import Hecho
    from indicadores.plan import plan_cargar
    from tenants.models import Domain, Tenant
    from tenants.roles import Rol
    from tenants.services import tenant_crear, usuario_asegurar

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    publico, _c = Tenant.objects.get_or_create(
        schema_name="public", defaults={"nombre": "MITP", "grupo": "mitp"}
    )
    Domain.objects.get_or_create(domain="localhost", defaults={"tenant": publico})
    plan_cargar()
    usuario_asegurar(username="mitp", password="x" * 12, rol=Rol.COORDINADOR_MITP)
    if Hecho.objects.values("persona").distinct().count() < 180_000:
        call_command("generar_datos_indicadores", tenants=50, personas=4000)
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
    if tenant is None:
        tenant = tenant_crear(
            schema_name=SCHEMA,
            nombre="Bench",
            grupo="policias",
            dominio="bench.localhost",
        )
    with tenant_context(tenant):
        _nomina_sembrar()
        _hechos_bench_sembrar(tenant)
        usuario_asegurar(username="enc", password="x" * 12, rol=Rol.ENCARGADO)
    connection.set_schema_to_public()


def _hechos_bench_sembrar(tenant) -> None:
    """Dotación y hechos del tenant de la nómina, para que el tablero de la encargada
    dibuje 20 unidades con datos: la mitad de sus 20.000 personas, 1 a 3 hechos cada
    una en 2026 (≈ 20.000 hechos en public, con sus unidades reales)."""
    import random
    from datetime import date, timedelta

    from django_tenants.utils import schema_context

    from cursos.models import Institucion, Perfil, Unidad
    from cursos.services.nomina import dotacion_guardar
    from indicadores.hechos import persona_clave
    from indicadores.models import Hecho
    from tenants.models import InstitucionCatalogo

    with schema_context("public"):
        if Hecho.objects.filter(tenant=tenant).exists():
            return
        carabineros = InstitucionCatalogo.objects.get(codigo="carabineros")
    Institucion.objects.filter(catalogo__isnull=True).update(catalogo=carabineros)
    unidades = list(Unidad.objects.order_by("pk"))
    for u in unidades:
        dotacion_guardar(unidad=u, anio=2026, total=1100, femenino=550, masculino=550)
    azar = random.Random(6)
    perfiles = Perfil.objects.select_related("unidad").order_by("pk")
    hechos = []
    for i, p in enumerate(perfiles.iterator(chunk_size=5000)):
        if i % 2 or p.unidad is None:
            continue
        clave = persona_clave(rut=p.rut, schema_name=SCHEMA, usuario_id=p.usuario_id)
        for k in range(azar.choice([1, 2, 3])):
            jornada = k == 1
            fecha = date(2026, 1, 1) + timedelta(days=azar.randrange(320))
            hechos.append(
                Hecho(
                    tenant=tenant,
                    tipo="jornada" if jornada else "curso",
                    origen_id=i * 10 + k,
                    persona=clave,
                    fecha=fecha,
                    institucion="Carabineros de Chile",
                    institucion_ref=f"{SCHEMA}:{p.unidad.institucion_id}",
                    catalogo_id=carabineros.pk,
                    unidad=p.unidad.nombre,
                    unidad_ref=f"{SCHEMA}:{p.unidad_id}",
                    region="metropolitana",
                    sexo=p.sexo,
                    modalidad="jornada_presencial" if jornada else "autoinstruccional",
                    actividad_ref=(
                        f"jornada:{SCHEMA}:{fecha.month}"
                        if jornada
                        else f"curso:{SCHEMA}:{k}:{fecha.year}"
                    ),
                    actividad=(
                        f"Jornada regional {fecha.month:02d}-2026"
                        if jornada
                        else f"Curso en línea {k + 1}"
                    ),
                    acciones=["E3-A1.2"] if jornada else ["E1-A2.4"],
                )
            )
    with schema_context("public"):
        Hecho.objects.bulk_create(hechos, batch_size=5000)


def _nomina_sembrar() -> None:
    from django.contrib.auth import get_user_model

    from cursos.models import CursoPage, Inscripcion, Institucion, Perfil, Unidad
    from lib.rut import dv_calcular

    if Inscripcion.objects.count() >= PERSONAS * CURSOS:
        return
    User = get_user_model()
    inst, _c = Institucion.objects.get_or_create(nombre="Carabineros de Chile")
    unidades = [
        Unidad.objects.get_or_create(institucion=inst, nombre=f"Unidad {i}")[0]
        for i in range(20)
    ]
    User.objects.bulk_create(
        [
            User(username=f"p{i}", first_name=f"Nombre{i}", last_name=f"Apellido{i}")
            for i in range(PERSONAS)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    usuarios = list(User.objects.filter(username__startswith="p").order_by("pk"))
    Perfil.objects.bulk_create(
        [
            Perfil(
                usuario=u,
                rut=f"{10_000_000 + i}-{dv_calcular(str(10_000_000 + i))}",
                unidad=unidades[i % 20],
                institucion=inst,
                sexo="femenino" if i % 2 else "masculino",
            )
            for i, u in enumerate(usuarios)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    cursos = list(CursoPage.objects.all()[:CURSOS])
    filas = []
    for u in usuarios:
        for c in range(CURSOS):
            curso = cursos[c % len(cursos)]
            ciclo = 1 + c // len(cursos)
            filas.append(Inscripcion(usuario=u, curso=curso, ciclo=ciclo))
    Inscripcion.objects.bulk_create(filas, batch_size=5000, ignore_conflicts=True)
    # La mitad completó: fechas reales para tipar las celdas.
    from django.utils import timezone

    Inscripcion.objects.filter(usuario__username__regex=r"[02468]$").update(
        completado_at=timezone.now()
    )


def exportar(variante: str) -> None:
    """Se ejecuta en un subproceso: imprime segundos, filas y RSS máximo."""
    from django.utils import timezone
    from openpyxl import Workbook

    from indicadores.exportaciones import libros as exports
    from indicadores.exportaciones.filas import (
        nomina_consulta as _nomina_consulta,
    )
    from indicadores.exportaciones.filas import (
        nomina_filas as _nomina_filas,
    )
    from indicadores.exportaciones.filas import (
        nomina_jornadas_filas as _nomina_jornadas_filas,
    )
    from indicadores.exportaciones.filas import (
        nomina_personas_filas as _nomina_personas_filas,
    )
    from tenants.models import Tenant

    tenant = Tenant.objects.get(schema_name=SCHEMA)
    destino = Path("/tmp") / f"bench-{variante}.xlsx"
    with tenant_context(tenant):
        inicio = time.perf_counter()
        if variante == "capacita":
            # Las tres hojas (personas, nómina, jornadas): «base» escribe solo la
            # nómina, así que la diferencia incluye las hojas que agregó el issue 13.
            libro, n = exports.nomina_libro(
                personas=_nomina_personas_filas({}),
                inscripciones=_nomina_filas({}),
                jornadas=_nomina_jornadas_filas({}),
                anio=timezone.localdate().year,
            )
        else:
            libro = Workbook(write_only=True)
            hoja = libro.create_sheet("Nómina")
            hoja.append([c for c, _a in exports.COLUMNAS_NOMINA])
            n = 0
            campos = (
                "usuario__perfil__rut",
                "usuario__last_name",
                "usuario__first_name",
                "usuario__perfil__institucion__nombre",
                "usuario__perfil__unidad__nombre",
                "usuario__perfil__unidad__region",
                "usuario__perfil__sexo",
                "curso__title",
                "ciclo",
                "created_at",
                "completado_at",
            )
            qs = (
                _nomina_consulta({})
                .order_by(
                    "usuario__last_name", "usuario__first_name", "usuario_id", "ciclo"
                )
                .values_list(*campos)
            )
            for fila in qs.iterator(chunk_size=5000):
                # openpyxl no acepta datetimes con zona: se quitan, como mínimo.
                fila = list(fila)
                fila[9] = fila[9].replace(tzinfo=None)
                if fila[10] is not None:
                    fila[10] = fila[10].replace(tzinfo=None)
                hoja.append(fila)
                n += 1
        libro.save(destino)
        segundos = time.perf_counter() - inicio
    print(f"{variante} {segundos:.2f} {n} {_rss_mb():.0f}")


def medir_exportacion(repeticiones: int = 3) -> dict:
    resultados: dict[str, list] = {"base": [], "capacita": []}
    for _ in range(repeticiones):
        for variante in ("base", "capacita"):
            salida = subprocess.run(
                [sys.executable, __file__, "--exportar", variante],
                env={**os.environ, **ENTORNO_EXPORTACION},
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            resultados[variante].append(
                (float(salida[1]), int(salida[2]), float(salida[3]))
            )
    return resultados


def medir_nacional(repeticiones: int = 5) -> dict:
    """«cálculo»: lo que contaba el tablero MITP sobre los hechos (metas con logrado y
    estado + acción × año × tenant + totales); «resumen»: recalcular y guardar el
    resumen nacional (lo que hace la tarea); «huella»: lo que paga cada vista del
    tablero para saber si el resumen está vigente; «libro»: datos del libro del Plan;
    «porcentaje»: el % capacitado nacional de un año (parte del resumen)."""
    from indicadores.exportaciones import plan_datos
    from indicadores.resumen import huella_calcular, resumen_recalcular
    from indicadores.selectors import (
        indicadores_calcular,
        metas_avance,
        porcentaje_nacional,
        totales,
    )

    connection.set_schema_to_public()

    def calculo():
        metas_avance()
        indicadores_calcular(agrupar_por=["accion", "anio", "tenant"])
        totales()

    tiempos = {}
    for nombre, funcion in [
        ("calculo", calculo),
        ("resumen", resumen_recalcular),
        ("huella", huella_calcular),
        ("porcentaje", lambda: porcentaje_nacional(anio=2025)),
        ("libro", plan_datos),
    ]:
        medidas = []
        for _ in range(repeticiones):
            inicio = time.perf_counter()
            funcion()
            medidas.append(time.perf_counter() - inicio)
        tiempos[nombre] = medidas
    return tiempos


def medir_tableros(n: int = 30) -> dict:
    from django.test import Client

    resultados = {}
    for nombre, host, usuario, url in [
        ("MITP", "localhost", "mitp", "/indicadores/"),
        ("encargada", "bench.localhost", "enc", "/encargado/indicadores/?anio=2026"),
    ]:
        cliente = Client(HTTP_HOST=host)
        r = cliente.post("/ingresar/", {"username": usuario, "password": "x" * 12})
        assert r.status_code == 302, r.status_code
        for _ in range(3):
            cliente.get(url)
        medidas = []
        for _ in range(n):
            inicio = time.perf_counter()
            r = cliente.get(url)
            medidas.append(time.perf_counter() - inicio)
            assert r.status_code == 200
        medidas.sort()
        resultados[nombre] = (
            statistics.median(medidas),
            medidas[int(0.95 * len(medidas)) - 1],
        )
    return resultados


def _carga() -> str:
    return "carga (1/5/15 min): " + ", ".join(f"{c:.2f}" for c in os.getloadavg())


def main(con_exportacion: bool = True) -> None:
    from indicadores.models import Hecho

    preparar()
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        # Estadísticas al día, como las dejaría autovacuum tras la carga.
        cursor.execute("ANALYZE indicadores_hecho")
    print(
        f"hechos: {Hecho.objects.count()}, personas distintas: "
        f"{Hecho.objects.values('persona').distinct().count()}"
    )
    print(f"núcleos: {os.cpu_count()}, {_carga()}")
    nacional = medir_nacional()
    for nombre, medidas in nacional.items():
        print(
            f"nacional {nombre}: mediana {statistics.median(medidas):.3f} s "
            f"({', '.join(f'{m:.3f}' for m in medidas)})"
        )
    print(_carga())
    for nombre, (p50, p95) in medir_tableros().items():
        print(f"tablero {nombre}: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(_carga())
    if not con_exportacion:
        return
    exportacion = medir_exportacion()
    for variante, medidas in exportacion.items():
        print(
            f"export {variante}: "
            + "; ".join(f"{s:.2f} s, {n} filas, {rss:.0f} MB" for s, n, rss in medidas)
        )
    base = statistics.median(s for s, _n, _r in exportacion["base"])
    nuestra = statistics.median(s for s, _n, _r in exportacion["capacita"])
    print(f"razón capacita/base: {nuestra / base:.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--exportar":
        exportar(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "--solo-exportacion":
        for variante, medidas in medir_exportacion().items():
            print(variante, medidas)
    elif len(sys.argv) == 2 and sys.argv[1] == "--sin-exportacion":
        main(con_exportacion=False)
    else:
        main()
