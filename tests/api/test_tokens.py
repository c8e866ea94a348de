"""Tokens: pantalla del encargado, hash en reposo, revocación, solo lectura, otro
tenant, último uso y límite de solicitudes."""

from __future__ import annotations

import hashlib
import html
import re

from django.test import override_settings

from content.models import RegistroAuditoria
from cursos.api.models import TokenAPI
from tests.api.base import ApiTestCase


class PantallaTokensTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.ingresar(self.client_a, "olga")

    def crear(self, **datos):
        datos = {
            "nombre": "Sistema de personal",
            "institucion": self.inst.pk,
            "alcance": "escritura",
            **datos,
        }
        return self.client_a.post("/encargado/api/", datos)

    def test_crea_el_token_y_muestra_el_secreto_una_sola_vez(self):
        response = self.crear()
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        texto = response.content.decode()
        secreto = html.unescape(
            re.search(r'id="secreto"[^>]*value="([^"]+)"', texto)[1]
        )
        self.assertTrue(secreto.startswith("cap_"))
        with self.en_a():
            token = TokenAPI.objects.get(nombre="Sistema de personal")
            # En la base solo queda el SHA-256 del secreto, no el secreto.
            self.assertEqual(token.hash, hashlib.sha256(secreto.encode()).hexdigest())
            self.assertFalse(
                TokenAPI.objects.filter(hash__contains=secreto[4:20]).exists()
            )
            self.assertTrue(
                RegistroAuditoria.objects.filter(
                    action="capacita.token_api", data__operacion="api_token_crear"
                ).exists()
            )
        # El secreto funciona contra la API...
        r = self.api("get", "/api/v1/unidades/", secreto=secreto)
        self.assertEqual(r.status_code, 200)
        # ...y la lista ya no lo muestra: solo el prefijo.
        lista = self.client_a.get("/encargado/api/").content.decode()
        self.assertNotIn(secreto, lista)
        self.assertIn(token.prefijo, lista)

    def test_revocar_en_la_pantalla_deja_el_token_sin_acceso(self):
        self.assertEqual(self.api("get", "/api/v1/unidades/").status_code, 200)
        response = self.client_a.post(
            f"/encargado/api/{self.token_rw.pk}/revocar/", follow=True
        )
        self.assertContains(response, "Se revocó el token")
        r = self.api("get", "/api/v1/unidades/")
        datos = self.assertProblema(r, 401)
        self.assertIn("revocado", datos["detail"])

    def test_la_funcionaria_no_entra_a_la_pantalla(self):
        self.client_a.logout()
        self.ingresar(self.client_a, "alice")
        self.assertEqual(self.client_a.get("/encargado/api/").status_code, 403)
        r = self.client_a.post(f"/encargado/api/{self.token_rw.pk}/revocar/")
        self.assertEqual(r.status_code, 403)
        with self.en_a():
            self.assertIsNone(TokenAPI.objects.get(pk=self.token_rw.pk).revocado_at)

    def test_nombre_vacio_muestra_el_error_y_no_crea(self):
        response = self.crear(nombre="")
        self.assertContains(response, "Este campo es necesario")
        self.assertNotContains(response, 'id="secreto"')


class AutenticacionTests(ApiTestCase):
    def test_sin_token_responde_401_problem_json_en_espanol(self):
        r = self.api("get", "/api/v1/personas/", secreto="")
        datos = self.assertProblema(r, 401)
        self.assertIn("Bearer", r["WWW-Authenticate"])
        self.assertIn("Authorization: Bearer", datos["detail"])
        self.assertEqual(datos["instance"], "/api/v1/personas/")

    def test_token_de_alfa_en_el_host_de_beta_es_401(self):
        r = self.api(
            "get", "/api/v1/personas/", client=self.client_b, secreto=self.secreto_rw
        )
        self.assertProblema(r, 401)
        # Y el de beta en alfa, tampoco.
        r = self.api("get", "/api/v1/personas/", secreto=self.secreto_beta)
        self.assertProblema(r, 401)

    def test_token_inventado_o_mal_formado_es_401(self):
        self.assertProblema(self.api("get", "/api/v1/unidades/", secreto="cap_x"), 401)
        r = self.client_a.get("/api/v1/unidades/", HTTP_AUTHORIZATION="Bearer a b")
        self.assertProblema(r, 401)

    def test_token_de_solo_lectura_lee_pero_no_escribe(self):
        r = self.api("get", "/api/v1/unidades/", secreto=self.secreto_ro)
        self.assertEqual(r.status_code, 200)
        r = self.api(
            "post",
            "/api/v1/unidades/",
            {"nombre": "Nueva"},
            secreto=self.secreto_ro,
        )
        datos = self.assertProblema(r, 403)
        self.assertIn("solo lectura", datos["detail"])
        with self.en_a():
            self.assertFalse(self.inst.unidades.filter(nombre="Nueva").exists())

    def test_registra_el_ultimo_uso(self):
        with self.en_a():
            self.assertIsNone(TokenAPI.objects.get(pk=self.token_ro.pk).ultimo_uso_at)
        self.api("get", "/api/v1/unidades/", secreto=self.secreto_ro)
        with self.en_a():
            self.assertIsNotNone(
                TokenAPI.objects.get(pk=self.token_ro.pk).ultimo_uso_at
            )

    @override_settings(API_LIMITE="3/min")
    def test_limite_de_solicitudes_por_token_responde_429(self):
        for _i in range(3):
            self.assertEqual(self.api("get", "/api/v1/unidades/").status_code, 200)
        r = self.api("get", "/api/v1/unidades/")
        datos = self.assertProblema(r, 429)
        self.assertIn("Retry-After", r)
        self.assertIn("Reintente", datos["detail"])
        # Otro token tiene su propia cuenta.
        r = self.api("get", "/api/v1/unidades/", secreto=self.secreto_ro)
        self.assertEqual(r.status_code, 200)


class DocumentacionTests(ApiTestCase):
    def test_esquema_openapi_3_y_documentacion_sin_cdn(self):
        r = self.client_a.get("/api/v1/schema/", {"format": "json"})
        self.assertEqual(r.status_code, 200)
        esquema = r.json()
        self.assertTrue(esquema["openapi"].startswith("3."))
        self.assertIn("/api/v1/personas/", esquema["paths"])
        self.assertIn("/api/v1/avance/", esquema["paths"])
        r = self.client_a.get("/api/v1/docs/")
        self.assertEqual(r.status_code, 200)
        texto = r.content.decode()
        self.assertIn("/static/drf_spectacular_sidecar/swagger-ui-dist/", texto)
        self.assertNotIn("cdn", texto.lower())
        # Sin scripts en línea: la CSP del sitio (script-src 'self') rige aquí.
        self.assertNotRegex(texto, r"<script>\s*\S")
        self.assertIn("script-src 'self'", r["Content-Security-Policy"])
        r = self.client_a.get("/api/v1/docs/", {"script": ""})
        self.assertEqual(r.status_code, 200)
        self.assertIn("SwaggerUIBundle", r.content.decode())
