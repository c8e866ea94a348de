"""Primer acceso y recuperación de contraseña (tenants/cuentas/clave.py).

Una persona importada con la nómina (sin contraseña utilizable) pide el enlace con su
correo, crea su contraseña e ingresa. El enlace vale solo en su tenant, la respuesta
no revela si el correo existe, las solicitudes se limitan por IP y schema, y el RUT no
aparece en el correo, en las URL ni en el log.
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import override_settings

from cursos.models import Perfil, Unidad
from cursos.services.nomina import nomina_importar
from tenants.cuentas.clave import token_clave
from tests.base import DOMINIO_A, CapacitaTestCase
from tests.cursos.factories import InstitucionFactory, UnidadFactory, rut_valido
from tests.cursos.importar import xlsx

RUT = rut_valido(17_654_321)
CORREO = "ana.perez@ejemplo.cl"
CLAVE_NUEVA = "Trata-Capacita-2026!"
ENLACE = re.compile(r"https?://(?P<host>[^/\s]+)(?P<ruta>/clave/[^\s]+/)")


class _Bitacora(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.registros: list[str] = []

    def emit(self, record):
        self.registros.append(record.getMessage())
        if record.exc_info:
            self.registros.append(logging.Formatter().formatException(record.exc_info))


class ActivacionBase(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            institucion = InstitucionFactory(nombre="Carabineros de Chile", sigla="CAR")
            UnidadFactory(institucion=institucion, nombre="Prefectura Arica")
            resultado = nomina_importar(
                xlsx(
                    [
                        ["RUT", "Nombres", "Apellidos", "Correo", "Sexo"]
                        + ["Institución", "Unidad", "Cargo"],
                        [RUT, "Ana", "Pérez Soto", CORREO, "F"]
                        + ["CAR", "Prefectura Arica", "Sargento"],
                    ]
                )
            )
            self.assertEqual(resultado.creadas, 1)
            self.ana = Perfil.objects.select_related("usuario").get(rut=RUT).usuario
            self.assertFalse(self.ana.has_usable_password())
        connection.set_schema_to_public()
        # Todo lo que se registre durante la prueba, sin el filtro que tacha RUT.
        self.bitacora = _Bitacora()
        raiz = logging.getLogger()
        self._nivel = raiz.level
        raiz.setLevel(logging.DEBUG)
        raiz.addHandler(self.bitacora)
        self.urls: list[str] = []

    def tearDown(self):
        raiz = logging.getLogger()
        raiz.removeHandler(self.bitacora)
        raiz.setLevel(self._nivel)
        super().tearDown()

    def pedir(self, client, url, datos=None):
        self.urls.append(url)
        if datos is None:
            return client.get(url)
        return client.post(url, datos)

    def solicitar(self, client, correo=CORREO):
        return self.pedir(client, "/clave/", {"email": correo})

    def enlace(self, mensaje) -> tuple[str, str]:
        encontrado = ENLACE.search(mensaje.body)
        self.assertIsNotNone(encontrado, mensaje.body)
        return encontrado["host"], encontrado["ruta"]

    def assertSinRut(self):
        cuerpo = RUT.split("-")[0]
        variantes = {RUT, cuerpo, f"{int(cuerpo):,}".replace(",", ".")}
        textos = (
            [m.subject for m in mail.outbox]
            + [m.body for m in mail.outbox]
            + self.urls
            + self.bitacora.registros
        )
        for texto in textos:
            for variante in variantes:
                self.assertNotIn(variante, texto)


class ActivacionTests(ActivacionBase):
    def test_persona_importada_crea_su_contrasena_e_ingresa(self):
        response = self.pedir(self.client_a, "/ingresar/")
        self.assertContains(response, "¿Primera vez o no recuerda su contraseña?")
        self.assertContains(response, 'href="/clave/"')

        response = self.solicitar(self.client_a)
        self.assertRedirects(response, "/clave/enviada/", fetch_redirect_response=False)
        self.assertContains(
            self.pedir(self.client_a, "/clave/enviada/"), "Revise su correo"
        )
        self.assertEqual(len(mail.outbox), 1)
        mensaje = mail.outbox[0]
        self.assertEqual(mensaje.to, [CORREO])
        self.assertIn("Tenant alfa", mensaje.subject)
        self.assertIn("Tenant alfa", mensaje.body)
        self.assertIn("Hola, Ana Pérez Soto", mensaje.body)
        host, ruta = self.enlace(mensaje)
        self.assertEqual(host, DOMINIO_A)
        self.assertIn(
            f"nombre de usuario para ingresar es: {self.ana.username}", mensaje.body
        )

        # Django guarda el token en la sesión y redirige a .../nueva/.
        response = self.pedir(self.client_a, ruta)
        self.assertEqual(response.status_code, 302)
        formulario = response["Location"]
        self.assertTrue(formulario.endswith("/nueva/"))
        self.assertContains(self.pedir(self.client_a, formulario), "Cree su contraseña")
        response = self.pedir(
            self.client_a,
            formulario,
            {"new_password1": CLAVE_NUEVA, "new_password2": CLAVE_NUEVA},
        )
        self.assertRedirects(response, "/clave/lista/", fetch_redirect_response=False)
        self.assertContains(
            self.pedir(self.client_a, "/clave/lista/"), "Contraseña guardada"
        )

        self.pedir(
            self.client_a,
            "/ingresar/",
            {"username": self.ana.username, "password": CLAVE_NUEVA},
        )
        self.assertEqual(int(self.client_a.session["_auth_user_id"]), self.ana.pk)
        # El enlace sirve una sola vez.
        otro = self.client_class(HTTP_HOST=DOMINIO_A)
        response = self.pedir(otro, ruta)
        self.assertContains(response, "Enlace no válido", status_code=404)
        self.assertSinRut()

    def test_el_mismo_correo_en_otro_tenant_no_envia_nada(self):
        response = self.solicitar(self.client_b)
        self.assertRedirects(response, "/clave/enviada/", fetch_redirect_response=False)
        self.assertEqual(mail.outbox, [])
        self.assertSinRut()

    def test_el_enlace_de_un_tenant_no_sirve_en_otro(self):
        # En beta, una cuenta con el mismo id y el mismo correo que Ana en alfa.
        with self.en_b():
            User = get_user_model()
            User.objects.filter(pk=self.ana.pk).delete()
            User.objects.create_user(
                pk=self.ana.pk, username="ana.beta", email=CORREO, password="x-y-z-123"
            )
        self.solicitar(self.client_a)
        _host, ruta = self.enlace(mail.outbox[0])
        response = self.pedir(self.client_b, ruta)
        if response.status_code == 302:
            response = self.pedir(self.client_b, response["Location"])
        self.assertContains(response, "Enlace no válido", status_code=404)
        self.assertNotContains(response, "new_password1", status_code=404)
        with self.en_b():
            self.assertFalse(
                get_user_model().objects.get(pk=self.ana.pk).check_password(CLAVE_NUEVA)
            )
        self.assertSinRut()

    def test_el_token_lleva_el_schema(self):
        with self.en_a():
            token = token_clave.make_token(self.ana)
            self.assertTrue(token_clave.check_token(self.ana, token))
        with self.en_b():
            self.assertFalse(token_clave.check_token(self.ana, token))

    def test_correo_desconocido_recibe_la_misma_pagina_y_nada_se_envia(self):
        conocido = self.solicitar(self.client_a)
        mail.outbox.clear()
        desconocido = self.solicitar(self.client_a, "nadie@ejemplo.cl")
        self.assertEqual(desconocido.status_code, conocido.status_code)
        self.assertEqual(desconocido["Location"], conocido["Location"])
        self.assertEqual(mail.outbox, [])

    def test_cuenta_inactiva_no_recibe_enlace(self):
        with self.en_a():
            get_user_model().objects.filter(pk=self.ana.pk).update(is_active=False)
        self.solicitar(self.client_a)
        self.assertEqual(mail.outbox, [])

    def test_el_correo_se_compara_sin_mayusculas(self):
        self.solicitar(self.client_a, CORREO.upper())
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, [CORREO])

    @override_settings(CLAVE_MAX_SOLICITUDES=2, CLAVE_VENTANA_SEGUNDOS=600)
    def test_limite_por_ip_y_schema_con_429_en_espanol(self):
        for _n in range(2):
            self.assertEqual(
                self.solicitar(self.client_a, "nadie@ejemplo.cl").status_code, 302
            )
        response = self.solicitar(self.client_a)
        self.assertContains(response, "Demasiadas solicitudes", status_code=429)
        self.assertContains(response, "10 minutos", status_code=429)
        self.assertEqual(response["Retry-After"], "600")
        self.assertEqual(mail.outbox, [])
        # Otra IP en el mismo tenant y la misma IP en otro tenant siguen pudiendo.
        otra_ip = self.client_class(HTTP_HOST=DOMINIO_A, REMOTE_ADDR="10.0.0.9")
        self.assertEqual(self.solicitar(otra_ip).status_code, 302)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(self.solicitar(self.client_b).status_code, 302)
        self.assertSinRut()

    def test_sitio_publico_tambien_tiene_el_formulario(self):
        response = self.pedir(self.client_publico, "/clave/")
        self.assertContains(response, "Crear o recuperar su contraseña")


class InvitacionesTests(ActivacionBase):
    """La encargada ve el enlace en la nómina e invita por unidad (tenants/tasks.py)."""

    def test_la_pagina_de_la_nomina_muestra_el_enlace_de_activacion(self):
        self.ingresar(self.client_a, "olga")
        response = self.pedir(self.client_a, "/encargado/nomina/importar/")
        self.assertContains(
            response, "activan su cuenta en http://alfa.localhost/clave/"
        )
        self.assertContains(response, 'href="/encargado/invitaciones/"')

    def test_invitar_una_unidad_envia_el_enlace_a_las_pendientes(self):
        self.ingresar(self.client_a, "olga")
        response = self.pedir(self.client_a, "/encargado/invitaciones/")
        self.assertContains(response, "Prefectura Arica")
        self.assertEqual([u.pendientes for u in response.context["unidades"]], [1])
        unidad = response.context["unidades"][0]
        with self.captureOnCommitCallbacks(execute=True):
            response = self.pedir(
                self.client_a, "/encargado/invitaciones/", {"unidad": unidad.pk}
            )
        self.assertRedirects(
            response, "/encargado/invitaciones/", fetch_redirect_response=False
        )
        self.assertEqual(len(mail.outbox), 1)
        mensaje = mail.outbox[0]
        self.assertEqual(mensaje.to, [CORREO])
        self.assertIn("Active su cuenta", mensaje.subject)
        self.assertIn("Tenant alfa", mensaje.body)
        host, ruta = self.enlace(mensaje)
        self.assertEqual(host, DOMINIO_A)

        # Quien ya creó su contraseña deja de estar pendiente.
        ana = self.client_class(HTTP_HOST=DOMINIO_A)
        formulario = self.pedir(ana, ruta)["Location"]
        self.pedir(
            ana,
            formulario,
            {"new_password1": CLAVE_NUEVA, "new_password2": CLAVE_NUEVA},
        )
        response = self.pedir(self.client_a, "/encargado/invitaciones/")
        self.assertEqual([u.pendientes for u in response.context["unidades"]], [0])
        self.assertSinRut()

    def test_solo_la_encargada_y_solo_en_un_tenant(self):
        self.ingresar(self.client_a, "alice")
        response = self.pedir(self.client_a, "/encargado/invitaciones/")
        self.assertEqual(response.status_code, 403)
        response = self.pedir(self.client_publico, "/encargado/invitaciones/")
        self.assertIn(response.status_code, (302, 404))

    def test_invitar_una_unidad_inexistente_o_manipulada_da_404_sin_enviar(self):
        # Otro tenant tiene su propia tabla de unidades: un id ajeno es, en alfa, un
        # id que no existe (el recorrido de tests/seguridad lo prueba con ids reales).
        with self.en_a():
            ausente = Unidad.objects.order_by("-pk").first().pk + 1
        self.ingresar(self.client_a, "olga")
        for valor in (str(ausente), "abc", "1 OR 1=1", "", "²"):
            with self.captureOnCommitCallbacks(execute=True):
                response = self.pedir(
                    self.client_a, "/encargado/invitaciones/", {"unidad": valor}
                )
            self.assertEqual(response.status_code, 404, valor)
        self.assertEqual(mail.outbox, [])
