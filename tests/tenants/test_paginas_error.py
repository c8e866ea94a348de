"""Las páginas de error están en español y no muestran datos de otro tenant."""

from __future__ import annotations

from django.test import override_settings

from tests.base import CapacitaTestCase


class PaginasDeErrorTests(CapacitaTestCase):
    def test_404_en_espanol_en_un_tenant_y_en_el_sitio_publico(self):
        for cliente in (self.client_a, self.client_publico):
            r = cliente.get("/no-existe-esta-direccion/")
            self.assertEqual(r.status_code, 404)
            self.assertContains(r, "Página no encontrada", status_code=404)
            self.assertContains(r, 'lang="es-CL"', status_code=404)

    def test_403_en_espanol_para_una_funcionaria_en_el_tablero_de_la_encargada(self):
        self.ingresar(self.client_a, "alice")
        r = self.client_a.get("/encargado/indicadores/")
        self.assertEqual(r.status_code, 403)
        self.assertContains(r, "Acceso no permitido", status_code=403)

    @override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^salud/$"])
    def test_salud_responde_sin_redirigir_a_https(self):
        r = self.client_publico.get("/salud/")
        self.assertEqual(r.status_code, 200)
