"""La documentación navegable (Swagger UI) carga en Chromium bajo la CSP del sitio:
sus archivos vienen de los estáticos propios (drf-spectacular-sidecar), sin CDN ni
scripts en línea, y muestra las operaciones del esquema."""

from __future__ import annotations

import pytest

from tests.e2e.base import NavegadorTestCase

pytestmark = pytest.mark.e2e

REGISTRAR_VIOLACIONES = """
window.__violacionesCSP = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violacionesCSP.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class DocumentacionNavegadorTests(NavegadorTestCase):
    def test_swagger_ui_carga_sin_violaciones_de_csp(self):
        base = self._levantar_servidor()
        errores: list[str] = []
        pedidos: list[str] = []
        with self.navegador() as navegador:
            pagina = navegador.new_page()
            pagina.on("pageerror", lambda e: errores.append(str(e)))
            pagina.on("request", lambda r: pedidos.append(r.url))
            pagina.add_init_script(REGISTRAR_VIOLACIONES)
            respuesta = pagina.goto(base + "/api/v1/docs/")
            self.assertIn(
                "script-src 'self'", respuesta.headers["content-security-policy"]
            )
            pagina.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
            self.assertIn(
                "API para sistemas de RR. HH.",
                pagina.inner_text(".swagger-ui .info .title"),
            )
            self.assertGreaterEqual(pagina.locator(".opblock").count(), 10)
            violaciones = pagina.evaluate("window.__violacionesCSP")
        self.assertEqual(violaciones, [])
        self.assertEqual(errores, [])
        # Todo se pidió al mismo host: ningún CDN.
        self.assertEqual([u for u in pedidos if not u.startswith(base)], [])
