"""Un tenant nuevo se pone en marcha solo por pantallas, en Chromium (issue 15).

La MITP crea el tenant con el correo de la primera encargada y copia el enlace de
activación que le muestra el admin; la encargada lo abre en el host del tenant, crea
su contraseña, ingresa con su correo, ve «Primeros pasos» sin nada hecho, crea la
institución y la unidad en el admin de Wagtail, informa la dotación y ve esos tres
pasos marcados. Sigue: sube la nómina (xlsx), que importa un worker real de Celery
mientras la página de avance se actualiza sola, y envía las invitaciones de la unidad
(el worker manda los correos). Una funcionaria de esa nómina entra con ClaveÚnica
contra el proveedor OIDC de pruebas (otro proceso; el cliente del tenant se configura
con las variables CLAVEUNICA_<SCHEMA>_*, como en producción) y se inscribe en un
curso; la encargada ve los seis primeros pasos marcados. Nada de lo que crea una
persona se crea por el ORM: el ORM solo lee (la URL del curso) y borra al final.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
import time

from django.conf import global_settings, settings
from django.contrib.admin.models import LogEntry
from django.db import connection, connections
from django.test import override_settings
from django_tenants.utils import tenant_context
from openpyxl import Workbook

from cursos.services.nomina import COLUMNAS
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import tenant_eliminar, usuario_asegurar
from tests.base import CLAVE
from tests.cuentas.proveedor_oidc import Proveedor
from tests.cursos.factories import curso_por_clave, rut_valido
from tests.e2e.base import (
    NavegadorTestCase,
    _url_bd,
    cuentas_publicas_borrar,
    grupo_publico_conservado,
)
from tests.worker_celery import redis_disponible

SCHEMA = "onboardinge2e"
DOMINIO = "onboardinge2e.localhost"
NOMBRE = "Consulado Onboarding E2E"
MITP = "e2e-onboarding-mitp"
CORREO = "encargada.e2e@consulado.example"
CLAVE_NUEVA = "clave-nueva-de-la-encargada-2026"
CLIENTE = "capacita-onboarding-e2e"
INSTITUCION = "CGE2E"
UNIDAD = "Sección consular E2E"
RUT_FUNCIONARIA = rut_valido(16_482_753)
CORREO_FUNCIONARIA = "valentina.rojas.e2e@consulado.example"
NOMINA = [
    [
        RUT_FUNCIONARIA,
        "Valentina",
        "Rojas Onboarding",
        CORREO_FUNCIONARIA,
        "F",
        INSTITUCION,
        UNIDAD,
        "Cónsul",
    ],
    [
        rut_valido(17_593_864),
        "Tomás",
        "Araya Onboarding",
        "tomas.araya.e2e@consulado.example",
        "M",
        INSTITUCION,
        UNIDAD,
        "Canciller",
    ],
]
PASOS = [
    "instituciones",
    "unidades",
    "dotacion",
    "nomina",
    "invitaciones",
    "inscripcion",
]


@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class OnboardingNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(os.environ.pop, "DJANGO_ALLOW_ASYNC_UNSAFE", None)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.addCleanup(self._borrar_datos)
        broker = settings.CELERY_BROKER_URL
        if not redis_disponible(broker):
            self.skipTest(f"Sin Redis alcanzable en {broker}: la nómina usa un worker")
        self.enterContext(grupo_publico_conservado(Rol.COORDINADOR_MITP.value))
        usuario_asegurar(username=MITP, password=CLAVE, rol=Rol.COORDINADOR_MITP)
        secreto = secrets.token_urlsafe(24)
        self.proveedor = Proveedor(CLIENTE, secreto)
        self.addCleanup(self.proveedor.detener)
        # Antes que el servidor y el worker: corre cuando ya volcaron su bitácora.
        self.addCleanup(self._bitacoras_sin_run)
        # ClaveÚnica del tenant que aún no existe: las mismas variables de entorno
        # que en producción (config/settings/base.py), nunca el ORM.
        prefijo = f"CLAVEUNICA_{SCHEMA.upper()}"
        cola = f"capacita-onboarding-{os.getpid()}"
        self.entorno = {
            "CELERY_BROKER_URL": broker,
            "CELERY_QUEUE": cola,
            "CLAVEUNICA_ISSUER": self.proveedor.base,
            f"{prefijo}_CLIENT_ID": CLIENTE,
            f"{prefijo}_CLIENT_SECRET": secreto,
        }
        self._levantar_servidor(self.entorno)
        self._levantar_worker(cola)
        self.publico = f"http://localhost:{self.puerto}"
        self.sitio = f"http://{DOMINIO}:{self.puerto}"

    def _levantar_worker(self, cola: str) -> None:
        """Un worker de Celery real (otro proceso, settings de desarrollo como el
        servidor): importa la nómina y envía las invitaciones (correo a consola)."""
        entorno = {
            **os.environ,
            **self.entorno,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": _url_bd(),
            "MEDIA_ROOT": str(self.media),
            "CAPACITA_PUERTO": str(self.puerto),
            "DB_CONN_MAX_AGE": "0",
        }
        salida = (self.caja / "worker.log").open("w")
        self.addCleanup(salida.close)
        proceso = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker"]
            + ["--pool=solo", "-Q", cola, "--loglevel=INFO", "--without-heartbeat"],
            cwd=settings.BASE_DIR,
            env=entorno,
            stdout=salida,
            stderr=subprocess.STDOUT,
        )
        self.addCleanup(proceso.wait, 20)
        self.addCleanup(proceso.terminate)

    def _cola(self, nombre: str) -> str:
        return (self.caja / nombre).read_text(encoding="utf-8")[-3000:]

    def _bitacoras_sin_run(self):
        cuerpo = RUT_FUNCIONARIA.split("-")[0]
        for nombre in ("runserver.log", "worker.log"):
            texto = (self.caja / nombre).read_text(encoding="utf-8")
            self.assertNotIn(cuerpo, texto, f"El RUN quedó en {nombre}")

    def _borrar_datos(self):
        connection.set_schema_to_public()
        if Tenant.objects.filter(schema_name=SCHEMA).exists():
            tenant_eliminar(schema_name=SCHEMA)
        LogEntry.objects.filter(user__username=MITP).delete()
        cuentas_publicas_borrar([MITP])

    def _pasos(self, pagina) -> list[str]:
        if not pagina.locator("li[data-paso]").count():
            texto = pagina.inner_text("body")[:1500]
            self.fail(
                f"Sin primeros pasos en {pagina.url}: {texto}"
                f"\n--- runserver ---\n{self._cola('runserver.log')}"
                f"\n--- worker ---\n{self._cola('worker.log')}"
            )
        return [
            pagina.locator(f"li[data-paso={p}]").get_attribute("class") for p in PASOS
        ]

    @staticmethod
    def _planilla() -> bytes:
        libro = Workbook()
        hoja = libro.active
        for fila in [COLUMNAS, *NOMINA]:
            hoja.append(fila)
        salida = io.BytesIO()
        libro.save(salida)
        return salida.getvalue()

    def _correo_enviado(self, destino: str, segundos: float = 60) -> str:
        """Espera el correo en la bitácora del worker (backend de consola)."""
        limite = time.monotonic() + segundos
        while time.monotonic() < limite:
            texto = (self.caja / "worker.log").read_text(encoding="utf-8")
            if f"To: {destino}" in texto:
                return texto
            time.sleep(0.5)
        self.fail(f"El worker no envió el correo a {destino}:\n{texto[-3000:]}")

    def _url_curso(self) -> str:
        """Solo lectura: dónde está el curso que la funcionaria abre."""
        with tenant_context(Tenant.objects.get(schema_name=SCHEMA)):
            url = curso_por_clave("que-es-la-trata").url
        connection.set_schema_to_public()
        return url

    def test_la_mitp_crea_el_tenant_y_la_encargada_lo_pone_en_marcha(self):
        errores: list[str] = []
        with self.navegador() as navegador:

            def contexto():
                pagina = navegador.new_context(
                    viewport={"width": 1280, "height": 800}, locale="es-CL"
                ).new_page()
                pagina.on("pageerror", lambda e: errores.append(str(e)))
                return pagina

            try:
                mitp = contexto()
                mitp.goto(f"{self.publico}/ingresar/")
                mitp.fill("input[name=username]", MITP)
                mitp.fill("input[name=password]", CLAVE)
                with mitp.expect_navigation():
                    mitp.locator("form:has(input[name=password]) [type=submit]").click()
                mitp.goto(f"{self.publico}/django-admin/tenants/tenant/add/")
                mitp.fill("#id_nombre", NOMBRE)
                mitp.select_option("#id_grupo", Tenant.Grupo.CONSULADOS.value)
                mitp.fill("#id_schema_name", SCHEMA)
                mitp.fill("#id_dominio", DOMINIO)
                mitp.fill("#id_correo_encargado", CORREO)
                # Clonar la plantilla tarda: con la máquina ocupada, más que los 30 s
                # que Playwright espera por omisión a que termine el clic.
                with mitp.expect_navigation(timeout=120_000):
                    mitp.locator("input[name=_save]").click(no_wait_after=True)
                aviso = mitp.locator(".messagelist").inner_text()
                self.assertIn("Se invitó a", aviso)
                enlace = re.search(r"https?://\S+/clave/\S+/", aviso)
                self.assertIsNotNone(enlace, aviso)
                self.assertIn(f"//{DOMINIO}:{self.puerto}/", enlace[0])

                encargada = contexto()
                encargada.goto(enlace[0])
                encargada.fill("#id_new_password1", CLAVE_NUEVA)
                encargada.fill("#id_new_password2", CLAVE_NUEVA)
                with encargada.expect_navigation():
                    encargada.get_by_role("button", name="Guardar contraseña").click()
                self.assertIn("/clave/lista/", encargada.url)
                encargada.goto(f"{self.sitio}/ingresar/")
                encargada.fill("input[name=username]", CORREO)
                encargada.fill("input[name=password]", CLAVE_NUEVA)
                with encargada.expect_navigation():
                    encargada.locator(
                        "form:has(input[name=password]) [type=submit]"
                    ).click()
                encargada.goto(f"{self.sitio}/encargado/")
                self.assertEqual(self._pasos(encargada), ["pendiente"] * 6)

                # Institución y unidad, desde los enlaces de los primeros pasos.
                encargada.locator("li[data-paso=instituciones] a").click()
                encargada.wait_for_load_state()
                encargada.fill("#id_nombre", "Consulado General E2E")
                encargada.fill("#id_sigla", "CGE2E")
                with encargada.expect_navigation():
                    encargada.locator("button.action-save").click()
                self.assertIn("/admin/snippets/cursos/institucion/", encargada.url)
                encargada.goto(f"{self.sitio}/encargado/")
                encargada.locator("li[data-paso=unidades] a").click()
                encargada.wait_for_load_state()
                encargada.select_option("#id_institucion", label="CGE2E")
                encargada.fill("#id_nombre", "Sección consular E2E")
                with encargada.expect_navigation():
                    encargada.locator("button.action-save").click()
                self.assertIn("/admin/snippets/cursos/unidad/", encargada.url)

                encargada.goto(f"{self.sitio}/encargado/")
                encargada.locator("li[data-paso=dotacion] a").click()
                encargada.wait_for_load_state()
                encargada.locator("input[name^=total_]").first.fill("12")
                with encargada.expect_navigation():
                    encargada.get_by_role("button", name="Guardar dotación").click()
                encargada.goto(f"{self.sitio}/encargado/")
                self.assertEqual(
                    self._pasos(encargada), ["hecho"] * 3 + ["pendiente"] * 3
                )

                # Nómina: la sube y un worker real la importa; la página de avance
                # consulta el estado y se recarga sola al terminar.
                encargada.locator("li[data-paso=nomina] a").click()
                encargada.wait_for_load_state()
                encargada.set_input_files(
                    "input[name=archivo]",
                    files=[
                        {
                            "name": "nomina.xlsx",
                            "mimeType": "application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sheet",
                            "buffer": self._planilla(),
                        }
                    ],
                )
                with encargada.expect_navigation():
                    encargada.get_by_role("button", name="Importar").click()
                self.assertRegex(encargada.url, r"/importaciones/[0-9a-f-]{36}/$")
                encargada.wait_for_selector(
                    "[data-trabajo][data-terminado='1']", timeout=90_000
                )
                self.assertEqual(
                    encargada.locator("[data-trabajo-estado]").inner_text(),
                    "Aplicada",
                )
                self.assertEqual(
                    encargada.locator("[data-trabajo-progreso]").get_attribute("value"),
                    "100",
                )
                self.assertIn(
                    "Aplicada: 2 creadas y 0 actualizadas.",
                    encargada.locator("p[role=status]").inner_text(),
                )

                # Invitaciones: la unidad tiene dos pendientes; el worker las envía.
                encargada.goto(f"{self.sitio}/encargado/")
                encargada.locator("li[data-paso=invitaciones] a").click()
                encargada.wait_for_load_state()
                fila = encargada.locator("tr", has_text=UNIDAD)
                self.assertEqual(fila.locator("td").first.inner_text(), "2")
                with encargada.expect_navigation():
                    fila.get_by_role("button").click()
                self.assertIn(
                    "se están enviando", encargada.locator(".mensajes").inner_text()
                )
                correo = self._correo_enviado(CORREO_FUNCIONARIA)
                self.assertIn(f"//{DOMINIO}:{self.puerto}/clave/", correo)

                # La funcionaria no crea contraseña: entra con ClaveÚnica desde el
                # curso y se inscribe.
                numero, dv = RUT_FUNCIONARIA.split("-")
                self.proveedor.preparar(
                    numero=int(numero),
                    dv=dv,
                    nombres=["Valentina"],
                    apellidos=["Rojas", "Onboarding"],
                )
                url_curso = f"{self.sitio}{self._url_curso()}"
                funcionaria = contexto()
                funcionaria.goto(url_curso)
                self.clic(
                    funcionaria.get_by_role("link", name="Ingrese para inscribirse")
                )
                funcionaria.wait_for_url(re.compile(r"/ingresar/\?next="))
                self.clic(
                    funcionaria.get_by_role("link", name="Ingresar con ClaveÚnica")
                )
                funcionaria.wait_for_url(url_curso)
                self.clic(
                    funcionaria.get_by_role("button", name="Inscribirme en este curso")
                )
                funcionaria.wait_for_url(url_curso)
                self.assertIn("Quedó inscrita o inscrito", funcionaria.content())

                # Todo hecho: la lista queda plegada bajo «todo listo», con sus
                # seis pasos marcados.
                encargada.goto(f"{self.sitio}/encargado/")
                self.assertEqual(self._pasos(encargada), ["hecho"] * 6)
                self.assertEqual(
                    encargada.locator("#primeros-pasos-titulo").inner_text(),
                    "Primeros pasos: todo listo",
                )
            finally:
                connections.close_all()
        self.assertEqual(errores, [])
