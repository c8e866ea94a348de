"""Benchmarks de certificados (issue 5).

Uso (con una base de benchmark, nunca la de pruebas ni la de la demo):
    createdb -h 127.0.0.1 -U postgres capacita_cb
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/capacita_cb
    .venv/bin/python manage.py migrate_schemas -v0
    .venv/bin/python tests/bench/bench_certificados.py [pdf|verificacion|zip ...]

1. **pdf**: PDFs por segundo en un núcleo (un hilo): 20 de calentamiento y 500 medidos
   con `certificados.pdf.certificado_pdf`, cada uno con un código y un QR distintos.
   Meta ≥ 150/s.
2. **verificacion**: levanta gunicorn (`config.wsgi`, settings de test: DEBUG=False, 2
   workers sync, 127.0.0.1:8005) y pide `/verificar/<código>` con Host `localhost` desde
   8 hilos (una conexión por petición), 200 de calentamiento y 3.000 medidas sobre 1.000
   códigos del registro. Imprime p50, p95 y peticiones/s. El límite por IP se sube para
   la medida. Metas p95 ≤ 30 ms y ≥ 400 req/s. El cliente corre en la misma máquina de
   2 núcleos y le quita CPU al servidor.
3. **zip**: tenant `bench_cert` con una unidad de 1.000 personas con certificado; arma
   el ZIP con `lote_zip_construir` e imprime el tiempo y el RSS máximo del proceso antes
   y después (ru_maxrss).

La primera corrida crea el tenant y los datos; las siguientes los reutilizan.
"""

from __future__ import annotations

import http.client
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from certificados.models import Certificado  # noqa: E402
from certificados.pdf import DatosPdf, certificado_pdf  # noqa: E402
from tenants.models import Domain, Tenant  # noqa: E402
from verificacion.codigos import codigo_formatear, codigo_generar  # noqa: E402
from verificacion.models import RegistroCertificado  # noqa: E402

PUERTO = 8005
SCHEMA = "bench_cert"
N_ZIP = 1000


def percentil(valores: list[float], p: float) -> float:
    ordenados = sorted(valores)
    return ordenados[min(len(ordenados) - 1, round(p / 100 * (len(ordenados) - 1)))]


def bench_pdf(n: int = 500) -> None:
    translation.activate("es-cl")
    ahora = timezone.now()

    def datos() -> DatosPdf:
        codigo = codigo_generar()
        return DatosPdf(
            titular="María José Núñez Pérez",
            curso="Detección de víctimas de trata de personas en fiscalizaciones",
            horas=Decimal("4.5"),
            emitido_at=ahora,
            vence_at=ahora,
            codigo_formateado=codigo_formatear(codigo),
            url_verificacion=f"http://localhost:8000/verificar/{codigo}",
            institucion="Policías",
            firmante_nombre="Ana Pérez Soto",
            firmante_cargo="Jefa de Capacitación",
        )

    for _n in range(20):
        certificado_pdf(datos())
    lotes = [datos() for _n in range(n)]
    inicio = time.perf_counter()
    for d in lotes:
        certificado_pdf(d)
    segundos = time.perf_counter() - inicio
    print(
        f"PDF: {n} en {segundos:.2f} s → {n / segundos:.0f} PDF/s en un núcleo "
        f"({1000 * segundos / n:.2f} ms c/u)"
    )


def registro_asegurar(n: int = 1000) -> list[str]:
    connection.set_schema_to_public()
    publico, _c = Tenant.objects.get_or_create(
        schema_name="public", defaults={"nombre": "MITP", "grupo": Tenant.Grupo.MITP}
    )
    Domain.objects.get_or_create(domain="localhost", defaults={"tenant": publico})
    existentes = list(
        RegistroCertificado.objects.filter(institucion="Bench").values_list(
            "codigo", flat=True
        )[:n]
    )
    faltan = n - len(existentes)
    if faltan > 0:
        hoy = timezone.localdate()
        nuevos = [
            RegistroCertificado(
                codigo=codigo_generar(),
                tenant=None,
                certificado_id=10_000_000 + len(existentes) + i,
                institucion="Bench",
                curso_titulo="¿Qué es la trata de personas?",
                titular_nombre=f"Persona {i}",
                emitido_el=hoy,
                vence_el=hoy.replace(year=hoy.year + 2),
            )
            for i in range(faltan)
        ]
        RegistroCertificado.objects.bulk_create(nuevos)
        existentes += [r.codigo for r in nuevos]
    return existentes


