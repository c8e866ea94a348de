"""La media pública de cada tenant solo en su propio host (tenants/archivos.py).

Antes, ``make run`` (DEBUG) servía todo MEDIA_ROOT con ``static()``: un archivo de
``/media/alfa/…`` respondía 200 en beta y en el sitio público, sin sesión. Cada prueba
corre dos veces: con las URL de las pruebas y con las que carga ``make run``.
"""

from __future__ import annotations

import importlib
import os

from django.test import override_settings
from django.urls import clear_url_caches

from tenants.archivos import CSP_ARCHIVOS
from tests.base import CapacitaTestCase
from tests.content import h5p_paquetes as pq

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00"
    b"\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)
FOTO_ALFA = "/media/alfa/original_images/foto.png"


class MediaPorTenantMixin(pq.MediaTemporalMixin):
    def setUp(self):
        super().setUp()
        self.escribir("alfa/original_images/foto.png", PNG)
        self.escribir("beta/original_images/foto-beta.png", PNG + b"beta")
        self.escribir("public/logos/mitp.png", PNG)

    def escribir(self, relativa: str, datos: bytes) -> None:
        ruta = self.media / relativa
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_bytes(datos)

    def assert_404(self, client, url: str) -> None:
        response = client.get(url)
        self.assertEqual(response.status_code, 404, url)
        self.assertNotIn(b"PNG", response.content, url)

    def contenido(self, response) -> bytes:
        return b"".join(response.streaming_content)

    def test_la_media_de_alfa_se_ve_en_alfa_sin_ejecutar_nada(self):
        response = self.client_a.get(FOTO_ALFA)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.contenido(response), PNG)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(response["Content-Disposition"].startswith("inline"))
        self.assertEqual(response["Content-Security-Policy"], CSP_ARCHIVOS)
        self.assertTrue(response["Content-Security-Policy"].startswith("sandbox"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Cross-Origin-Resource-Policy"], "same-origin")

    def test_la_media_de_alfa_no_se_ve_en_beta_ni_en_el_sitio_publico(self):
        self.assert_404(self.client_b, FOTO_ALFA)
        self.assert_404(self.client_publico, FOTO_ALFA)
        self.ingresar(self.client_b, "bob")
        self.assert_404(self.client_b, FOTO_ALFA)
        self.assert_404(self.client_a, "/media/beta/original_images/foto-beta.png")

    def test_el_sitio_publico_solo_sirve_su_propia_media(self):
        response = self.client_publico.get("/media/public/logos/mitp.png")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Security-Policy"], CSP_ARCHIVOS)
        self.assert_404(self.client_a, "/media/public/logos/mitp.png")

    def test_rutas_que_salen_de_la_carpeta_del_tenant_son_404(self):
        for url in [
            "/media/alfa/../beta/original_images/foto-beta.png",
            "/media/alfa/%2e%2e/beta/original_images/foto-beta.png",
            "/media/alfa/original_images/..%2f..%2fbeta%2foriginal_images%2ffoto-beta.png",
            "/media/alfa/./original_images/foto.png",
            "/media/alfa//original_images/foto.png",
            "/media/alfa/original_images\\foto.png",
            "/media/alfa/original_images/foto.png%00.txt",
            "/media/beta/../alfa/original_images/foto.png",
            "/media/alfa/original_images/",
            "/media/alfa/original_images",
            "/media/alfa/",
            "/media/alfa",
            "/media/alfa/no-existe.png",
        ]:
            self.assert_404(self.client_a, url)

    def test_enlaces_simbolicos_son_404(self):
        destino = self.media / "beta/original_images/foto-beta.png"
        os.symlink(destino, self.media / "alfa/original_images/enlace.png")
        os.symlink(destino.parent, self.media / "alfa/carpeta")
        self.assert_404(self.client_a, "/media/alfa/original_images/enlace.png")
        self.assert_404(self.client_a, "/media/alfa/carpeta/foto-beta.png")

    def test_paquetes_h5p_y_documentos_nunca_salen_por_media(self):
        self.escribir("alfa/h5p/paquetes/abc/content/content.json", b"{}")
        self.escribir("alfa/h5p/archivos/demo.h5p", b"PK")
        self.escribir("alfa/documents/secreto.pdf", b"%PDF")
        for url in [
            "/media/alfa/h5p/paquetes/abc/content/content.json",
            "/media/alfa/h5p/archivos/demo.h5p",
            "/media/alfa/H5P/archivos/demo.h5p",
            "/media/alfa/documents/secreto.pdf",
        ]:
            self.assert_404(self.client_a, url)

    def test_html_xml_y_svg_se_descargan_y_no_se_interpretan(self):
        script = b"<script>alert(document.cookie)</script>"
        casos = {
            "pagina.html": "text/plain; charset=utf-8",
            "datos.xml": "text/plain; charset=utf-8",
            "estilo.xsl": "text/plain; charset=utf-8",
            "codigo.js": "text/plain; charset=utf-8",
            "dibujo.svg": "image/svg+xml",
            "raro.bin": "application/octet-stream",
        }
        for nombre, tipo in casos.items():
            self.escribir(f"alfa/original_images/{nombre}", script)
            response = self.client_a.get(f"/media/alfa/original_images/{nombre}")
            self.assertEqual(response.status_code, 200, nombre)
            self.assertEqual(response["Content-Type"], tipo, nombre)
            self.assertTrue(
                response["Content-Disposition"].startswith("attachment"), nombre
            )
            self.assertEqual(response["Content-Security-Policy"], CSP_ARCHIVOS)
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")

    def test_solo_get_y_head(self):
        self.assertEqual(self.client_a.head(FOTO_ALFA).status_code, 200)
        self.assertEqual(self.client_a.post(FOTO_ALFA).status_code, 405)

    @override_settings(ARCHIVOS_X_ACCEL=True)
    def test_detras_de_nginx_la_vista_revisa_y_nginx_entrega(self):
        response = self.client_a.get(FOTO_ALFA)
        self.assertEqual(response.status_code, 200)
        interna = "/_interno/media/alfa/original_images/foto.png"
        self.assertEqual(response["X-Accel-Redirect"], interna)
        self.assertEqual(response.content, b"")
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(response["Content-Security-Policy"], CSP_ARCHIVOS)
        otro = self.client_b.get(FOTO_ALFA)
        self.assertEqual(otro.status_code, 404)
        self.assertNotIn("X-Accel-Redirect", otro)


class MediaPorTenantTests(MediaPorTenantMixin, CapacitaTestCase):
    pass


class MediaComoEnMakeRunTests(MediaPorTenantMixin, CapacitaTestCase):
    """Con DEBUG, como ``make run``: las URL se vuelven a cargar con ese ajuste."""

    def setUp(self):
        super().setUp()
        ajuste = override_settings(DEBUG=True)
        ajuste.enable()
        self.addCleanup(self.urls_recargar)
        self.addCleanup(ajuste.disable)
        self.urls_recargar()

    def urls_recargar(self) -> None:
        import config.urls_public
        import config.urls_tenant

        importlib.reload(config.urls_tenant)
        importlib.reload(config.urls_public)
        clear_url_caches()
