"""De punta a punta en Chromium: ingreso con ClaveÚnica contra un proveedor OIDC real.

El proveedor de pruebas (tests/cuentas/proveedor_oidc.py) corre en su propio proceso
en 127.0.0.1 y aprueba solo al RUN que la prueba le indica; runserver (montaje en
tests/e2e/base.py) lo usa como emisor del cliente de ClaveÚnica del tenant alfa. La
funcionaria fue importada en la nómina y nunca activó una contraseña: ClaveÚnica es
su forma de entrar. Casos: ingreso e inscripción, id_token con firma alterada, nonce
ajeno, token vencido y un RUN de la nómina de otro tenant. Ningún RUN queda en la
bitácora del servidor.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import tenant_context

from cursos.models import Inscripcion, Perfil
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE
from tests.cuentas.proveedor_oidc import Proveedor
from tests.cursos.factories import curso_por_clave, rut_registrar, rut_valido
from tests.e2e.base import NavegadorTestCase

PREFIJO = "e2e-claveunica"
CLIENTE = "capacita-alfa-e2e"
RUT_ALFA = rut_valido(14_725_836)
RUT_BETA = rut_valido(15_936_482)
NO_EN_NOMINA = "no figura en la nómina de Tenant alfa"
NO_VERIFICADA = "No se pudo verificar su identidad con ClaveÚnica"


class ClaveUnicaNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.alfa = Tenant.objects.get(schema_name="alfa")
        self.beta = Tenant.objects.get(schema_name="beta")
        self.addCleanup(self._borrar_datos)
        with tenant_context(self.alfa):
            # Importada en la nómina, sin contraseña: no puede entrar de otra forma.
            self.funcionaria = usuario_asegurar(
                username=f"{PREFIJO}-valentina",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Valentina",
                last_name="Rojas",
            )
            self.funcionaria.set_unusable_password()
            self.funcionaria.save()
            rut_registrar(self.funcionaria, RUT_ALFA)
            curso = curso_por_clave("que-es-la-trata")
            self.curso_id = curso.pk
            self.url_curso = curso.url
        with tenant_context(self.beta):
            ajena = usuario_asegurar(
                username=f"{PREFIJO}-beta", password=CLAVE, rol=Rol.FUNCIONARIO
            )
            rut_registrar(ajena, RUT_BETA)
        connection.set_schema_to_public()

        secreto = secrets.token_urlsafe(24)
        self.proveedor = Proveedor(CLIENTE, secreto)
        self.addCleanup(self.proveedor.detener)
        # Antes que el servidor: corre cuando ya terminó y volcó su bitácora.
        self.addCleanup(self._bitacora_sin_run)
        self.base = self._levantar_servidor(
            {
                "CLAVEUNICA_ISSUER": self.proveedor.base,
                "CLAVEUNICA_ALFA_CLIENT_ID": CLIENTE,
                "CLAVEUNICA_ALFA_CLIENT_SECRET": secreto,
            }
        )

    def _borrar_datos(self):
        connection.set_schema_to_public()
        for tenant in (self.alfa, self.beta):
            with tenant_context(tenant):
                usuarios = {"usuario__username__startswith": PREFIJO}
                Inscripcion.objects.filter(**usuarios).delete()
                Perfil.objects.filter(**usuarios).delete()
                get_user_model().objects.filter(username__startswith=PREFIJO).delete()
        connection.set_schema_to_public()

    def _bitacora_sin_run(self):
        texto = (self.caja / "runserver.log").read_text(encoding="utf-8")
        for rut in (RUT_ALFA, RUT_BETA):
            cuerpo = rut.split("-")[0]
            self.assertNotIn(cuerpo, texto, "El RUN quedó en la bitácora del servidor")

    def _preparar(self, rut: str, modo: str = "normal") -> None:
        numero, dv = rut.split("-")
        self.proveedor.preparar(
            numero=int(numero),
            dv=dv,
            nombres=["Valentina"],
            apellidos=["Rojas", "Prueba"],
            modo=modo,
        )

    def _intentar(self, pagina) -> None:
        """Desde el curso: «Ingrese para inscribirse» → «Ingresar con ClaveÚnica»;
        el proveedor aprueba solo y devuelve al sitio."""
        pagina.goto(f"{self.base}{self.url_curso}")
        self.clic(pagina.get_by_role("link", name="Ingrese para inscribirse"))
        pagina.wait_for_url(re.compile(r"/ingresar/\?next="))
        self.clic(pagina.get_by_role("link", name="Ingresar con ClaveÚnica"))
        pagina.wait_for_load_state()

    def test_la_funcionaria_entra_con_claveunica_se_inscribe_y_sale(self):
        self._preparar(RUT_ALFA)
        with self.navegador() as navegador:
            pagina = navegador.new_context().new_page()
            self._intentar(pagina)
            # De vuelta en el curso, con sesión: ya puede inscribirse.
            pagina.wait_for_url(f"{self.base}{self.url_curso}")
            self.clic(pagina.get_by_role("button", name="Inscribirme en este curso"))
            pagina.wait_for_url(f"{self.base}{self.url_curso}")
            self.assertIn("Quedó inscrita o inscrito", pagina.content())
            self.assertTrue(pagina.get_by_role("button", name="Salir").is_visible())
            # Salir cierra también la sesión en el proveedor y vuelve a la portada.
            self.clic(pagina.get_by_role("button", name="Salir"))
            pagina.wait_for_url(f"{self.base}/")
            self.assertFalse(pagina.get_by_role("button", name="Salir").count())
        # Fuera del navegador: Playwright deja un bucle de eventos en el hilo.
        with tenant_context(self.alfa):
            self.assertTrue(
                Inscripcion.objects.filter(
                    usuario=self.funcionaria, curso_id=self.curso_id
                ).exists()
            )
        connection.set_schema_to_public()
        estado = self.proveedor.estado()
        self.assertEqual(estado["autorizaciones"][-1]["scope"], "openid run name")
        self.assertEqual(estado["autorizaciones"][-1]["code_challenge_method"], "S256")
        self.assertEqual(len(estado["salidas"]), 1)

    def _rechazado(self, rut: str, modo: str, mensaje: str) -> None:
        self._preparar(rut, modo)
        with self.navegador() as navegador:
            pagina = navegador.new_context().new_page()
            self._intentar(pagina)
            pagina.wait_for_url(f"{self.base}/ingresar/")
            self.assertIn(mensaje, pagina.locator(".mensajes").inner_text())
            self.assertEqual(pagina.get_by_role("button", name="Salir").count(), 0)
            # Sin sesión: el curso vuelve a pedir el ingreso.
            pagina.goto(f"{self.base}{self.url_curso}")
            self.assertTrue(
                pagina.get_by_role("link", name="Ingrese para inscribirse").is_visible()
            )
        self.assertEqual(len(self.proveedor.estado()["canjes"]), 1)

    def test_un_id_token_con_la_firma_alterada_no_entra(self):
        self._rechazado(RUT_ALFA, "firma_alterada", NO_VERIFICADA)

    def test_un_id_token_con_otro_nonce_no_entra(self):
        self._rechazado(RUT_ALFA, "nonce_ajeno", NO_VERIFICADA)

    def test_un_id_token_vencido_no_entra(self):
        self._rechazado(RUT_ALFA, "vencido", NO_VERIFICADA)

    def test_un_run_de_la_nomina_de_otro_tenant_ve_a_quien_pedir_ayuda(self):
        self._rechazado(RUT_BETA, "normal", NO_EN_NOMINA)
        with tenant_context(self.alfa):
            self.assertFalse(
                Perfil.objects.filter(rut=RUT_BETA).exists(),
                "ClaveÚnica no crea cuentas",
            )
        connection.set_schema_to_public()
