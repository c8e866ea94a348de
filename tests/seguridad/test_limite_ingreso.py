"""Límite de intentos fallidos de ingreso: por usuario + IP, por schema, sin RUT."""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings

from tests.base import CLAVE, CapacitaTestCase
from tests.cursos.factories import rut_registrar, rut_valido

MAX = 3
RUT = rut_valido(16_543_210)


@override_settings(INGRESO_MAX_FALLOS=MAX, INGRESO_VENTANA_SEGUNDOS=600)
class LimiteIngresoTests(CapacitaTestCase):
    def fallar(self, client, username="alice", veces=1, url="/ingresar/"):
        for _n in range(veces):
            response = client.post(url, {"username": username, "password": "mala"})
        return response

    def test_bloquea_tras_n_fallos_con_429_y_mensaje_en_espanol(self):
        for _n in range(MAX):
            self.assertEqual(self.fallar(self.client_a).status_code, 200)
        # Ni siquiera la contraseña correcta entra mientras dure la ventana.
        response = self.client_a.post(
            "/ingresar/", {"username": "alice", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Demasiados intentos fallidos", status_code=429)
        self.assertContains(response, "10 minutos", status_code=429)
        self.assertEqual(response["Retry-After"], "600")
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_el_ingreso_correcto_no_cuenta_y_reinicia(self):
        self.fallar(self.client_a, veces=MAX - 1)
        self.ingresar(self.client_a, "alice")
        self.client_a.post("/salir/")
        self.fallar(self.client_a, veces=MAX - 1)
        self.ingresar(self.client_a, "alice")

    def test_otro_usuario_y_otra_ip_no_quedan_bloqueados(self):
        self.fallar(self.client_a, veces=MAX)
        self.ingresar(self.client_a, "olga")
        otra_ip = self.client_class(HTTP_HOST="alfa.localhost", REMOTE_ADDR="10.0.0.9")
        self.ingresar(otra_ip, "alice")

    def test_otro_tenant_no_se_ve_afectado(self):
        # Mismo nombre de usuario e IP en beta: la clave lleva el schema.
        self.fallar(self.client_a, username="bob", veces=MAX)
        self.assertEqual(self.fallar(self.client_a, username="bob").status_code, 429)
        self.ingresar(self.client_b, "bob")

    def test_admin_de_wagtail_tambien_se_limita(self):
        self.fallar(self.client_a, username="edu", veces=MAX, url="/admin/login/")
        response = self.client_a.post(
            "/admin/login/", {"username": "edu", "password": CLAVE}
        )
        self.assertContains(response, "Demasiados intentos fallidos")
        self.assertNotIn("_auth_user_id", self.client_a.session)
        # El formulario del sitio comparte el contador: el mismo usuario tampoco entra.
        response = self.client_a.post(
            "/ingresar/", {"username": "edu", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 429)

    def test_sitio_publico_tambien_se_limita(self):
        self.fallar(self.client_publico, username="mitp", veces=MAX)
        self.assertEqual(
            self.fallar(self.client_publico, username="mitp").status_code, 429
        )

    def test_el_rut_como_usuario_no_llega_al_log_ni_a_la_cache(self):
        with self.en_a():
            rut_registrar(self.alice, RUT)
        cuerpo = RUT.split("-")[0]
        with self.assertLogs(level="DEBUG") as bitacora:
            self.fallar(self.client_a, username=RUT, veces=MAX + 1)
        texto = "\n".join(bitacora.output)
        self.assertIn("Ingreso bloqueado", texto)
        self.assertNotIn(cuerpo, texto)
        claves = [str(k) for k in getattr(cache, "_cache", {})]
        self.assertTrue(any("ingreso-fallos:alfa:" in k for k in claves))
        self.assertFalse(any(cuerpo in k for k in claves))
