"""Benchmarks de certificados (issue 5).

Uso (con una base de benchmark, nunca la de pruebas ni la de la demo):
    createdb -h 127.0.0.1 -U postgres capacita_cb
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/capacita_cb
    .venv/bin/python manage.py migrate_schemas -v0
    .venv/bin/python tests/bench/bench_certificados.py [pdf|verificacion|zip ...] \
        [--workers 2] [--cliente wrk|python] [--rondas 3]

1. **pdf**: PDFs por segundo en un núcleo (un hilo): 20 de calentamiento y 500 medidos
   con `certificados.pdf.certificado_pdf`, cada uno con un código y un QR distintos.
   Meta ≥ 150/s.
2. **verificacion**: levanta gunicorn (`config.wsgi`, settings de test: DEBUG=False,
   caché locmem; `--workers` workers sync, 2 por omisión = uno por núcleo, en
   127.0.0.1:8005) y pide `/verificar/<código>` con Host `localhost`, 8 conexiones
   concurrentes, cada petición en su propia conexión TCP (los workers sync cierran tras
   cada respuesta, como detrás de nginx sin keep-alive al backend). Dos escenarios:
   - **distintos**: cada petición lleva un código distinto (50.000 en el registro), así
     que la página en caché (verificacion/views.py) nunca sirve: es el caso realista y
     el peor. Es la cifra de la meta.
   - **repetidos**: 100 códigos en ronda: mide el HTML en caché (código popular).
   Cliente: `wrk` (C, `apt-get install wrk`; 1 hilo, 8 conexiones, 3 s de
   calentamiento y 10 s medidos, script Lua que rota los códigos y calcula p50/p95) o,
   si no está, `--cliente python` (http.client en 8 hilos, 3.000 peticiones; el
   cliente compite por los mismos núcleos con el GIL y pesa más que el servidor).
   Imprime p50, p95, req/s, la carga (`uptime`) antes de medir y la CPU de gunicorn
   por petición (leída de /proc), que no depende de la carga ajena. El límite por IP
   se sube para la medida. Metas p95 ≤ 30 ms y ≥ 400 req/s.
   Opciones: `--workers N`, `--cliente wrk|python`, `--rondas N` (repite la medida).

   Workers: la página gasta ≈ 2 ms de CPU de Python y espera a PostgreSQL en tres
   viajes cortos (health check de la conexión, SET search_path, la fila), así que es
   casi puro CPU: workers **sync**, uno por núcleo. gthread solo ahorraría el
   handshake TCP si el proxy reusara conexiones, y gevent no sirve para trabajo de CPU.
   Con 3 y 4 workers en la misma máquina cargada no hubo mejora medible; en una
   máquina de 2 núcleos con PostgreSQL dentro, `-w 2` (o `-w 3` si la base está en
   otra máquina y la espera pesa más) es lo indicado.
3. **zip**: tenant `bench_cert` con una unidad de 1.000 personas con certificado; arma
   el ZIP con `lote_zip_construir` e imprime el tiempo y el RSS máximo del proceso antes
   y después (ru_maxrss).

La primera corrida crea el tenant y los datos; las siguientes los reutilizan.
"""

from __future__ import annotations

import http.client
import os
import resource
import shutil
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
N_REGISTRO = 50_000


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


def registro_asegurar(n: int = N_REGISTRO) -> list[str]:
    connection.set_schema_to_public()
    publico, _c = Tenant.objects.get_or_create(
        schema_name="public", defaults={"nombre": "MITP", "grupo": Tenant.Grupo.MITP}
    )
    Domain.objects.get_or_create(domain="localhost", defaults={"tenant": publico})
    existentes = list(
        RegistroCertificado.objects.filter(institucion="Bench")
        .order_by("pk")
        .values_list("codigo", flat=True)[:n]
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
                titular_nombre=f"Persona {len(existentes) + i}",
                emitido_el=hoy,
                vence_el=hoy.replace(year=hoy.year + 2),
            )
            for i in range(faltan)
        ]
        RegistroCertificado.objects.bulk_create(nuevos, batch_size=2000)
        existentes += [r.codigo for r in nuevos]
    return existentes


# wrk: rota los códigos de un archivo (BENCH_CODIGOS) y al final escribe una línea
# RESULTADO con peticiones, segundos, p50, p95 y media en ms, errores (incluye toda
# respuesta ≥ 400, p. ej. «no válido») y bytes por respuesta (una página completa).
LUA_WRK = """
local codigos = {}
for linea in io.lines(os.getenv("BENCH_CODIGOS")) do codigos[#codigos + 1] = linea end
local i = 0
request = function()
  i = i + 1
  local codigo = codigos[((i - 1) % #codigos) + 1]
  return wrk.format("GET", "/verificar/" .. codigo, {Host = "localhost"})
end
done = function(s, latencia, peticiones)
  local e = s.errors
  io.write(string.format("RESULTADO %d %.4f %.3f %.3f %.3f %d %d\\n", s.requests,
    s.duration / 1e6, latencia:percentile(50) / 1000,
    latencia:percentile(95) / 1000, latencia.mean / 1000,
    e.connect + e.read + e.write + e.timeout + e.status,
    math.floor(s.bytes / math.max(s.requests, 1))))
end
"""


