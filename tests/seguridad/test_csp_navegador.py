"""La CSP no rompe la lección con H5P: Chromium no informa violaciones.

Reutiliza el montaje de tests/e2e/test_h5p_navegador.py (runserver con los settings
de desarrollo, que llevan la misma CSP que producción). La lección lleva la CSP del
sitio; el iframe aislado del paquete, la suya (content/h5p/servicio.py): las
violaciones de ambos documentos llegan a la consola de la página.
"""

from __future__ import annotations

import pytest

from tests.e2e import test_h5p_navegador

# Levanta runserver y Chromium como las de tests/e2e: corre con ``pytest -m e2e``.
pytestmark = pytest.mark.e2e

REGISTRAR_VIOLACIONES = """
window.__violacionesCSP = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violacionesCSP.push(e.violatedDirective + " " + e.blockedURI);
});
"""


class CSPNavegadorTests(test_h5p_navegador.H5PNavegadorTests):
    # Solo la prueba de abajo; la heredada ya corre en tests/e2e.
    test_la_funcionaria_responde_el_caso_y_la_leccion_queda_completada = None

    def test_leccion_con_h5p_sin_violaciones_de_csp(self):
        errores: list[str] = []
        consola: list[str] = []
        with self.pagina_movil(self.sesion, errores) as pagina:
            pagina.on(
                "console",
                lambda m: (
                    consola.append(m.text)
                    if "Content Security Policy" in m.text
                    else None
                ),
            )
            pagina.add_init_script(REGISTRAR_VIOLACIONES)
            respuesta = pagina.goto(self.base + self.url_leccion)
            self.assertIn(
                "script-src 'self'", respuesta.headers["content-security-policy"]
            )
            # H5P ya no corre en la página: ningún hash de script en línea.
            self.assertNotIn("sha256-", respuesta.headers["content-security-policy"])
            marco = pagina.frame_locator("iframe.h5p-capacita__marco")
            # Si la CSP bloquea el reproductor, el botón no aparece: se informa qué
            # bloqueó en vez de solo el tiempo agotado.
            from playwright.sync_api import TimeoutError as TiempoAgotado

            try:
                marco.get_by_role("button", name="Falso").click(timeout=20_000)
            except TiempoAgotado:
                self.fail(f"El reproductor no cargó: {consola} {errores}")
            pagina.wait_for_function("() => window.CapacitaH5P.enviadas === 1")
            violaciones = pagina.evaluate("window.__violacionesCSP")
        self.assertEqual(consola, [])
        self.assertEqual(violaciones, [])
        self.assertEqual(errores, [])
