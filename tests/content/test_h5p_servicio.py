"""Paquetes H5P servidos en un origen opaco: cabeceras, tenant y tipos de archivo."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from content.h5p import paquete_crear, paquete_validar
from content.h5p.servicio import url_reproductor
from tests.base import DOMINIO_A, DOMINIO_B, CapacitaTestCase

from . import h5p_paquetes as pq

HOST_PAQUETES = "paquetes.localhost"


def directivas(respuesta) -> dict[str, list[str]]:
    csp = {}
    for parte in respuesta["Content-Security-Policy"].split(";"):
        nombre, *fuentes = parte.split()
        csp[nombre] = fuentes
    return csp


class ServicioPaquetesTests(pq.MediaTemporalMixin, CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.paquete = paquete_crear(titulo="Caso", archivo=pq.demo_archivo())
        self.hex = self.paquete.carpeta.removeprefix("h5p/")
        self.base = f"http://{DOMINIO_A}/h5p/paquetes/{self.hex}/"
        self.anonimo = Client(HTTP_HOST=DOMINIO_A)

    def get(self, ruta: str, cliente=None, **extra):
        return (cliente or self.anonimo).get(
            f"/h5p/paquetes/{self.hex}/{ruta}", **extra
        )

    def reproductor(self, cliente=None, **extra):
        return self.get(
            "?actividad=http%3A%2F%2Falfa.localhost%2Fx%2F%23h5p-1&id=h5p-abc",
            cliente,
            **extra,
        )

    def assert_aislado(self, respuesta) -> dict[str, list[str]]:
        """Cabeceras que todo lo que sale de un paquete debe llevar."""
        csp = directivas(respuesta)
        self.assertEqual(csp["sandbox"], ["allow-scripts"])
        self.assertNotIn("allow-same-origin", respuesta["Content-Security-Policy"])
        self.assertEqual(csp["default-src"], ["'none'"])
        reproductor = f"http://{DOMINIO_A}/h5p/reproductor/"
        self.assertEqual(csp["script-src"], [self.base, reproductor])
        self.assertEqual(csp["connect-src"], [self.base])
        self.assertEqual(csp["form-action"], ["'none'"])
        self.assertEqual(csp["frame-ancestors"], [f"http://{DOMINIO_A}"])
        self.assertEqual(respuesta["X-Content-Type-Options"], "nosniff")
        # Pedidos CORS sin credenciales desde el origen null del iframe.
        self.assertEqual(respuesta["Access-Control-Allow-Origin"], "*")
        self.assertNotIn("Access-Control-Allow-Credentials", respuesta)
        self.assertEqual(respuesta["Cross-Origin-Resource-Policy"], "cross-origin")
        self.assertNotIn("X-Frame-Options", respuesta)
        self.assertFalse(respuesta.cookies)
        return csp

    def escribir(self, ruta: str, datos: bytes) -> None:
        destino = self.media / "alfa" / self.paquete.carpeta / ruta
        destino.parent.mkdir(parents=True, exist_ok=True)
        destino.write_bytes(datos)

    # --- lo que se sirve -----------------------------------------------------------

    def test_el_reproductor_se_sirve_sin_sesion_y_aislado(self):
        respuesta = self.reproductor()
        self.assertEqual(respuesta.status_code, 200)
        self.assertEqual(respuesta["Content-Type"], "text/html; charset=utf-8")
        self.assert_aislado(respuesta)
        self.assertContains(respuesta, f'data-h5p-json="{self.base}"')
        self.assertContains(respuesta, "/h5p/reproductor/reproductor.js")
        self.assertContains(
            respuesta, 'data-actividad-iri="http://alfa.localhost/x/#h5p-1"'
        )

    def test_la_sesion_del_aprendiz_no_cambia_nada(self):
        # Autorizado por host y carpeta, nunca por sesión: con o sin ella, lo mismo.
        self.ingresar(self.client_a, "alice")
        con_sesion = self.get("h5p.json", self.client_a)
        sin_sesion = self.get("h5p.json")
        self.assertEqual(con_sesion.status_code, 200)
        self.assertEqual(
            b"".join(con_sesion.streaming_content),
            b"".join(sin_sesion.streaming_content),
        )
        self.assertNotIn("Cookie", con_sesion.get("Vary", ""))

    def test_los_archivos_del_paquete_llevan_su_tipo_y_la_csp_sandbox(self):
        for ruta, tipo in [
            ("h5p.json", "application/json"),
            ("content/content.json", "application/json"),
            (
                "H5P.CapacitaVerdaderoFalso-1.0/capacita-verdadero-falso.js",
                "text/javascript; charset=utf-8",
            ),
            (
                "H5P.CapacitaVerdaderoFalso-1.0/capacita-verdadero-falso.css",
                "text/css; charset=utf-8",
            ),
        ]:
            with self.subTest(ruta=ruta):
                respuesta = self.get(ruta)
                self.assertEqual(respuesta.status_code, 200)
                self.assertEqual(respuesta["Content-Type"], tipo)
                self.assertFalse(
                    respuesta.get("Content-Disposition", "").startswith("attachment")
                )
                self.assert_aislado(respuesta)

    def test_html_xml_y_xsl_de_un_paquete_antiguo_salen_como_texto_adjunto(self):
        # Paquetes subidos antes de rechazar estos tipos: nunca como documento.
        self.escribir("content/pagina.html", b"<script>alert(document.cookie)</script>")
        self.escribir(
            "content/datos.xml",
            b'<?xml-stylesheet type="text/xsl" href="x.xsl"?><a/>',
        )
        self.escribir("content/x.xsl", b"<xsl:stylesheet/>")
        for ruta in ("content/pagina.html", "content/datos.xml", "content/x.xsl"):
            with self.subTest(ruta=ruta):
                respuesta = self.get(ruta)
                self.assertEqual(respuesta.status_code, 200)
                self.assertEqual(respuesta["Content-Type"], "text/plain; charset=utf-8")
                self.assertTrue(
                    respuesta["Content-Disposition"].startswith("attachment")
                )
                self.assert_aislado(respuesta)

    def test_svg_se_sirve_como_imagen_con_la_misma_csp_sandbox(self):
        self.escribir("content/punto.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
        respuesta = self.get("content/punto.svg")
        self.assertEqual(respuesta["Content-Type"], "image/svg+xml")
        self.assert_aislado(respuesta)

    def test_la_biblioteca_propia_se_sirve_en_su_version_del_proyecto(self):
        # Un paquete subido antes (sin result.response) o con el JS alterado recibe
        # la biblioteca de h5p_fuente/, la que el servidor sabe calificar.
        ruta = "H5P.CapacitaVerdaderoFalso-1.0/capacita-verdadero-falso.js"
        self.escribir(ruta, b"/* version vieja */")
        fuente = Path(settings.BASE_DIR) / "h5p_fuente" / "bibliotecas" / ruta
        respuesta = self.get(ruta)
        self.assertEqual(b"".join(respuesta.streaming_content), fuente.read_bytes())
        self.assertIn(b"result.response", fuente.read_bytes())
        self.assert_aislado(respuesta)
        # Lo que el paquete no trae no aparece por venir de h5p_fuente/.
        otro = "H5P.CapacitaVerdaderoFalso-1.0/library.json"
        (self.media / "alfa" / self.paquete.carpeta / otro).unlink()
        self.assertEqual(self.get(otro).status_code, 404)

    @override_settings(CAPACITA_X_ACCEL_PAQUETES="/_paquetes/")
    def test_con_x_accel_el_archivo_lo_entrega_nginx(self):
        respuesta = self.get("h5p.json")
        self.assertEqual(respuesta.status_code, 200)
        self.assertEqual(
            respuesta["X-Accel-Redirect"], f"/_paquetes/alfa/h5p/{self.hex}/h5p.json"
        )
        self.assertEqual(respuesta.content, b"")
        self.assert_aislado(respuesta)

    # --- lo que no se sirve ----------------------------------------------------------

    def test_otro_tenant_no_sirve_el_paquete(self):
        beta = Client(HTTP_HOST=DOMINIO_B)
        self.assertEqual(self.get("h5p.json", beta).status_code, 404)
        self.assertEqual(self.reproductor(beta).status_code, 404)

    def test_carpeta_inventada_rutas_raras_y_ocultos_son_404(self):
        self.escribir(".oculto.json", b"{}")
        for url in [
            f"/h5p/paquetes/{'0' * 32}/h5p.json",
            f"/h5p/paquetes/{self.hex}/../../alfa/h5p/archivos/x",
            f"/h5p/paquetes/{self.hex}/%2e%2e/%2e%2e/settings.py",
            f"/h5p/paquetes/{self.hex}/.oculto.json",
            f"/h5p/paquetes/{self.hex}/no-existe.js",
            f"/h5p/paquetes/{self.hex}/content",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.anonimo.get(url).status_code, 404)

    def test_post_no_se_admite(self):
        self.assertEqual(
            self.anonimo.post(f"/h5p/paquetes/{self.hex}/h5p.json").status_code, 405
        )

    def test_reproductor_sin_actividad_o_con_id_raro_es_404(self):
        self.assertEqual(self.get("").status_code, 404)
        self.assertEqual(self.get("?actividad=x&id=%3Cscript%3E").status_code, 404)

    # --- archivos del reproductor ----------------------------------------------------

    def test_el_reproductor_propio_se_sirve_aislado(self):
        respuesta = self.anonimo.get("/h5p/reproductor/reproductor.js")
        self.assertEqual(respuesta.status_code, 200)
        self.assertEqual(respuesta["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(respuesta["Access-Control-Allow-Origin"], "*")
        self.assertIn("sandbox allow-scripts", respuesta["Content-Security-Policy"])
        for url in [
            "/h5p/reproductor/../config/settings/base.py",
            "/h5p/reproductor/js/capacita.js",
            "/h5p/reproductor/h5p-standalone/../../js/capacita.js",
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.anonimo.get(url).status_code, 404)

    def test_h5p_standalone_se_sirve_desde_la_ruta_del_reproductor(self):
        vendor = Path(settings.BASE_DIR) / "static/vendor/h5p-standalone"
        if not (vendor / "main.bundle.js").exists():
            self.skipTest("Falta el reproductor H5P en static/vendor (make h5p)")
        respuesta = self.anonimo.get("/h5p/reproductor/h5p-standalone/main.bundle.js")
        self.assertEqual(respuesta.status_code, 200)
        self.assertEqual(respuesta["Cross-Origin-Resource-Policy"], "cross-origin")

    # --- host de contenido -----------------------------------------------------------

    @override_settings(CAPACITA_HOST_PAQUETES=HOST_PAQUETES)
    def test_con_host_de_paquetes_la_leccion_apunta_alli_y_este_solo_sirve_paquetes(
        self,
    ):
        from django.test import RequestFactory

        with self.en_a():
            solicitud = RequestFactory().get("/", HTTP_HOST=DOMINIO_A)
            url = url_reproductor(solicitud, self.paquete, iri="i", h5p_id="h5p-1")
        self.assertEqual(
            url,
            f"http://{HOST_PAQUETES}/h5p/paquetes/alfa/{self.hex}/?actividad=i&id=h5p-1",
        )
        contenido = Client(HTTP_HOST=HOST_PAQUETES)
        respuesta = contenido.get(f"/h5p/paquetes/alfa/{self.hex}/h5p.json")
        self.assertEqual(respuesta.status_code, 200)
        csp = directivas(respuesta)
        self.assertEqual(csp["sandbox"], ["allow-scripts"])
        self.assertIn(f"http://{DOMINIO_A}:*", csp["frame-ancestors"])
        self.assertIn(
            f"http://{HOST_PAQUETES}/h5p/paquetes/alfa/{self.hex}/", csp["script-src"]
        )
        self.assertFalse(respuesta.cookies)
        reproductor = contenido.get(
            f"/h5p/paquetes/alfa/{self.hex}/?actividad=i&id=h5p-1"
        )
        self.assertEqual(reproductor.status_code, 200)
        estatico = contenido.get("/h5p/reproductor/reproductor.js")
        self.assertEqual(estatico.status_code, 200)
        self.assertEqual(estatico["Access-Control-Allow-Origin"], "*")
        # En el host del tenant ya no se sirve: solo en el de contenido.
        self.assertEqual(self.get("h5p.json").status_code, 404)
        self.assertEqual(self.reproductor().status_code, 404)
        # El paquete de alfa no existe en beta; el sitio no se sirve en este host.
        for ruta in [
            f"/h5p/paquetes/beta/{self.hex}/h5p.json",
            f"/h5p/paquetes/public/{self.hex}/h5p.json",
            "/ingresar/",
            "/",
        ]:
            with self.subTest(ruta=ruta):
                self.assertEqual(contenido.get(ruta).status_code, 404)


class ValidacionNombresYDocumentosTests(pq.MediaTemporalMixin, CapacitaTestCase):
    def assert_rechaza(self, datos: bytes, fragmento: str, code: str) -> str:
        with self.assertRaises(ValidationError) as ctx:
            paquete_validar(pq.como_archivo(datos))
        mensaje = " ".join(ctx.exception.messages)
        self.assertIn(fragmento, mensaje)
        self.assertEqual(ctx.exception.error_list[0].code, code)
        return mensaje

    def test_rechaza_nombres_con_caracteres_de_control_o_formato(self):
        for nombre in [
            "content/gpj.\u202eexe.json",  # RLO (Cf)
            "content/a\u200bb.json",  # espacio de ancho cero (Cf)
            "content/a\u0085b.json",  # NEL (Cc)
            "content/\u2066x.json",  # LRI (Cf)
        ]:
            with self.subTest(nombre=ascii(nombre)):
                mensaje = self.assert_rechaza(
                    pq.paquete(**{nombre: "{}"}),
                    "caracteres invisibles de control o de formato",
                    "caracter_invisible",
                )
                # El mensaje nombra el carácter sin repetirlo.
                self.assertIn("U+", mensaje)
                self.assertNotIn(nombre, mensaje)

    def test_rechaza_xml_html_y_xsl(self):
        for nombre in ["content/datos.xml", "content/p.HTML", "content/x.xsl"]:
            with self.subTest(nombre=nombre):
                self.assert_rechaza(
                    pq.paquete(**{nombre: "<a/>"}), "documento HTML o XML", "documento"
                )
