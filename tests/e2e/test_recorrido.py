"""Recorrido completo en el navegador, con un servidor y un worker de Celery reales.

1. La MITP crea un tenant con el formulario de alta del admin de Django y lo ve en
   su portada.
2. Una editora sube el paquete H5P e importa el banco (xlsx) en el admin de Wagtail,
   y publica ahí el curso con sus lecciones (el borrador de páginas y la evaluación
   se arman con servicios: el editor de StreamField y los selectores de páginas no se
   recorren en esta prueba).
3. La encargada registra la dotación, importa la nómina (xlsx) e inscribe la unidad.
4. La funcionaria, en un teléfono de 360 px, estudia, juega la actividad H5P y
   aprueba la evaluación final.
5. El worker emite el certificado: aparece en «Mis certificados» y el QR de su PDF
   lleva a la verificación pública, que dice «Válido».
6. La encargada exporta el avance por unidad y la nómina con estado por curso, y la
   MITP descarga el libro del Plan (con umbral 0 las tres van al worker); se abren
   con openpyxl y la funcionaria está contada en las tres.

El servidor usa la configuración de desarrollo con CELERY_BROKER_URL, así que las
tareas no corren en el proceso: van por Redis a un worker en otra cola. Las capturas
quedan en docs/screenshots/recorrido-NN-*.png.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import global_settings, settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import Workbook, load_workbook

from certificados.models import Certificado
from content.models import PaqueteH5P
from cursos.models import CursoPage, LeccionPage, Perfil, RutaPage
from evaluaciones.models import Categoria, Evaluacion, ReglaSorteo
from indicadores.models import Exportacion, Plan
from indicadores.plan import plan_cargar
from tenants.models import InstitucionCatalogo, Tenant
from tenants.roles import Rol
from tenants.services import tenant_eliminar, usuario_asegurar
from tests.base import CLAVE
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import InstitucionFactory, UnidadFactory, rut_valido
from tests.e2e.base import (
    NavegadorTestCase,
    _url_bd,
    cuentas_publicas_borrar,
    grupo_publico_conservado,
)
from tests.worker_celery import redis_disponible
from verificacion.models import RegistroCertificado

CAPTURAS = Path(settings.BASE_DIR) / "docs" / "screenshots"
SCHEMA = "recorrido"
DOMINIO = "recorrido.localhost"
NOMBRE_TENANT = "Recorrido E2E"
CATEGORIA = "Recorrido E2E"
INSTITUCION = "Policía de Prueba"
UNIDAD = "Prefectura Recorrido"
RUT = rut_valido(17_654_321)
ACCIONES = ["E1-A3.1", "E2-A2.1"]
ACCION_ATRIBUIDA, ACCION_SOLO_JORNADAS = "E2-A2.1", "E1-A3.1"
MITP = "e2e-recorrido-mitp"


def _xlsx(filas: list[list]) -> bytes:
    libro = Workbook()
    hoja = libro.active
    for fila in filas:
        hoja.append(fila)
    salida = io.BytesIO()
    libro.save(salida)
    return salida.getvalue()


def _banco_xlsx() -> bytes:
    from evaluaciones.importacion import COLUMNAS

    filas = [COLUMNAS]
    for n, enunciado in enumerate(
        [
            "La trata exige siempre cruzar una frontera.",
            "Si la víctima consintió, no hay trata aunque haya habido engaño.",
            "Un contrato de trabajo vigente descarta la trata.",
        ],
        start=1,
    ):
        filas.append(
            [f"REC-{n}", CATEGORIA, "vf", enunciado, "Es falso."]
            + ["Verdadero", "Falso", "", "", "", "", "2"]
        )
    return _xlsx(filas)


def _nomina_xlsx() -> bytes:
    from cursos.services.nomina import COLUMNAS

    return _xlsx(
        [
            COLUMNAS,
            [
                RUT,
                "Valentina",
                "Rojas Recorrido",
                "valentina.rojas@ejemplo.cl",
                "F",
                INSTITUCION,
                UNIDAD,
                "Cabo",
            ],
        ]
    )


# El servidor corre con la configuración de desarrollo, que no acepta el hasher MD5 de
# las pruebas: las claves se guardan con los hashers por omisión de Django.
@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class RecorridoTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        broker = settings.CELERY_BROKER_URL
        if not redis_disponible(broker):
            self.skipTest(
                f"Sin Redis alcanzable en {broker}: el recorrido usa un worker"
            )
        # Playwright síncrono deja un bucle de eventos en el hilo; el recorrido
        # intercala pasos de navegador y servicios, así que el ORM debe aceptarlo.
        self.addCleanup(os.environ.pop, "DJANGO_ALLOW_ASYNC_UNSAFE", None)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        self.t0 = time.monotonic()
        self.inicio = timezone.now()
        self.addCleanup(self._borrar_datos)
        self.plan_nuevo = not Plan.objects.exists()
        plan_cargar()
        self.enterContext(grupo_publico_conservado(Rol.COORDINADOR_MITP.value))
        coordinacion = usuario_asegurar(
            username=MITP, password=CLAVE, rol=Rol.COORDINADOR_MITP
        )
        # El permiso de exportar el libro del Plan (lo mismo que hace crear_demo).
        coordinacion.groups.get(name=Rol.COORDINADOR_MITP.value).permissions.add(
            *Permission.objects.filter(content_type__app_label="indicadores")
        )
        cola = f"capacita-e2e-{os.getpid()}"
        self.entorno = {
            "CELERY_BROKER_URL": broker,
            "CELERY_QUEUE": cola,
            "INDICADORES_UMBRAL_TAREA": "0",
            "INDICADORES_EXPORTACIONES_DIR": str(self.caja / "exportaciones"),
        }
        self.base_alfa = self._levantar_servidor(self.entorno)
        self._levantar_worker(cola)
        self.publico = f"http://localhost:{self.puerto}"
        self.sitio = f"http://{DOMINIO}:{self.puerto}"

    def _levantar_worker(self, cola: str) -> None:
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
        self.worker = proceso
        self.addCleanup(proceso.wait, 20)
        self.addCleanup(proceso.terminate)

    def _borrar_datos(self):
        connection.set_schema_to_public()
        tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
        if tenant is not None:
            with tenant_context(tenant):
                codigos = list(Certificado.objects.values_list("codigo", flat=True))
            connection.set_schema_to_public()
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            # Hechos y dotación nacional caen en cascada con el tenant.
            tenant_eliminar(schema_name=SCHEMA)
        Exportacion.objects.filter(created_at__gte=self.inicio).delete()
        if self.plan_nuevo:
            Plan.objects.all().delete()
        # El alta del paso 1 dejó su registro en el admin, que apunta a la cuenta.
        LogEntry.objects.filter(user__username=MITP).delete()
        cuentas_publicas_borrar([MITP])

    # --- ayudas ------------------------------------------------------------------

    def _captura(self, pagina, nombre: str, *, completa: bool = True) -> None:
        CAPTURAS.mkdir(parents=True, exist_ok=True)
        pagina.screenshot(
            path=str(CAPTURAS / f"recorrido-{nombre}.png"), full_page=completa
        )

    def _ingresar(self, pagina, url: str, usuario: str) -> None:
        pagina.goto(url)
        pagina.fill("input[name=username]", usuario)
        pagina.fill("input[name=password]", CLAVE)
        with pagina.expect_navigation():
            pagina.locator("form:has(input[name=password]) [type=submit]").click()
        self.assertNotIn("login", pagina.url)
        self.assertNotIn("/ingresar/", pagina.url, pagina.locator("main").inner_text())

    def _archivo(self, nombre: str, contenido: bytes) -> str:
        ruta = self.caja / nombre
        ruta.write_bytes(contenido)
        return str(ruta)

    def _descargar_exportacion(self, pagina, boton: str) -> Path:
        """Pide una exportación y guarda el xlsx.

        Las chicas se descargan en la misma respuesta; las que superan el umbral
        pasan por la página de avance, que se actualiza sola mientras el worker la
        genera.
        """
        with pagina.expect_download(timeout=90_000) as descarga:
            pagina.get_by_role("button", name=boton).click()
            pagina.wait_for_load_state()
            if "/exportaciones/" in pagina.url:
                self.exportaciones_en_worker += 1
                enlace = pagina.get_by_role("link", name="Descargar")
                enlace.wait_for(timeout=60_000)
                enlace.click()
        destino = self.caja / descarga.value.suggested_filename
        descarga.value.save_as(destino)
        return destino

    # --- el recorrido -------------------------------------------------------------

    def test_de_la_creacion_del_tenant_al_libro_del_plan(self):
        errores: list[str] = []
        with self.navegador() as navegador:

            def contexto(ancho: int = 1280):
                ctx = navegador.new_context(
                    viewport={"width": ancho, "height": 800},
                    locale="es-CL",
                    accept_downloads=True,
                )
                pagina = ctx.new_page()
                pagina.on("pageerror", lambda e: errores.append(str(e)))
                return pagina

            try:
                mitp = contexto()
                self._ingresar(mitp, f"{self.publico}/ingresar/", MITP)
                tenant = self._paso1_tenant(mitp)
                with tenant_context(tenant):
                    curso = self._paso2_editora(contexto())
                    self._paso3_encargada(encargada := contexto(), curso)
                    codigo = self._paso4_aprendiz(contexto(360), curso)
                self._paso5_verificar(contexto(360), codigo)
                self._paso6_exportaciones(encargada, mitp)
            finally:
                # Dentro de Playwright el ORM usa otra conexión (otro contexto de
                # asgiref): se cierra aquí para no dejarla abierta contra la base.
                connections.close_all()
        self.assertEqual(errores, [])
        duracion = time.monotonic() - self.t0
        self.assertLess(duracion, 600, f"el recorrido tardó {duracion:.0f} s")

    def _paso1_tenant(self, mitp) -> Tenant:
        mitp.goto(f"{self.publico}/django-admin/tenants/tenant/add/")
        mitp.fill("#id_nombre", NOMBRE_TENANT)
        mitp.select_option("#id_grupo", Tenant.Grupo.POLICIAS.value)
        mitp.fill("#id_schema_name", SCHEMA)
        mitp.fill("#id_dominio", DOMINIO)
        # Clonar la plantilla toma unos segundos.
        with mitp.expect_navigation(timeout=60_000):
            mitp.locator("input[name=_save]").click()
        self.assertTrue(
            mitp.url.endswith("/django-admin/tenants/tenant/"),
            mitp.locator("#content").inner_text(),
        )
        self.assertIn(NOMBRE_TENANT, mitp.locator(".messagelist").inner_text())
        mitp.goto(self.publico + "/")
        self.assertIn(NOMBRE_TENANT, mitp.locator("main").inner_text())
        self._captura(mitp, "01-mitp-portada")
        return Tenant.objects.get(schema_name=SCHEMA)

    def _paso2_editora(self, editora) -> CursoPage:
        # Solo el rol de editora: usuario_asegurar ya le da publicar páginas.
        usuario_asegurar(username="editora", password=CLAVE, rol=Rol.EDITOR)
        self._ingresar(editora, f"{self.sitio}/admin/login/", "editora")

        editora.goto(f"{self.sitio}/admin/snippets/content/paqueteh5p/add/")
        editora.fill("#id_titulo", "Caso de recorrido")
        archivo = pq.demo_archivo()
        editora.set_input_files(
            "#id_archivo", self._archivo(archivo.name, archivo.read())
        )
        editora.get_by_role("button", name="Guardar").first.click()
        editora.wait_for_url("**/admin/snippets/content/paqueteh5p/")
        self._captura(editora, "02-editora-paquete-h5p")
        paquete = PaqueteH5P.objects.get(titulo="Caso de recorrido")

        editora.goto(f"{self.sitio}/admin/banco/importar/")
        editora.set_input_files(
            "#id_archivo", self._archivo("banco.xlsx", _banco_xlsx())
        )
        editora.get_by_role("button", name="Importar").click()
        # La importación corre como tarea; la página de avance muestra el resultado.
        editora.wait_for_url("**/importaciones/*/")
        # El worker la aplica mientras la página consulta su estado.
        estado = editora.locator("main [role=status]")
        estado.filter(has_text="Aplicada").wait_for(timeout=90_000)
        self.assertIn("Aplicada: 3 creadas", estado.inner_text())
        self._captura(editora, "03-editora-banco-importado")

        curso = self._borrador_curso(paquete)
        for pagina in [curso, *LeccionPage.objects.child_of(curso).order_by("path")]:
            editora.goto(f"{self.sitio}/admin/pages/{pagina.pk}/edit/")
            editora.locator("footer .w-dropdown__toggle").first.click()
            editora.get_by_role("button", name="Publicar").click()
            editora.wait_for_url("**/admin/pages/*/")
        self._captura(editora, "04-editora-curso-publicado")
        curso.refresh_from_db()
        self.assertTrue(curso.live)
        self.assertEqual(LeccionPage.objects.child_of(curso).live().count(), 3)
        return curso

    def _borrador_curso(self, paquete: PaqueteH5P) -> CursoPage:
        """El curso en borrador: una lección de texto, una H5P y la evaluación final."""
        ruta = RutaPage.objects.first()
        curso = ruta.add_child(
            instance=CursoPage(
                title="Trata de personas: recorrido completo",
                slug="recorrido-completo",
                resumen="Un curso breve para probar la plataforma de punta a punta.",
                horas=2,
                acciones_plan=ACCIONES,
                vigencia_meses=24,
                live=False,
            )
        )
        curso.save_revision()
        categoria = Categoria.objects.get(nombre=CATEGORIA)
        evaluacion = Evaluacion.objects.create(
            titulo="Evaluación final del recorrido",
            curso=curso,
            nota_aprobacion=60,
            intentos_max=2,
        )
        ReglaSorteo.objects.create(
            evaluacion=evaluacion, categoria=categoria, cantidad=3
        )
        for slug, titulo, cuerpo in [
            (
                "conceptos",
                "Conceptos básicos",
                [("texto", "<p>La trata es la explotación de una persona.</p>")],
            ),
            ("caso", "Un caso en la frontera", [pq.bloque_h5p(paquete)]),
            (
                "evaluacion-final",
                "Evaluación final",
                [("evaluacion", {"evaluacion": evaluacion, "obligatoria": True})],
            ),
        ]:
            leccion = curso.add_child(
                instance=LeccionPage(
                    title=titulo, slug=slug, minutos=5, cuerpo=cuerpo, live=False
                )
            )
            leccion.save_revision()
        return curso

    def _paso3_encargada(self, encargada, curso: CursoPage) -> None:
        usuario_asegurar(username="encargada", password=CLAVE, rol=Rol.ENCARGADO)
        # Una institución de atención directa del catálogo nacional: la acción E2-A2.1
        # la cuenta; E1-A3.1 (solo jornadas) no cuenta un curso en línea.
        catalogo = InstitucionCatalogo.objects.get(codigo="sernameg")
        # Institución y unidad con el formulario de su pantalla del admin de Wagtail
        # (la pantalla misma la recorre tests/e2e/test_onboarding.py).
        institucion = InstitucionFactory(
            nombre=INSTITUCION, sigla="PDP", catalogo=catalogo
        )
        self.unidad = UnidadFactory(
            institucion=institucion, nombre=UNIDAD, region="arica"
        )
        self._ingresar(encargada, f"{self.sitio}/ingresar/", "encargada")

        encargada.goto(f"{self.sitio}/encargado/dotacion/")
        encargada.fill(f"input[name=total_{self.unidad.pk}]", "10")
        encargada.locator("main form [type=submit]").last.click()
        encargada.wait_for_load_state()

        encargada.goto(f"{self.sitio}/encargado/nomina/importar/")
        encargada.set_input_files(
            "input[type=file]", self._archivo("nomina.xlsx", _nomina_xlsx())
        )
        encargada.get_by_role("button", name="Importar").click()
        encargada.wait_for_url("**/importaciones/*/")
        estado = encargada.locator("main [role=status]")
        estado.filter(has_text="Aplicada").wait_for(timeout=90_000)
        self.assertIn("Aplicada: 1 creadas", encargada.locator("main").inner_text())
        self._captura(encargada, "05-encargada-nomina-importada")

        encargada.goto(f"{self.sitio}/encargado/inscribir/")
        encargada.select_option("select[name=curso]", str(curso.pk))
        encargada.select_option("select[name=unidad]", str(self.unidad.pk))
        encargada.get_by_role("button", name="Inscribir").click()
        encargada.wait_for_load_state()
        self._captura(encargada, "06-encargada-unidad-inscrita")

    def _paso4_aprendiz(self, aprendiz, curso: CursoPage) -> str:
        # La nómina crea cuentas sin clave (no hay flujo de activación): se le
        # asigna una, como lo haría soporte.
        usuario = Perfil.objects.get(rut=RUT).usuario
        usuario.set_password(CLAVE)
        usuario.save()
        self._ingresar(aprendiz, f"{self.sitio}/ingresar/", usuario.username)

        aprendiz.goto(f"{self.sitio}/mis-cursos/")
        aprendiz.get_by_role("link", name=curso.title).first.click()
        aprendiz.get_by_role("link", name="Comenzar el curso").click()
        self._captura(aprendiz, "07-aprendiz-leccion")
        aprendiz.get_by_role(
            "button", name="Terminé: ir a la siguiente lección"
        ).click()

        aprendiz.wait_for_url("**/caso/")
        marco = aprendiz.frame_locator("iframe.h5p-capacita__marco")
        marco.get_by_role("button", name="Falso").click(timeout=30_000)
        # Sin wait_for_function: la CSP del sitio no permite evaluar cadenas.
        aprendiz.locator("[data-h5p-estado]", has_text="aprobada").wait_for()
        self._captura(aprendiz, "08-aprendiz-h5p")
        # Tras el iframe aislado de H5P, clic con desplazamiento previo (base.clic).
        self.clic(
            aprendiz.get_by_role("button", name="Terminé: ir a la siguiente lección")
        )

        aprendiz.wait_for_url("**/evaluacion-final/")
        aprendiz.get_by_role("button", name="Responder el control").click()
        aprendiz.wait_for_url("**/evaluaciones/intentos/*/")
        falsos = aprendiz.get_by_label("Falso")
        self.assertEqual(falsos.count(), 3)
        for n in range(3):
            with aprendiz.expect_response(lambda r: "/guardar/" in r.url):
                falsos.nth(n).check()
        aprendiz.get_by_role("button", name="Enviar respuestas").click()
        aprendiz.wait_for_url("**/resultado/")
        self.assertIn("Aprobado", aprendiz.locator("main").inner_text())
        self._captura(aprendiz, "09-aprendiz-quiz-aprobado")

        # El worker emite el certificado: la página lo muestra al recargar.
        aprendiz.get_by_role("main").get_by_role(
            "link", name="Mis certificados"
        ).click()
        limite = time.monotonic() + 60
        while True:
            aprendiz.wait_for_url("**/certificados/")
            if aprendiz.get_by_role("link", name="Descargar PDF").count():
                break
            if time.monotonic() > limite or self.worker.poll() is not None:
                self.fail(
                    "El worker no emitió el certificado:\n"
                    + (self.caja / "worker.log").read_text()[-3000:]
                )
            time.sleep(1)
            aprendiz.reload()
        self.assertIn(curso.title, aprendiz.locator("main").inner_text())
        bitacora = (self.caja / "worker.log").read_text()
        self.assertIn("capacita.certificados.emitir", bitacora)
        self.titulo = curso.title
        self._captura(aprendiz, "10-aprendiz-mis-certificados")

        with aprendiz.expect_download() as descarga:
            aprendiz.get_by_role("link", name="Descargar PDF").click()
        return self._qr_leer(Path(descarga.value.path()).read_bytes())

    def _qr_leer(self, pdf: bytes) -> str:
        import zxingcpp
        from pypdf import PdfReader

        leidos = [
            r.text
            for imagen in PdfReader(io.BytesIO(pdf)).pages[0].images
            for r in zxingcpp.read_barcodes(imagen.image)
        ]
        self.assertEqual(len(leidos), 1, leidos)
        self.assertTrue(leidos[0].startswith(f"{self.publico}/verificar/"), leidos)
        return leidos[0]

    def _paso5_verificar(self, anonima, url_qr: str) -> None:
        anonima.goto(url_qr)
        texto = anonima.locator("main").inner_text()
        self.assertIn("Válido", texto)
        self.assertIn("Valentina", texto)
        self._captura(anonima, "11-verificacion-valido")

    def _paso6_exportaciones(self, encargada, mitp) -> None:
        # Con umbral 0 las tres exportaciones superan el umbral: las genera el worker.
        self.exportaciones_en_worker = 0
        encargada.goto(f"{self.sitio}/encargado/indicadores/")
        ruta = self._descargar_exportacion(encargada, "% capacitado por unidad (.xlsx)")
        filas = self._filas(ruta)
        fila = next(f for f in filas if UNIDAD in f)
        self.assertEqual(fila[filas[0].index("Capacitados")], 1)
        self.assertEqual(fila[filas[0].index("Dotación")], 10)

        encargada.goto(f"{self.sitio}/encargado/indicadores/")
        ruta = self._descargar_exportacion(
            encargada, "Nómina con estado por curso (.xlsx)"
        )
        self._captura(encargada, "12-encargada-exportacion")
        personas = self._filas(ruta, "Personas")
        valentina = next(f for f in personas if "Valentina" in f)
        anio = timezone.localdate().year
        self.assertEqual(valentina[personas[0].index(f"Capacitado en {anio}")], "Sí")
        filas = self._filas(ruta, "Nómina")
        curso = filas[0].index("Curso")
        fila = next(f for f in filas if "Valentina" in f and f[curso] == self.titulo)
        self.assertEqual(fila[filas[0].index("Unidad")], UNIDAD)
        self.assertIsNotNone(fila[filas[0].index("Completado el")])
        self.assertEqual(self.exportaciones_en_worker, 2)

        mitp.goto(f"{self.publico}/")
        mitp.get_by_role("link", name="Indicadores del Plan").click()
        mitp.wait_for_url("**/indicadores/")
        self._captura(mitp, "13-mitp-tablero", completa=False)
        ruta = self._descargar_exportacion(mitp, "Descargar el libro del Plan (.xlsx)")
        libro = load_workbook(ruta, read_only=True)
        filas = [list(f) for f in libro[ACCION_ATRIBUIDA].iter_rows(values_only=True)]
        columna = filas[0].index("Funcionarios capacitados")
        fila = next(f for f in filas if NOMBRE_TENANT in f)
        self.assertEqual(fila[columna], 1)
        # El curso también lleva la etiqueta de E1-A3.1, pero esa acción cuenta solo
        # jornadas: la etiqueta dice que el curso es pertinente, no atribuye.
        hoja = libro[ACCION_SOLO_JORNADAS]
        filas = [list(f) for f in hoja.iter_rows(values_only=True)]
        self.assertFalse([f for f in filas if NOMBRE_TENANT in f])
        self.assertEqual(self.exportaciones_en_worker, 3)

    def _filas(self, ruta: Path, hoja: str | None = None) -> list[list]:
        libro = load_workbook(ruta, read_only=True)
        datos = libro[hoja] if hoja else libro.worksheets[0]
        return [list(f) for f in datos.iter_rows(values_only=True)]
