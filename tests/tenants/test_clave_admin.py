"""La contraseña olvidada del admin de Wagtail se recupera en /clave/ del tenant.

Antes, /admin/password_reset/ enviaba un correo por cada pedido (8 de 8), escribía el
nombre de usuario y enlazaba al sitio público, donde el enlace era un 404. Ahora toda
esa ruta lleva a /clave/: el mismo límite por IP y schema, el mismo texto neutro, el
enlace al host del tenant y ningún nombre de usuario en el correo de quien ya tiene
contraseña. Los avisos que Wagtail envía sin petición (moderación) también enlazan al
host del tenant, con el puerto real.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from wagtail.models import Page

from tenants.roles import GRUPO_WAGTAIL_MODERADORES
from tests.base import CLAVE, DOMINIO_A, CapacitaTestCase

CORREO_EDU = "edu.editor@ejemplo.cl"
CLAVE_NUEVA = "Admin-Capacita-2026!"
ENLACE = re.compile(r"https?://(?P<host>[^/\s]+)(?P<ruta>/clave/[^\s]+/)")
ENLACE_RESET = re.compile(r'class="reset-password" href="(?P<href>[^"]+)"')


class ClaveAdminTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.edu.email = CORREO_EDU
            self.edu.save(update_fields=["email"])
        connection.set_schema_to_public()
        mail.outbox = []

    def formulario_desde_el_ingreso_del_admin(self) -> str:
        """Sigue el enlace «¿Olvidó su contraseña?» del ingreso al admin hasta la
        página que atiende; devuelve su ruta."""
        ingreso = self.client_a.get("/admin/login/")
        self.assertEqual(ingreso.status_code, 200)
        href = ENLACE_RESET.search(ingreso.content.decode())["href"]
        response = self.client_a.get(href, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Crear o recuperar su contraseña")
        ruta = response.redirect_chain[-1][0] if response.redirect_chain else href
        self.assertEqual(ruta, "/clave/")
        return ruta

    def test_el_enlace_del_ingreso_al_admin_lleva_a_clave_del_tenant(self):
        self.formulario_desde_el_ingreso_del_admin()
        # También la confirmación vieja de Wagtail: ningún token suyo se acepta.
        response = self.client_a.get("/admin/password_reset/confirm/MQ/abc-123/")
        self.assertRedirects(response, "/clave/", fetch_redirect_response=False)

    def test_ocho_pedidos_envian_a_lo_mas_el_limite_con_respuesta_neutra(self):
        # La ruta de Wagtail ya no envía nada: solo lleva al formulario de /clave/.
        for _n in range(8):
            response = self.client_a.post(
                "/admin/password_reset/", {"email": CORREO_EDU}
            )
            self.assertRedirects(response, "/clave/", fetch_redirect_response=False)
        self.assertEqual(mail.outbox, [])

        ruta = self.formulario_desde_el_ingreso_del_admin()
        maximo = settings.CLAVE_MAX_SOLICITUDES
        estados = []
        for n in range(8):
            correo = CORREO_EDU if n % 2 == 0 else "nadie@ejemplo.cl"
            estados.append(self.client_a.post(ruta, {"email": correo}))
        self.assertLessEqual(len(mail.outbox), maximo)
        self.assertEqual(len(mail.outbox), (maximo + 1) // 2)
        # Exista o no el correo, la misma respuesta; pasado el límite, 429 en español.
        for response in estados[:maximo]:
            self.assertRedirects(
                response, "/clave/enviada/", fetch_redirect_response=False
            )
        for response in estados[maximo:]:
            self.assertContains(response, "Demasiadas solicitudes", status_code=429)
        enviada = self.client_a.get("/clave/enviada/")
        self.assertContains(
            enviada, "Si el correo que escribió corresponde a una cuenta de este sitio"
        )

    def test_el_correo_no_lleva_el_usuario_y_su_enlace_sirve_en_el_tenant(self):
        ruta = self.formulario_desde_el_ingreso_del_admin()
        self.client_a.post(ruta, {"email": CORREO_EDU})
        self.assertEqual(len(mail.outbox), 1)
        mensaje = mail.outbox[0]
        self.assertEqual(mensaje.to, [CORREO_EDU])
        self.assertNotRegex(mensaje.body, r"\bedu\b")
        self.assertNotIn("nombre de usuario", mensaje.body)
        self.assertIn("Tenant alfa", mensaje.body)

        enlace = ENLACE.search(mensaje.body)
        self.assertIsNotNone(enlace, mensaje.body)
        self.assertEqual(enlace["host"], DOMINIO_A)

        # En otro tenant el mismo enlace no sirve (el token lleva el schema).
        ajeno = self.client_b.get(enlace["ruta"], follow=True)
        self.assertContains(ajeno, "Enlace no válido", status_code=404)

        response = self.client_a.get(enlace["ruta"], follow=True)
        self.assertContains(response, "Cree su contraseña")
        formulario = response.redirect_chain[-1][0]
        response = self.client_a.post(
            formulario, {"new_password1": CLAVE_NUEVA, "new_password2": CLAVE_NUEVA}
        )
        self.assertRedirects(response, "/clave/lista/", fetch_redirect_response=False)
        ingreso = self.client_a.post(
            "/admin/login/", {"username": "edu", "password": CLAVE_NUEVA}
        )
        self.assertRedirects(ingreso, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client_a.get("/admin/").status_code, 200)
        self.assertFalse(
            self.client_b.post(
                "/admin/login/", {"username": "bob", "password": CLAVE_NUEVA}
            ).wsgi_request.user.is_authenticated
        )

    def test_quien_activa_su_cuenta_si_recibe_su_usuario(self):
        with self.en_a():
            self.edu.set_unusable_password()
            self.edu.save(update_fields=["password"])
        self.client_a.post("/clave/", {"email": CORREO_EDU})
        self.assertIn("nombre de usuario para ingresar es: edu", mail.outbox[0].body)


@override_settings(CAPACITA_PUERTO="8123")
class EnlacesAdminTenantTests(CapacitaTestCase):
    def test_base_del_admin_es_el_host_del_tenant_con_el_puerto_real(self):
        plantilla = Template("{% load wagtailadmin_tags %}{% base_url_setting %}")
        with self.en_a():
            self.assertEqual(plantilla.render(Context()), "http://alfa.localhost:8123")
        connection.set_schema_to_public()
        self.assertEqual(plantilla.render(Context()), "http://localhost:8123")

    def test_aviso_de_moderacion_enlaza_al_admin_del_tenant(self):
        with self.en_a():
            self.olga.email = "olga@ejemplo.cl"
            self.olga.save(update_fields=["email"])
            Group.objects.get(name=GRUPO_WAGTAIL_MODERADORES).user_set.add(self.olga)
            pagina = Page.objects.get(depth=2).specific
            pagina.save_revision(user=self.edu)
            flujo = pagina.get_workflow()
            self.assertIsNotNone(flujo)
            with self.captureOnCommitCallbacks(execute=True):
                flujo.start(pagina, self.edu)
        avisos = [m for m in mail.outbox if "olga@ejemplo.cl" in m.to]
        self.assertTrue(avisos, [m.to for m in mail.outbox])
        cuerpo = avisos[0].body
        self.assertIn(f"http://alfa.localhost:8123/admin/pages/{pagina.pk}/", cuerpo)
        self.assertNotIn("http://localhost:8000", cuerpo)
        self.assertNotIn(CLAVE, cuerpo)
