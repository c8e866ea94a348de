"""CSP y cabeceras de seguridad en el sitio del tenant, el sitio público y la
verificación; el admin de Wagtail recibe su propia política."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory, SimpleTestCase

from config.seguridad import CabecerasSeguridadMiddleware
from tests.base import CapacitaTestCase

CABECERAS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def directivas(response) -> dict[str, list[str]]:
    politica = response["Content-Security-Policy"]
    resultado = {}
    for parte in politica.split(";"):
        nombre, *fuentes = parte.split()
        resultado[nombre] = fuentes
    return resultado


class CabecerasTests(CapacitaTestCase):
    def revisar(self, response, *, admin: bool = False) -> dict[str, list[str]]:
        for cabecera, valor in CABECERAS.items():
            self.assertEqual(response.get(cabecera), valor, cabecera)
        self.assertIn("camera=()", response["Permissions-Policy"])
        self.assertIn("geolocation=()", response["Permissions-Policy"])
        csp = directivas(response)
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["base-uri"], ["'self'"])
        self.assertEqual(csp["form-action"], ["'self'"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])
        if not admin:
            self.assertNotIn("'unsafe-inline'", csp["script-src"])
            self.assertNotIn("'unsafe-eval'", csp["script-src"])
        return csp

    def test_pagina_del_tenant_lleva_csp_estricta(self):
        response = self.client_a.get("/")
        self.assertEqual(response.status_code, 200)
        self.revisar(response)

    def test_leccion_con_h5p_admite_su_iframe_y_videos(self):
        self.ingresar(self.client_a, "alice")
        response = self.client_a.get("/mis-cursos/")
        self.assertEqual(response.status_code, 200)
        csp = self.revisar(response)
        self.assertIn("'self'", csp["frame-src"])
        self.assertIn("https://www.youtube-nocookie.com", csp["frame-src"])

    def test_ingreso_del_tenant(self):
        self.revisar(self.client_a.get("/ingresar/"))

    def test_sitio_publico(self):
        response = self.client_publico.get("/")
        self.assertEqual(response.status_code, 200)
        self.revisar(response)

    def test_verificacion_publica(self):
        response = self.client_publico.get("/verificar/")
        self.assertEqual(response.status_code, 200)
        self.revisar(response)
        self.revisar(self.client_publico.get("/verificar/NOEXISTE-0000"))

    def test_admin_de_wagtail_admite_sus_scripts_en_linea(self):
        response = self.client_a.get("/admin/login/")
        self.assertEqual(response.status_code, 200)
        csp = self.revisar(response, admin=True)
        self.assertIn("'unsafe-inline'", csp["script-src"])

    def test_script_en_linea_propio_lleva_el_nonce_de_la_respuesta(self):
        plantilla = engines["django"].from_string(
            '<script nonce="{{ request.csp_nonce }}">1</script>'
        )

        def vista(request):
            return HttpResponse(plantilla.render({"request": request}))

        request = RequestFactory().get("/")
        response = CabecerasSeguridadMiddleware(vista)(request)
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        self.assertGreaterEqual(len(nonce), 16)
        self.assertIn(f"'nonce-{nonce}'", directivas(response)["script-src"])

    def test_la_vista_previa_de_wagtail_se_deja_enmarcar_solo_por_el_mismo_sitio(self):
        def vista(request):
            respuesta = HttpResponse("vista previa")
            respuesta["X-Frame-Options"] = "SAMEORIGIN"  # como la vista de Wagtail
            return respuesta

        request = RequestFactory().get("/admin/pages/3/edit/preview/")
        response = CabecerasSeguridadMiddleware(vista)(request)
        self.assertEqual(directivas(response)["frame-ancestors"], ["'self'"])


class SinHashH5PTests(SimpleTestCase):
    def test_la_pagina_no_permite_scripts_en_linea_por_hash(self):
        # H5P corre en su iframe aislado (content/h5p/servicio.py), con su propia CSP;
        # la página de la lección ya no necesita el hash del script de h5p-standalone.
        fuentes = settings.CSP_POLITICA["script-src"]
        self.assertEqual([f for f in fuentes if f.startswith("'sha256-")], [])