def bench_verificacion(total: int = 3000, hilos: int = 8) -> None:
    codigos = registro_asegurar()
    connection.close()
    log = tempfile.NamedTemporaryFile(
        prefix="bench-verif-", suffix=".log", delete=False
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CERTIFICADOS_VERIFICACION_LIMITE": "1000000000",
    }
    proceso = subprocess.Popen(
        [
            str(RAIZ / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{PUERTO}",
            "-w",
            "2",
        ],
        cwd=RAIZ,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        _esperar_servidor()
        _rafaga(codigos, 200, hilos)
        latencias, segundos, errores = _rafaga(codigos, total, hilos)
    finally:
        proceso.terminate()
        proceso.wait(timeout=20)
    print(
        f"Verificación ({total} peticiones, {hilos} hilos, gunicorn 2 workers): "
        f"p50 {percentil(latencias, 50):.1f} ms, "
        f"p95 {percentil(latencias, 95):.1f} ms, "
        f"media {statistics.mean(latencias):.1f} ms, {total / segundos:.0f} req/s, "
        f"errores {errores}"
    )


def _esperar_servidor() -> None:
    plazo = time.monotonic() + 60
    while time.monotonic() < plazo:
        try:
            c = http.client.HTTPConnection("127.0.0.1", PUERTO, timeout=2)
            c.request("GET", "/verificar/", headers={"Host": "localhost"})
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn no respondió")


def _rafaga(codigos: list[str], total: int, hilos: int):
    latencias: list[float] = []
    errores = [0]
    candado = threading.Lock()
    siguiente = iter(range(total))

    def trabajar():
        propias = []
        while True:
            with candado:
                i = next(siguiente, None)
            if i is None:
                break
            inicio = time.perf_counter()
            c = http.client.HTTPConnection("127.0.0.1", PUERTO, timeout=10)
            c.request(
                "GET",
                f"/verificar/{codigos[i % len(codigos)]}",
                headers={"Host": "localhost"},
            )
            r = c.getresponse()
            cuerpo = r.read()
            c.close()
            propias.append(1000 * (time.perf_counter() - inicio))
            if r.status != 200 or b"Persona" not in cuerpo:
                with candado:
                    errores[0] += 1
        with candado:
            latencias.extend(propias)

    inicio = time.perf_counter()
    ts = [threading.Thread(target=trabajar) for _n in range(hilos)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return latencias, time.perf_counter() - inicio, errores[0]


def tenant_zip_asegurar():
    from cursos.models import Inscripcion, Institucion, Perfil, Unidad
    from tenants.services import plantilla_asegurar, tenant_crear

    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
    if tenant is None:
        plantilla_asegurar()
        print(f"Creando el tenant {SCHEMA}…")
        tenant = tenant_crear(
            schema_name=SCHEMA,
            nombre="Bench certificados",
            grupo=Tenant.Grupo.OTRO,
            dominio="bench-cert.localhost",
        )
    with tenant_context(tenant):
        institucion, _c = Institucion.objects.get_or_create(nombre="Bench")
        unidad, _c = Unidad.objects.get_or_create(
            institucion=institucion, nombre="Unidad 1000"
        )
        hechos = Certificado.objects.filter(usuario__perfil__unidad=unidad).count()
        if hechos < N_ZIP:
            from cursos.models import CursoPage

            curso = CursoPage.objects.live().first()
            ahora = timezone.now()
            Usuario = get_user_model()
            usuarios = Usuario.objects.bulk_create(
                [
                    Usuario(
                        username=f"bench-zip-{hechos + i}",
                        first_name=f"Nombre{hechos + i}",
                        last_name="Apellido Bench",
                    )
                    for i in range(N_ZIP - hechos)
                ]
            )
            Perfil.objects.bulk_create(
                [Perfil(usuario=u, unidad=unidad) for u in usuarios]
            )
            inscripciones = Inscripcion.objects.bulk_create(
                [
                    Inscripcion(usuario=u, curso=curso, ciclo=1, completado_at=ahora)
                    for u in usuarios
                ]
            )
            Certificado.objects.bulk_create(
                [
                    Certificado(
                        inscripcion=i,
                        usuario=i.usuario,
                        curso=curso,
                        ciclo=1,
                        codigo=codigo_generar(),
                        titular_nombre=f"{i.usuario.first_name} Apellido Bench",
                        curso_titulo=curso.title,
                        horas=curso.horas,
                        emitido_at=ahora,
                        vence_at=ahora.replace(year=ahora.year + 2),
                    )
                    for i in inscripciones
                ]
            )
    return tenant, unidad


def bench_zip() -> None:
    from certificados.models import LoteZip
    from certificados.services import lote_zip_construir

    tenant, unidad = tenant_zip_asegurar()
    with tenant_context(tenant), translation.override("es-cl"):
        solicitante = get_user_model().objects.order_by("pk").first()
        lote = LoteZip.objects.create(unidad=unidad, solicitado_por=solicitante)
        rss_antes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        inicio = time.perf_counter()
        lote = lote_zip_construir(lote_id=lote.pk)
        segundos = time.perf_counter() - inicio
        rss_despues = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tamano = lote.archivo.size / 1024 / 1024
        lote.archivo.delete(save=False)
        lote.delete()
    print(
        f"ZIP de {lote.total} certificados: {segundos:.2f} s, {tamano:.1f} MiB; "
        f"RSS máximo del proceso {rss_antes:.0f} MiB antes → {rss_despues:.0f} MiB"
    )


if __name__ == "__main__":
    pedidos = sys.argv[1:] or ["pdf", "verificacion", "zip"]
    if "pdf" in pedidos:
        bench_pdf()
    if "verificacion" in pedidos:
        bench_verificacion()
    if "zip" in pedidos:
        bench_zip()
