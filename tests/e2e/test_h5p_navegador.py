"""De punta a punta: el reproductor H5P corre aislado en Chromium y su xAPI queda.

Montaje en tests/e2e/base.py: crea con commit en el tenant alfa un usuario, paquetes,
lecciones y una inscripción, y los borra al terminar. Cada actividad corre en un
iframe ``sandbox="allow-scripts"`` (origen null) servido por content/h5p/servicio.py.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django_tenants.utils import tenant_context

from content.h5p import paquete_crear
from content.models import PaqueteH5P, ResultadoH5P
from cursos.models import Inscripcion, LeccionCompletada, LeccionPage
from cursos.services import inscripcion_crear
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, DOMINIO_A
from tests.content import h5p_paquetes as pq
from tests.cursos.factories import curso_por_clave, leccion_agregar
from tests.e2e.base import NavegadorTestCase

MARCO = "iframe.h5p-capacita__marco"
USUARIO = "e2e-h5p"
PREFIJO_PAQUETES = "E2E H5P"


class H5PNavegadorBase(NavegadorTestCase):
    """Un usuario inscrito en «¿Qué es la trata?» y lecciones con bloques H5P."""

    def setUp(self):
        super().setUp()
        self.tenant = Tenant.objects.get(schema_name="alfa")
        self.addCleanup(self._borrar_datos)
        self.ajuste_media = override_settings(
            MEDIA_ROOT=self.media, STORAGES={**settings.STORAGES}
        )
        with self.ajuste_media, tenant_context(self.tenant):
            self.usuario = usuario_asegurar(
                username=USUARIO, password=CLAVE, rol=Rol.FUNCIONARIO
            )
            self.curso = curso_por_clave("que-es-la-trata")
            self.paquete = self.paquete_subir("Caso", pq.DEMO.read_bytes())
            self.leccion = self.leccion_crear(
                "actividad-e2e-h5p", [pq.bloque_h5p(self.paquete)]
            )
            self.url_leccion = self.leccion.url
            inscripcion_crear(usuario=self.usuario, curso=self.curso)
            cliente = Client(HTTP_HOST=DOMINIO_A)
            cliente.force_login(self.usuario)
            self.sesion = cliente.cookies["sessionid"].value
        connection.set_schema_to_public()
        self.base = self._levantar_servidor()

    def paquete_subir(self, titulo: str, datos: bytes) -> PaqueteH5P:
        return paquete_crear(
            titulo=f"{PREFIJO_PAQUETES} {titulo}", archivo=pq.como_archivo(datos)
        )

    def leccion_crear(self, slug: str, cuerpo: list) -> LeccionPage:
        return leccion_agregar(self.curso, title=slug, slug=slug, cuerpo=cuerpo)

    def _borrar_datos(self):
        connection.set_schema_to_public()
        with tenant_context(self.tenant):
            Inscripcion.objects.filter(usuario__username=USUARIO).delete()
            for leccion in LeccionPage.objects.filter(slug__startswith="actividad-e2e"):
                leccion.delete()
            PaqueteH5P.objects.filter(titulo__startswith=PREFIJO_PAQUETES).delete()
            self.usuario.__class__.objects.filter(username=USUARIO).delete()
        connection.set_schema_to_public()

    def resultados(self, paquete=None) -> list[float]:
        with tenant_context(self.tenant):
            filas = ResultadoH5P.objects.filter(usuario=self.usuario)
            if paquete is not None:
                filas = filas.filter(paquete=paquete)
            puntajes = sorted(
                float(x) for x in filas.values_list("puntaje_escalado", flat=True)
            )
        connection.set_schema_to_public()
        return puntajes


class H5PNavegadorTests(H5PNavegadorBase):
    def test_la_funcionaria_responde_el_caso_y_la_leccion_queda_completada(self):
        errores: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.goto(self.base + self.url_leccion)
            self.assertEqual(
                pagina.locator(MARCO).get_attribute("sandbox"), "allow-scripts"
            )
            marco = pagina.frame_locator(MARCO)
            estado = pagina.locator("[data-h5p-estado]")

            # Primero la respuesta equivocada: se registra, pero no aprueba.
            self.clic(marco.get_by_role("button", name="Verdadero"))
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 1")
            self.assertIn("Necesita 70 %", estado.inner_text())

            self.clic(marco.get_by_role("button", name="Intentar de nuevo"))
            self.clic(marco.get_by_role("button", name="Falso"))
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 2")
            self.assertIn("aprobada", estado.inner_text())
            retro = marco.locator("[role=status]").inner_text()
            self.assertIn("Respuesta correcta", retro)
            # El iframe crece con su contenido (mensaje «alto» del reproductor).
            alto = pagina.locator(MARCO).bounding_box()["height"]
            self.assertGreater(alto, 120)
            self.assertLess(alto, 1000)

        self.assertEqual(errores, [])
        # El servidor calificó la respuesta (result.response), no el puntaje enviado.
        self.assertEqual(self.resultados(), [0.0, 1.0])
        with tenant_context(self.tenant):
            declaraciones = ResultadoH5P.objects.filter(usuario=self.usuario)
            self.assertEqual(
                sorted(d.declaracion["result"]["response"] for d in declaraciones),
                ["false", "true"],
            )
            self.assertTrue(
                LeccionCompletada.objects.filter(
                    inscripcion__usuario=self.usuario, leccion=self.leccion
                ).exists()
            )
        connection.set_schema_to_public()


class H5PAisladoNavegadorTests(H5PNavegadorBase):
    def test_dos_actividades_en_una_leccion_cargan_y_reportan(self):
        # Hallazgo 9: la segunda actividad de una lección no cargaba
        # (TypeError … reading 'H5P' en static/js/h5p-capacita.js).
        with self.ajuste_media, tenant_context(self.tenant):
            segundo = self.paquete_subir("Segundo", pq.DEMO.read_bytes())
            leccion = self.leccion_crear(
                "actividad-e2e-dos",
                [pq.bloque_h5p(self.paquete), pq.bloque_h5p(segundo)],
            )
            url = leccion.url
        connection.set_schema_to_public()
        errores: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.goto(self.base + url)
            marcos = pagina.locator(MARCO)
            self.assertEqual(marcos.count(), 2)
            primero = marcos.nth(0).content_frame
            segundo_marco = marcos.nth(1).content_frame
            # Chromium no anima un iframe de otro origen fuera de la vista: Playwright
            # esperaría para siempre que el botón «quede quieto». Se lo trae a la vista.
            marcos.nth(1).scroll_into_view_if_needed()
            self.clic(segundo_marco.get_by_role("button", name="Falso"))
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 1")
            marcos.nth(0).scroll_into_view_if_needed()
            self.clic(primero.get_by_role("button", name="Verdadero"))
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 2")
            estados = pagina.locator("[data-h5p-estado]")
            self.assertIn("Necesita 70 %", estados.nth(0).inner_text())
            self.assertIn("aprobada", estados.nth(1).inner_text())
        self.assertEqual(errores, [])
        self.assertEqual(self.resultados(segundo), [1.0])
        self.assertEqual(self.resultados(self.paquete), [0.0])

    def test_un_paquete_hostil_no_actua_como_la_funcionaria(self):
        with self.ajuste_media, tenant_context(self.tenant):
            hostil = self.paquete_subir("Hostil", pq.hostil())
            leccion = self.leccion_crear(
                "actividad-e2e-hostil", [pq.bloque_h5p(hostil, obligatoria=False)]
            )
            url = self.base + leccion.url
        connection.set_schema_to_public()
        errores: list[str] = []
        pedidos_xapi: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.on(
                "request",
                lambda r: pedidos_xapi.append(r.url) if "/h5p/xapi/" in r.url else None,
            )
            pagina.goto(url)
            marco = pagina.frame_locator(MARCO)
            informe = marco.locator("#informe[data-listo]")
            informe.wait_for(state="attached", timeout=20_000)
            datos = json.loads(informe.inner_text())
            pagina.wait_for_timeout(1000)  # por si una navegación tardía ocurriera

            # La funcionaria sí tiene sesión y cookie CSRF legible en la lección…
            cookies = {c["name"] for c in pagina.context.cookies()}
            self.assertIn("sessionid", cookies)
            self.assertIn("csrftoken", cookies)
            # …y la pestaña sigue en la lección, con su sesión.
            self.assertEqual(pagina.url, url)
            self.assertIn("actividad-e2e-hostil", pagina.title() + pagina.url)
            self.assertEqual(pagina.locator(MARCO).count(), 1)

        # Control: el código del paquete corrió y lee sus propios archivos.
        self.assertTrue(datos["control_propio"].startswith("LEIDO:"), datos)
        # Ni cookies, ni el DOM de la lección, ni el de la pestaña.
        for clave in (
            "cookie",
            "cookie_padre",
            "dom_padre",
            "csrf_padre",
            "titulo_top",
        ):
            with self.subTest(clave=clave):
                self.assertTrue(datos[clave].startswith("bloqueado"), datos[clave])
        # Ningún pedido con la sesión devuelve una página con ingreso.
        for clave in ("fetch_con_sesion", "fetch_no_cors", "xhr_con_sesion"):
            with self.subTest(clave=clave):
                self.assertFalse(datos[clave].startswith("LEIDO:"), datos[clave])
                self.assertNotIn(USUARIO, datos[clave])
        # Los mensajes falsos (otra actividad, sin verbo) no llegaron al servidor.
        self.assertEqual(pedidos_xapi, [])
        self.assertEqual(self.resultados(), [])
        self.assertEqual(errores, [])

    def test_con_host_de_paquetes_la_actividad_corre_alli_y_reporta(self):
        # CAPACITA_HOST_PAQUETES: los paquetes salen de un host sin cookies del tenant.
        base = self._levantar_servidor({"CAPACITA_HOST_PAQUETES": "paquetes.localhost"})
        errores: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.goto(base + self.url_leccion)
            src = pagina.locator(MARCO).get_attribute("src")
            self.assertTrue(
                src.startswith(
                    f"http://paquetes.localhost:{self.puerto}/h5p/paquetes/alfa/"
                ),
                src,
            )
            marco = pagina.frame_locator(MARCO)
            self.clic(marco.get_by_role("button", name="Falso"))
            pagina.locator("[data-h5p-estado]", has_text="aprobada").wait_for()
            dominios = {c["domain"] for c in pagina.context.cookies()}
        self.assertNotIn("paquetes.localhost", dominios)
        self.assertEqual(errores, [])
        self.assertEqual(self.resultados(), [1.0])
