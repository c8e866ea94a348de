"""CSRF obligatorio en los POST y sesiones que vencen (SESSION_COOKIE_AGE)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.base import CLAVE, DOMINIO_A, CapacitaTestCase


class CSRFTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        self.cliente = Client(HTTP_HOST=DOMINIO_A, enforce_csrf_checks=True)

    def test_ingreso_sin_token_csrf_es_403(self):
        response = self.cliente.post(
            "/ingresar/", {"username": "alice", "password": CLAVE}
        )
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("_auth_user_id", self.cliente.session)

    def test_post_con_sesion_y_sin_token_es_403(self):
        with self.en_a():
            self.cliente.force_login(self.alice)
        for url in ["/salir/", "/h5p/xapi/1/1/", "/evaluaciones/1/iniciar/"]:
            self.assertEqual(self.cliente.post(url).status_code, 403, url)


class SesionVencidaTests(CapacitaTestCase):
    def test_la_sesion_vence_y_se_vuelve_a_pedir_ingreso(self):
        ahora = timezone.now()
        with time_machine.travel(ahora, tick=False):
            self.ingresar(self.client_a, "alice")
            self.assertEqual(self.client_a.get("/mis-cursos/").status_code, 200)
        despues = ahora + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
        with time_machine.travel(despues, tick=False):
            response = self.client_a.get("/mis-cursos/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])

    def test_cookies_de_sesion_httponly_y_samesite(self):
        self.ingresar(self.client_a, "alice")
        cookie = self.client_a.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Lax")
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 8 * 3600)
