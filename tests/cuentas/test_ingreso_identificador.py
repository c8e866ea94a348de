"""Ingreso con contraseña por nombre de usuario, correo o RUT, bajo el mismo límite."""

from __future__ import annotations

from django.core.cache import cache
from django.test import override_settings

from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase
from tests.cursos.factories import rut_registrar, rut_valido

RUT = rut_valido(12_345_678)  # 12345678-5
RUT_K = rut_valido(15_000_005)  # 15000005-K
MAX = 3


class IngresoPorIdentificadorTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.alice.email = "alice.alfa@ejemplo.cl"
            self.alice.save(update_fields=["email"])
            rut_registrar(self.alice, RUT)
            rut_registrar(self.olga, RUT_K)

    def entra(self, username: str, client=None) -> bool:
        client = client or self.client_class(HTTP_HOST="alfa.localhost")
        response = client.post("/ingresar/", {"username": username, "password": CLAVE})
        return response.status_code == 302 and "_auth_user_id" in client.session

    def quien(self, client) -> int:
        return int(client.session["_auth_user_id"])

    def test_entra_con_usuario_sin_distinguir_mayusculas(self):
        for forma in ["alice", "ALICE", " Alice "]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            self.assertTrue(self.entra(forma, client), forma)
            self.assertEqual(self.quien(client), self.alice.pk)

    def test_entra_con_correo_en_cualquier_caja(self):
        for forma in ["alice.alfa@ejemplo.cl", "Alice.Alfa@EJEMPLO.cl"]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            self.assertTrue(self.entra(forma, client), forma)
            self.assertEqual(self.quien(client), self.alice.pk)

    def test_entra_con_rut_en_cualquier_formato(self):
        for forma in ["12.345.678-5", "12345678-5", "123456785", "12.345.6785"]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            self.assertTrue(self.entra(forma, client), forma)
            self.assertEqual(self.quien(client), self.alice.pk)
        for forma in ["15.000.005-K", "15000005-k", "15000005k"]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            self.assertTrue(self.entra(forma, client), forma)
            self.assertEqual(self.quien(client), self.olga.pk)

    def test_la_contrasena_equivocada_no_entra_con_ningun_identificador(self):
        for forma in ["alice", "alice.alfa@ejemplo.cl", "12.345.678-5"]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            response = client.post("/ingresar/", {"username": forma, "password": "x"})
            self.assertContains(response, "correctos")
            self.assertNotIn("_auth_user_id", client.session)

    def test_el_rut_de_la_nomina_de_otro_tenant_no_entra(self):
        with self.en_b():
            rut_registrar(self.bob, rut_valido(9_876_543))
        self.assertFalse(self.entra("9.876.543-3"))
        # En su propio tenant sí.
        client_b = self.client_class(HTTP_HOST="beta.localhost")
        self.assertTrue(self.entra("9.876.543-3", client_b))

    def test_rut_con_digito_verificador_malo_no_entra(self):
        self.assertFalse(self.entra("12.345.678-9"))

    def test_un_correo_compartido_por_dos_cuentas_no_elige_ninguna(self):
        with self.en_a():
            self.olga.email = "ALICE.alfa@ejemplo.cl"
            self.olga.save(update_fields=["email"])
        self.assertFalse(self.entra("alice.alfa@ejemplo.cl"))
        self.assertTrue(self.entra("alice"))

    def test_dos_cuentas_que_solo_difieren_en_mayusculas(self):
        with self.en_a():
            otra = usuario_asegurar(
                username="Alice", password=CLAVE, rol=Rol.FUNCIONARIO
            )
        for forma, quien in [("alice", self.alice.pk), ("Alice", otra.pk)]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            self.assertTrue(self.entra(forma, client), forma)
            self.assertEqual(self.quien(client), quien)
        # «ALICE» podría ser cualquiera de las dos: ninguna.
        self.assertFalse(self.entra("ALICE"))

    def test_el_admin_de_wagtail_acepta_correo_y_rut(self):
        with self.en_a():
            self.edu.email = "edu@ejemplo.cl"
            self.edu.save(update_fields=["email"])
            rut_registrar(self.edu, rut_valido(11_111_112))
        for forma in ["EDU@ejemplo.cl", rut_valido(11_111_112)]:
            client = self.client_class(HTTP_HOST="alfa.localhost")
            client.post("/admin/login/", {"username": forma, "password": CLAVE})
            self.assertEqual(self.quien(client), self.edu.pk, forma)

    def test_en_el_sitio_publico_un_rut_no_rompe_el_ingreso(self):
        # El schema public no tiene perfiles: el RUT simplemente no es una cuenta.
        response = self.client_publico.post(
            "/ingresar/", {"username": "12.345.678-5", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "correctos")

    def test_la_etiqueta_dice_que_se_puede_usar_correo_o_rut(self):
        self.assertContains(self.client_a.get("/ingresar/"), "Usuario, correo o RUT")


@override_settings(INGRESO_MAX_FALLOS=MAX, INGRESO_VENTANA_SEGUNDOS=600)
class LimitePorPersonaTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.alice.email = "alice.alfa@ejemplo.cl"
            self.alice.save(update_fields=["email"])
            rut_registrar(self.alice, RUT)

    def test_usuario_correo_y_rut_comparten_el_contador(self):
        for forma in ["alice", "ALICE.alfa@ejemplo.cl", "12.345.678-5"]:
            response = self.client_a.post(
                "/ingresar/", {"username": forma, "password": "mala"}
            )
            self.assertEqual(response.status_code, 200)
        # Cuarto intento, con otra forma del RUT y la contraseña correcta: bloqueado.
        response = self.client_a.post(
            "/ingresar/", {"username": "123456785", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Demasiados intentos fallidos", status_code=429)
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_un_rut_sin_cuenta_cuenta_igual_en_todos_sus_formatos(self):
        ajeno = rut_valido(7_654_321)
        cuerpo, dv = ajeno.split("-")
        con_puntos = f"{cuerpo[0]}.{cuerpo[1:4]}.{cuerpo[4:]}-{dv}"
        formas = [ajeno, ajeno.replace("-", ""), con_puntos]
        for forma in formas:
            self.client_a.post("/ingresar/", {"username": forma, "password": "x"})
        response = self.client_a.post(
            "/ingresar/", {"username": f"0{ajeno}", "password": "x"}
        )
        self.assertEqual(response.status_code, 429)
        claves = [str(k) for k in getattr(cache, "_cache", {})]
        self.assertTrue(any("ingreso-fallos:alfa:" in k for k in claves))
        self.assertFalse(any(cuerpo in k for k in claves))
