"""Capturas de los dos tableros de indicadores (issue 6) con Playwright y el Chromium
de Debian: el de la encargada (tenant «policias») y el de la MITP (sitio público).

Uso, sobre una base con la demo ya creada (``manage.py crear_demo``):
    DATABASE_URL=postgres://…/capacita_demo \\
        .venv/bin/python tests/bench/capturas_tableros.py [--puerto 8016]

1. Siembra datos parecidos a la demo (idempotente, por los servicios de verdad:
   dotación, asistencias a jornadas y cursos completados, que escriben sus hechos):
   unidades de Carabineros y PDI en «policias» y una jornada con asistentes en cada
   otro tenant de demo.
2. Levanta ``runserver`` (settings de desarrollo) en un subproceso, ingresa como
   ``encargado`` en policias.localhost y como ``coordinacion`` en localhost, y guarda
   docs/screenshots/tablero-encargado.png y tablero-mitp.png (página completa, 1280 px).

Requiere `apt-get install chromium` y `pip install playwright` (sin `playwright
install`: se usa /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
# Sin broker: las tareas (certificados, resumen) corren en el mismo proceso.
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from capturas import ARGS, achicar, revisar  # noqa: E402
from django.db import connection  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

SALIDA = RAIZ / "docs" / "screenshots"
CLAVE = "capacita-demo-2026"
SCL = ZoneInfo("America/Santiago")
ESCRITORIO = {"width": 1280, "height": 900}

# (institución, unidad, región, dotación, personas a sembrar)
UNIDADES_POLICIAS = [
    ("Carabineros de Chile", "Prefectura Arica", "arica", 120, 70),
    ("Carabineros de Chile", "Prefectura Tarapacá", "tarapaca", 90, 40),
    ("Carabineros de Chile", "Prefectura Antofagasta", "antofagasta", 110, 35),
    ("Carabineros de Chile", "Prefectura Santiago Centro", "metropolitana", 160, 45),
    ("Policía de Investigaciones", "Brigada Investigadora de Trata (BITRAP)",
     "metropolitana", 40, 30),
    ("Policía de Investigaciones", "Jefatura de Migraciones Arica", "arica", 60, 25),
]  # fmt: skip
JORNADAS_POLICIAS = [
    ("Detección de víctimas en frontera", "arica", 3, ["E3-A1.2", "E1-A2.1"]),
    ("Entrevista centrada en la víctima", "tarapaca", 5, ["E3-A1.2"]),
    ("Investigación criminal de la trata", "metropolitana", 6, ["E3-A1.2"]),
    ("Trabajo forzoso: indicadores", "antofagasta", 8, ["E3-A1.1", "E1-A2.4"]),
    ("Protocolo intersectorial", "metropolitana", 9, ["E2-A2.1"]),
]
CURSOS_POLICIAS = ["que-es-la-trata", "trabajo-forzoso-indicadores"]
# tenant → (institución, unidad, región, dotación, tema, acciones, asistentes)
OTROS_TENANTS = {
    "fronteras": [
        ("Servicio Nacional de Aduanas", "Complejo Chacalluta", "arica", 80,
         "Control fronterizo y trata", ["E1-A2.3", "E1-A2.4"], 35),
        ("Servicio Agrícola y Ganadero", "Complejo Colchane", "tarapaca", 30,
         "NNA no acompañados en frontera", ["E1-A2.3"], 18),
    ],
    "turismo": [
        ("Sernatur", "Dirección Regional Valparaíso", "valparaiso", 50,
         "Turismo responsable y trata", ["E1-A1.10"], 25),
    ],
    "consulados": [
        ("Ministerio de Relaciones Exteriores", "Consulado en Santa Cruz", "extranjero",
         25, "Asistencia consular a víctimas", ["E2-A2.1", "E1-A3.1"], 15),
    ],
    "mejorninez": [
        ("Mejor Niñez", "Dirección Regional Biobío", "biobio", 70,
         "Detección de explotación sexual de NNA", ["E3-A1.1", "E2-A2.2"], 30),
    ],
}  # fmt: skip
NOMBRES = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Felipe", "Gabriela", "Héctor",
           "Isidora", "Javier", "Karina", "Luis", "Marcela", "Nicolás", "Olivia",
           "Pablo", "Rocío", "Sebastián", "Tamara", "Vicente"]  # fmt: skip
APELLIDOS = ["González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras",
             "Silva", "Martínez", "Sepúlveda", "Morales", "Rodríguez", "López",
             "Fuentes", "Hernández", "Torres", "Araya", "Flores"]  # fmt: skip


def _personas(unidad, cantidad: int, base_rut: int, azar) -> list:
    from django.contrib.auth import get_user_model

    from cursos.models import Perfil
    from lib.rut import dv_calcular

    User = get_user_model()
    personas = []
    for i in range(cantidad):
        cuerpo = base_rut + i
        username = f"demo{cuerpo}"
        usuario, creado = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": azar.choice(NOMBRES),
                "last_name": f"{azar.choice(APELLIDOS)} {azar.choice(APELLIDOS)}",
            },
        )
        if creado:
            Perfil.objects.create(
                usuario=usuario,
                rut=f"{cuerpo}-{dv_calcular(str(cuerpo))}",
                sexo=azar.choice(["femenino", "masculino", "femenino", "masculino"])
                if i % 17
                else "no_informa",
                unidad=unidad,
                institucion=unidad.institucion,
            )
        personas.append(usuario)
    return personas


def _jornada(tema, region, inicio, acciones, asistentes) -> None:
    from cursos.models import Asistencia, Jornada
    from cursos.services.jornadas import asistencia_registrar, jornada_guardar

    jornada = Jornada.objects.filter(tema=tema).first()
    if jornada is None:
        jornada = jornada_guardar(
            jornada=Jornada(
                tema=tema,
                inicio=inicio,
                fin=inicio + timedelta(hours=4),
                lugar="Sala de capacitación",
                region=region,
                horas=4,
                relator="Equipo MITP",
                acciones_plan=acciones,
            )
        )
    for usuario in asistentes:
        asistencia_registrar(
            jornada=jornada, usuario=usuario, origen=Asistencia.Origen.PLANILLA
        )


def _unidad(nombre_inst, nombre, region, dotacion, anio):
    from cursos.models import Institucion, Unidad
    from cursos.services.nomina import dotacion_guardar

    inst, _c = Institucion.objects.get_or_create(nombre=nombre_inst)
    unidad, _c = Unidad.objects.get_or_create(
        institucion=inst, nombre=nombre, defaults={"region": region}
    )
    mujeres = dotacion * 2 // 5
    dotacion_guardar(
        unidad=unidad,
        anio=anio,
        total=dotacion,
        femenino=mujeres,
        masculino=dotacion - mujeres,
    )
    return unidad


def sembrar() -> None:
    import time_machine
    from django.utils import timezone

    from cursos.models import CursoPage, Inscripcion
    from tenants.models import Tenant
    from tests.cursos.factories import curso_completar

    azar = random.Random(2026)
    hoy = timezone.localdate()
    anio = hoy.year
    connection.set_schema_to_public()
    policias = Tenant.objects.get(schema_name="policias")
    with tenant_context(policias):
        grupos = []
        for n, (inst, nombre, region, dot, cant) in enumerate(UNIDADES_POLICIAS):
            unidad = _unidad(inst, nombre, region, dot, anio)
            grupos.append(_personas(unidad, cant, 16_000_000 + n * 1000, azar))
        todos = [p for g in grupos for p in g]
        for tema, region, mes, acciones in JORNADAS_POLICIAS:
            if mes > hoy.month:
                continue
            inicio = datetime(anio, mes, 10 + mes, 9, tzinfo=SCL)
            _jornada(tema, region, inicio, acciones, azar.sample(todos, 35))
        candidatos = todos
        for slug in CURSOS_POLICIAS:
            curso = CursoPage.objects.get(slug=slug)
            # El segundo curso pide el primero: se toma de quienes ya lo completaron.
            elegidos = azar.sample(
                candidatos, min(len(candidatos), 70 - 30 * (slug != CURSOS_POLICIAS[0]))
            )
            candidatos = elegidos
            for usuario in elegidos:
                if Inscripcion.objects.filter(
                    usuario=usuario, curso=curso, completado_at__isnull=False
                ).exists():
                    continue
                dia = datetime(
                    anio, azar.randint(1, hoy.month), azar.randint(1, 28), 11,
                    tzinfo=SCL,
                )  # fmt: skip
                with time_machine.travel(min(dia, timezone.now()), tick=False):
                    curso_completar(usuario, curso)
    for m, (schema, unidades) in enumerate(OTROS_TENANTS.items()):
        with tenant_context(Tenant.objects.get(schema_name=schema)):
            for k, (inst, nombre, region, dot, tema, acciones, cant) in enumerate(
                unidades
            ):
                unidad = _unidad(inst, nombre, region, dot, anio)
                personas = _personas(
                    unidad, cant, 17_000_000 + m * 10_000 + k * 1000, azar
                )
                inicio = datetime(anio, 3 + 2 * m + k, 14, 10, tzinfo=SCL)
                _jornada(tema, region, inicio, acciones, personas)
    connection.set_schema_to_public()


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _servidor(puerto: int) -> subprocess.Popen:
    env = {**os.environ, "CAPACITA_PUERTO": str(puerto)}
    env.pop("CELERY_BROKER_URL", None)
    proceso = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{puerto}"],
        cwd=RAIZ,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    plazo = time.monotonic() + 60
    while time.monotonic() < plazo:
        try:
            with socket.create_connection(("127.0.0.1", puerto), timeout=1):
                return proceso
        except OSError:
            time.sleep(0.3)
    proceso.terminate()
    raise SystemExit("runserver no respondió en 60 s")


def _ingresar(page, base: str, usuario: str) -> None:
    page.goto(f"{base}/ingresar/")
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()
    if "/ingresar/" in page.url:
        raise SystemExit(f"No se pudo ingresar como {usuario} en {base}")


def capturar(puerto: int) -> None:
    from playwright.sync_api import sync_playwright

    SALIDA.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for base, usuario, url, archivo in [
            (
                f"http://policias.localhost:{puerto}",
                "encargado",
                "/encargado/indicadores/",
                "tablero-encargado.png",
            ),
            (
                f"http://localhost:{puerto}",
                "coordinacion",
                "/indicadores/",
                "tablero-mitp.png",
            ),
        ]:
            contexto = navegador.new_context(
                viewport=ESCRITORIO, device_scale_factor=1, locale="es-CL"
            )
            page = contexto.new_page()
            _ingresar(page, base, usuario)
            page.goto(base + url)
            page.wait_for_load_state("networkidle")
            # El desglose por sitio se muestra abierto en la captura.
            page.evaluate(
                "() => document.querySelectorAll('details').forEach("
                "(d, i) => { d.open = true; })"
            )
            revisar(page, archivo)
            ruta = SALIDA / archivo
            page.screenshot(path=str(ruta), full_page=True)
            achicar(ruta)
            print(f"  → {ruta.relative_to(RAIZ)} ({ruta.stat().st_size / 1024:.0f} KB)")
            contexto.close()
        navegador.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--puerto", type=int, default=0)
    parser.add_argument("--sin-sembrar", action="store_true")
    opciones = parser.parse_args()
    if not opciones.sin_sembrar:
        inicio = time.perf_counter()
        sembrar()
        print(f"Datos sembrados en {time.perf_counter() - inicio:.0f} s")
    puerto = opciones.puerto or _puerto_libre()
    servidor = _servidor(puerto)
    try:
        capturar(puerto)
    finally:
        servidor.terminate()
        servidor.wait(timeout=20)


if __name__ == "__main__":
    main()
