from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache
from wagtail.models import Page

from content.models import HomePage, PaginaEstandar
from tests.base import CLAVE, CapacitaTestCase


class AislamientoTests(CapacitaTestCase):
    def test_cada_tenant_tiene_sus_propios_usuarios(self):
        User = get_user_model()
        with self.en_a():
            self.assertTrue(User.objects.filter(username="alice").exists())
            self.assertFalse(User.objects.filter(username="bob").exists())
        with self.en_b():
            self.assertFalse(User.objects.filter(username="alice").exists())

    def test_usuario_de_a_no_puede_ingresar_en_b(self):
        response = self.client_b.post(
            "/ingresar/", {"username": "alice", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Por favor, introduzca un nombre de usuario")
        self.assertNotIn("_auth_user_id", self.client_b.session)

    def test_cookie_de_sesion_de_a_no_autentica_en_b(self):
        self.ingresar(self.client_a, "edu")
        self.assertEqual(self.client_a.get("/admin/").status_code, 200)
        # El mismo cliente (la misma cookie de sesión) contra el host de beta.
        response = self.client_a.get("/admin/", HTTP_HOST="beta.localhost")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_editor_de_a_no_ingresa_al_admin_de_b(self):
        response = self.client_b.post(
            "/admin/login/", {"username": "edu", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.client_b.get("/admin/").status_code, 302)

    def test_pagina_publicada_en_a_es_404_en_b(self):
        with self.en_a():
            portada = HomePage.objects.get()
            portada.add_child(
                instance=PaginaEstandar(
                    title="Solo en alfa", slug="solo-alfa", cuerpo="<p>Hola</p>"
                )
            )
        self.assertContains(self.client_a.get("/solo-alfa/"), "Solo en alfa")
        self.assertEqual(self.client_b.get("/solo-alfa/").status_code, 404)
        with self.en_b():
            self.assertFalse(Page.objects.filter(slug="solo-alfa").exists())

    def test_valor_de_cache_de_a_es_invisible_en_b(self):
        with self.en_a():
            cache.set("clave-compartida", "valor de alfa")
        with self.en_b():
            self.assertIsNone(cache.get("clave-compartida"))
            cache.set("clave-compartida", "valor de beta")
        with self.en_a():
            self.assertEqual(cache.get("clave-compartida"), "valor de alfa")

    def test_portada_muestra_nombre_y_color_del_tenant(self):
        response = self.client_a.get("/")
        self.assertContains(response, "Tenant alfa")
        self.assertContains(response, self.tenant_a.color_primario)
        self.assertNotContains(response, "Tenant beta")

    def test_sitio_publico_lista_tenants_y_no_la_plantilla(self):
        response = self.client_publico.get("/")
        self.assertContains(response, "Tenant alfa")
        self.assertContains(response, "Tenant beta")
        self.assertNotContains(response, "Plantilla")
        self.assertContains(response, "http://alfa.localhost:8000/")

    def test_login_publico_es_solo_para_usuarios_del_schema_public(self):
        response = self.client_publico.post(
            "/ingresar/", {"username": "alice", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ingreso de Coordinación MITP")

    def test_host_desconocido_responde_404(self):
        response = self.client_a.get("/", HTTP_HOST="nadie.localhost")
        self.assertEqual(response.status_code, 404)
