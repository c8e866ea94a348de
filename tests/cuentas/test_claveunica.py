"""Ingreso con ClaveÚnica con el cliente de pruebas contra un proveedor OIDC real.

El proveedor (tests/cuentas/proveedor_oidc.py) corre como proceso aparte; el backend
canjea el código por HTTP de verdad. Solo el salto del navegador al proveedor y de
vuelta se hace aquí a mano (la prueba de Chromium lo recorre entero).
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlparse

import requests
from django.contrib.auth import get_user_model
from django.test import SimpleTestCase, override_settings

from lib.rut import dv_calcular
from tenants.cuentas.claveunica import rut_desde_claims
from tests.base import CapacitaTestCase
from tests.cuentas.proveedor_oidc import Proveedor
from tests.cursos.factories import rut_registrar, rut_valido

CLIENTE = "capacita-alfa"
RUT = rut_valido(16_234_567)
NUMERO, DV = RUT.split("-")
NO_EN_NOMINA = "no figura en la nómina de Tenant alfa"
NO_VERIFICADA = "No se pudo verificar su identidad con ClaveÚnica"


def conf(issuer: str, **cambios) -> dict:
    return {
        "CLIENT_ID": "",
        "CLIENT_SECRET": "",
        "ISSUER": issuer,
        "SIGN_ALGO": "RS256",
        "LOGOUT_URL": "",
        **cambios,
    }


class ClaveUnicaBase(CapacitaTestCase):
    """Un proveedor por clase; ClaveÚnica configurada solo para el schema alfa."""

    @classmethod
    def setUpClass(cls):
        cls.secreto = secrets.token_urlsafe(24)
        cls.proveedor = Proveedor(CLIENTE, cls.secreto)
        cls.addClassCleanup(cls.proveedor.detener)
        cls.ajustes = override_settings(
            CLAVEUNICA=conf(cls.proveedor.base),
            CLAVEUNICA_POR_SCHEMA={
                "alfa": {"CLIENT_ID": CLIENTE, "CLIENT_SECRET": cls.secreto}
            },
        )
        cls.ajustes.enable()
        cls.addClassCleanup(cls.ajustes.disable)
        super().setUpClass()

    def setUp(self):
        super().setUp()
        with self.en_a():
            rut_registrar(self.alice, RUT)

    def ir_al_proveedor(self, client, siguiente: str = "") -> str:
        """Botón «Ingresar con ClaveÚnica» y aprobación automática del proveedor;
        devuelve la ruta de retorno (con code y state) en el host del tenant."""
        url = "/claveunica/ingresar/" + (f"?next={siguiente}" if siguiente else "")
        response = client.get(url)
        self.assertEqual(response.status_code, 302)
        autorizar = response["Location"]
        self.assertTrue(autorizar.startswith(f"{self.proveedor.base}/authorize?"))
        vuelta = requests.get(autorizar, allow_redirects=False, timeout=10)
        self.assertEqual(vuelta.status_code, 302, vuelta.text)
        retorno = urlparse(vuelta.headers["Location"])
        self.assertEqual(retorno.netloc, "alfa.localhost")
        return f"{retorno.path}?{retorno.query}"

    def ingresar_claveunica(self, client, *, numero=NUMERO, dv=DV, modo="normal"):
        self.proveedor.preparar(numero=int(numero), dv=dv, modo=modo)
        retorno = self.ir_al_proveedor(client)
        return client.get(retorno, follow=True)


class ClaveUnicaIngresoTests(ClaveUnicaBase):
    def test_el_boton_aparece_solo_en_el_tenant_configurado(self):
        self.assertContains(self.client_a.get("/ingresar/"), "Ingresar con ClaveÚnica")
        self.assertNotContains(
            self.client_b.get("/ingresar/"), "Ingresar con ClaveÚnica"
        )
        self.assertNotContains(
            self.client_publico.get("/ingresar/"), "Ingresar con ClaveÚnica"
        )
        self.assertEqual(self.client_b.get("/claveunica/ingresar/").status_code, 404)
        self.assertEqual(self.client_b.get("/claveunica/retorno/").status_code, 404)

    def test_la_funcionaria_de_la_nomina_entra_y_vuelve_adonde_iba(self):
        self.proveedor.preparar(numero=int(NUMERO), dv=DV)
        retorno = self.ir_al_proveedor(self.client_a, siguiente="/mis-cursos/")
        response = self.client_a.get(retorno)
        self.assertRedirects(response, "/mis-cursos/", fetch_redirect_response=False)
        self.assertEqual(int(self.client_a.session["_auth_user_id"]), self.alice.pk)
        self.assertEqual(
            self.client_a.session["_auth_user_backend"],
            "tenants.cuentas.claveunica.ClaveUnicaBackend",
        )
        self.assertContains(self.client_a.get("/mis-cursos/"), "Mis cursos")
        # Lo que vio el proveedor: scopes, nonce, state y PKCE S256; canje sin error.
        estado = self.proveedor.estado()
        pedido = estado["autorizaciones"][-1]
        self.assertEqual(pedido["scope"], "openid run name")
        self.assertEqual(pedido["code_challenge_method"], "S256")
        self.assertTrue(pedido["nonce"] and pedido["state"])
        self.assertEqual(
            pedido["redirect_uri"], "http://alfa.localhost/claveunica/retorno/"
        )
        self.assertEqual(estado["canjes"][-1], {"error": None})

    def test_un_run_que_no_esta_en_la_nomina_recibe_el_mensaje_y_no_se_crea_cuenta(
        self,
    ):
        with self.en_a():
            cuentas = get_user_model().objects.count()
        response = self.ingresar_claveunica(
            self.client_a,
            numero=rut_valido(18_765_432).split("-")[0],
            dv=rut_valido(18_765_432).split("-")[1],
        )
        self.assertContains(response, NO_EN_NOMINA)
        self.assertContains(response, "encargado/a de capacitación")
        self.assertNotIn("_auth_user_id", self.client_a.session)
        with self.en_a():
            self.assertEqual(get_user_model().objects.count(), cuentas)

    def test_un_run_de_la_nomina_de_otro_tenant_no_entra(self):
        ajeno = rut_valido(13_579_246)
        with self.en_b():
            rut_registrar(self.bob, ajeno)
        numero, dv = ajeno.split("-")
        response = self.ingresar_claveunica(self.client_a, numero=numero, dv=dv)
        self.assertContains(response, NO_EN_NOMINA)
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_un_run_con_digito_verificador_malo_no_entra(self):
        dv_malo = "0" if DV != "0" else "1"
        response = self.ingresar_claveunica(self.client_a, dv=dv_malo)
        self.assertContains(response, NO_VERIFICADA)
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_id_token_alterado_con_nonce_ajeno_o_vencido_no_entra(self):
        motivos = {
            "firma_alterada": "InvalidSignatureError",
            "nonce_ajeno": "Nonce verification failed",
            "vencido": "ExpiredSignatureError",
        }
        for modo, motivo in motivos.items():
            client = self.client_class(HTTP_HOST="alfa.localhost")
            with self.assertLogs("tenants.cuentas.claveunica") as bitacora:
                response = self.ingresar_claveunica(client, modo=modo)
            self.assertIn(motivo, "\n".join(bitacora.output))
            self.assertContains(response, NO_VERIFICADA, msg_prefix=modo)
            self.assertNotIn("_auth_user_id", client.session, modo)
        # Y con un token correcto, sí.
        client = self.client_class(HTTP_HOST="alfa.localhost")
        self.ingresar_claveunica(client)
        self.assertEqual(int(client.session["_auth_user_id"]), self.alice.pk)

    def test_una_cuenta_desactivada_no_entra(self):
        with self.en_a():
            self.alice.is_active = False
            self.alice.save(update_fields=["is_active"])
        response = self.ingresar_claveunica(self.client_a)
        self.assertContains(response, "Su cuenta está desactivada")
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_el_retorno_no_se_puede_repetir_ni_usar_en_otra_sesion(self):
        self.proveedor.preparar(numero=int(NUMERO), dv=DV)
        retorno = self.ir_al_proveedor(self.client_a)
        # Otra sesión (otro navegador) con el mismo enlace: state ajeno.
        otro = self.client_class(HTTP_HOST="alfa.localhost")
        response = otro.get(retorno, follow=True)
        self.assertContains(response, NO_VERIFICADA)
        self.assertNotIn("_auth_user_id", otro.session)
        self.client_a.get(retorno)
        self.assertIn("_auth_user_id", self.client_a.session)
        self.client_a.post("/salir/")
        # El mismo state por segunda vez: ya se consumió.
        response = self.client_a.get(retorno, follow=True)
        self.assertContains(response, NO_VERIFICADA)
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_si_la_persona_cancela_en_el_proveedor_ve_un_aviso(self):
        self.client_a.get("/claveunica/ingresar/")
        response = self.client_a.get(
            "/claveunica/retorno/?error=access_denied&state=x", follow=True
        )
        self.assertContains(response, "No se completó el ingreso con ClaveÚnica")

    def test_el_run_no_queda_en_la_bitacora_ni_en_la_sesion(self):
        numero_ajeno, dv_ajeno = rut_valido(19_283_746).split("-")
        with self.assertLogs(level="DEBUG") as bitacora:
            self.ingresar_claveunica(self.client_a, numero=numero_ajeno, dv=dv_ajeno)
            self.ingresar_claveunica(self.client_a, modo="vencido")
            self.ingresar_claveunica(self.client_a)
        texto = "\n".join(bitacora.output)
        self.assertIn("no_en_nomina", texto)
        for cuerpo in [NUMERO, numero_ajeno]:
            self.assertNotIn(cuerpo, texto)
        sesion = str(dict(self.client_a.session.items()))
        self.assertNotIn(NUMERO, sesion)
        self.assertNotIn("RolUnico", sesion)


class ClaveUnicaSalidaTests(ClaveUnicaBase):
    def test_salir_cierra_tambien_la_sesion_en_el_proveedor(self):
        self.ingresar_claveunica(self.client_a)
        response = self.client_a.post("/salir/")
        self.assertNotIn("_auth_user_id", self.client_a.session)
        destino = urlparse(response["Location"])
        self.assertEqual(
            f"{destino.scheme}://{destino.netloc}{destino.path}",
            f"{self.proveedor.base}/logout",
        )
        self.assertEqual(
            parse_qs(destino.query),
            {
                "client_id": [CLIENTE],
                "post_logout_redirect_uri": ["http://alfa.localhost/"],
            },
        )
        vuelta = requests.get(response["Location"], allow_redirects=False, timeout=10)
        self.assertEqual(vuelta.headers["Location"], "http://alfa.localhost/")

    def test_con_contrasena_salir_queda_en_el_sitio(self):
        self.ingresar(self.client_a, "olga")
        response = self.client_a.post("/salir/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client_a.session)

    def test_el_cierre_propio_de_claveunica_lleva_redirect(self):
        base = "https://accounts.ejemplo.cl/api/v1/accounts/app/logout/"
        with override_settings(CLAVEUNICA=conf(self.proveedor.base, LOGOUT_URL=base)):
            self.ingresar_claveunica(self.client_a)
            response = self.client_a.post("/salir/")
        self.assertEqual(
            response["Location"], f"{base}?redirect=http%3A%2F%2Falfa.localhost%2F"
        )
        self.assertNotIn("_auth_user_id", self.client_a.session)


class ClaveUnicaCaidaTests(ClaveUnicaBase):
    def test_con_el_proveedor_caido_vuelve_al_ingreso_con_aviso(self):
        with override_settings(CLAVEUNICA=conf("http://127.0.0.1:9")):
            response = self.client_a.get("/claveunica/ingresar/", follow=True)
        self.assertContains(response, "ClaveÚnica no respondió")
        self.assertEqual(response.request["PATH_INFO"], "/ingresar/")

    def test_un_descubrimiento_de_otro_emisor_no_se_usa(self):
        # Mismo servidor, otro nombre: el documento dice otro issuer (Discovery §4.3).
        otro = self.proveedor.base.replace("127.0.0.1", "localhost")
        with override_settings(CLAVEUNICA=conf(otro)):
            response = self.client_a.get("/claveunica/ingresar/", follow=True)
        self.assertContains(response, "ClaveÚnica no respondió")
        self.assertFalse(self.proveedor.estado()["autorizaciones"])

    def test_un_formulario_con_code_y_state_no_dispara_un_canje(self):
        antes = len(self.proveedor.estado()["canjes"])
        self.client_a.post(
            "/ingresar/?code=x&state=y", {"username": "alice", "password": "mala"}
        )
        self.assertEqual(len(self.proveedor.estado()["canjes"]), antes)
        self.assertNotIn("_auth_user_id", self.client_a.session)


class RolUnicoTests(SimpleTestCase):
    def test_valida_el_claim_con_modulo_11(self):
        casos = {
            "16234567-2": {"numero": 16234567, "DV": "2", "tipo": "RUN"},
            "15000005-K": {"numero": "15000005", "DV": "k", "tipo": "RUN"},
            "12345678-5": {"numero": 12345678, "DV": 5},
        }
        for esperado, rol in casos.items():
            self.assertEqual(rut_desde_claims({"RolUnico": rol}), esperado)
        for rol in [
            None,
            "12345678-5",
            {"numero": 12345678, "DV": "4", "tipo": "RUN"},
            {"numero": 12345678, "DV": "5", "tipo": "PASAPORTE"},
            {"numero": True, "DV": "1"},
            {"numero": "12.345.678", "DV": "5"},
            {"numero": 12345678},
            {"numero": 999, "DV": dv_calcular("999")},
        ]:
            self.assertIsNone(rut_desde_claims({"RolUnico": rol}), rol)