def _opcion(nombre: str, omision: str) -> str:
    if nombre in sys.argv:
        return sys.argv[sys.argv.index(nombre) + 1]
    return omision


def _carga() -> str:
    return "carga " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cpu_workers(maestro: int) -> float:
    """Segundos de CPU (usuario + sistema) de los workers de gunicorn."""
    total = 0
    for entrada in Path("/proc").iterdir():
        if not entrada.name.isdigit():
            continue
        try:
            campos = (entrada / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(campos[1]) == maestro:  # ppid
            total += int(campos[11]) + int(campos[12])  # utime + stime
    return total / os.sysconf("SC_CLK_TCK")


def bench_verificacion() -> None:
    workers = int(_opcion("--workers", "2"))
    rondas = int(_opcion("--rondas", "3"))
    cliente = _opcion("--cliente", "wrk" if shutil.which("wrk") else "python")
    if cliente == "python":
        print("Aviso: cliente http.client; pesa más que el servidor (mejor wrk).")
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
    gunicorn = [str(RAIZ / ".venv" / "bin" / "gunicorn"), "config.wsgi"]
    gunicorn += ["-b", f"127.0.0.1:{PUERTO}", "-w", str(workers)]
    proceso = subprocess.Popen(gunicorn, cwd=RAIZ, env=env, stdout=log, stderr=log)
    # Cada ronda usa códigos que no se pidieron antes: la caché de páginas no sirve.
    calentamiento, resto = codigos[:2000], codigos[2000:]
    por_ronda = len(resto) // rondas
    print(
        f"Verificación: gunicorn {workers} workers sync, cliente {cliente}, "
        f"8 conexiones concurrentes, una conexión TCP por petición"
    )
    try:
        _esperar_servidor()
        medir = _medir_wrk if cliente == "wrk" else _medir_python
        medir(calentamiento, 3)
        for ronda in range(rondas):
            propios = resto[ronda * por_ronda : (ronda + 1) * por_ronda]
            _informar("distintos", proceso.pid, medir, propios)
        _informar("repetidos", proceso.pid, medir, codigos[:100])
    finally:
        proceso.terminate()
        proceso.wait(timeout=20)
    print(f"(log de gunicorn: {log.name})")


def _informar(escenario: str, maestro: int, medir, codigos: list[str]) -> None:
    carga = _carga()
    cpu_antes = _cpu_workers(maestro)
    peticiones, segundos, p50, p95, media, errores, tamano = medir(codigos, 10)
    cpu = _cpu_workers(maestro) - cpu_antes
    aviso = (
        " (códigos repetidos)"
        if escenario == "distintos" and (peticiones > len(codigos))
        else ""
    )
    print(
        f"  {escenario:9} p50 {p50:.1f} ms, p95 {p95:.1f} ms, media {media:.1f} ms, "
        f"{peticiones / segundos:.0f} req/s, {peticiones} peticiones, "
        f"errores {errores}, {tamano} B/respuesta; "
        f"CPU gunicorn {1000 * cpu / peticiones:.2f} ms/petición; "
        f"{carga}{aviso}"
    )


def _medir_wrk(codigos: list[str], segundos: int):
    with tempfile.TemporaryDirectory() as directorio:
        lista = Path(directorio) / "codigos.txt"
        lista.write_text("\n".join(codigos) + "\n")
        script = Path(directorio) / "rotar.lua"
        script.write_text(LUA_WRK)
        salida = subprocess.run(
            ["wrk", "-t1", "-c8", f"-d{segundos}s", "-s", str(script)]
            + [f"http://127.0.0.1:{PUERTO}/"],
            env={**os.environ, "BENCH_CODIGOS": str(lista)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    campos = next(
        linea.split()[1:]
        for linea in salida.splitlines()
        if linea.startswith("RESULTADO")
    )
    peticiones, duracion, p50, p95, media, errores, tamano = campos
    return (
        int(peticiones),
        float(duracion),
        float(p50),
        float(p95),
        float(media),
        int(errores),
        int(tamano),
    )


def _medir_python(codigos: list[str], segundos: int):
    total = 3000 if segundos >= 10 else 300
    latencias, duracion, errores, tamano = _rafaga(codigos, total, 8)
    return (
        total,
        duracion,
        percentil(latencias, 50),
        percentil(latencias, 95),
        statistics.mean(latencias),
        errores,
        tamano,
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
    cuerpos = [0]
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
            with candado:
                cuerpos[0] += len(cuerpo)
                if r.status != 200 or b"Persona" not in cuerpo:
                    errores[0] += 1
        with candado:
            latencias.extend(propias)

    inicio = time.perf_counter()
    ts = [threading.Thread(target=trabajar) for _n in range(hilos)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    duracion = time.perf_counter() - inicio
    return latencias, duracion, errores[0], cuerpos[0] // max(total, 1)


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
    pedidos = [a for a in sys.argv[1:] if a in ("pdf", "verificacion", "zip")]
    pedidos = pedidos or ["pdf", "verificacion", "zip"]
    if "pdf" in pedidos:
        bench_pdf()
    if "verificacion" in pedidos:
        bench_verificacion()
    if "zip" in pedidos:
        bench_zip()
