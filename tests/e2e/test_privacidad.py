"""Ley 21.719 en el navegador, en un tenant propio con commit (se borra al final):

1. La funcionaria descarga «Mis datos» (JSON) desde su perfil y pide corregir su
   apellido.
2. La encargada ve la solicitud en su panel y la acepta: el apellido cambia.
3. La encargada busca a otra persona (por POST), abre su ficha y la anonimiza.
4. La verificación pública del certificado de esa persona dice «Persona anonimizada».
"""

from __future__ import annotations

import json

from django.conf import global_settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import tenant_context

from certificados.models import Certificado
from tenants.models import Tenant
from tenants.roles import Rol
from tenants.services import tenant_crear, tenant_eliminar, usuario_asegurar
from tests.base import CLAVE
from tests.cursos.factories import curso_completar, curso_por_clave
from tests.e2e.base import NavegadorTestCase
from verificacion.models import RegistroCertificado

SCHEMA = "privnav"
DOMINIO = "privnav.localhost"


# runserver usa los hashers de siempre: las claves se guardan con uno que conozca.
@override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS)
class PrivacidadNavegadorTests(NavegadorTestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(self._borrar)
        self.tenant = tenant_crear(
            schema_name=SCHEMA,
            nombre="Tenant privacidad E2E",
            grupo=Tenant.Grupo.POLICIAS,
            dominio=DOMINIO,
        )
        with override_settings(MEDIA_ROOT=self.media), tenant_context(self.tenant):
            usuario_asegurar(
                username="ana",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Ana",
                last_name="Andrade",
            )
            usuario_asegurar(
                username="encargada",
                password=CLAVE,
                rol=Rol.ENCARGADO,
                first_name="Elena",
                last_name="Encargada",
            )
            berta = usuario_asegurar(
                username="berta",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Berta",
                last_name="Bustamante",
            )
            curso_completar(berta, curso_por_clave("que-es-la-trata"))
            self.codigo = Certificado.objects.get(usuario=berta).codigo
        connection.set_schema_to_public()
        self._levantar_servidor()
        self.base = f"http://{DOMINIO}:{self.puerto}"

    def _borrar(self):
        connection.set_schema_to_public()
        tenant = Tenant.objects.filter(schema_name=SCHEMA).first()
        if tenant is not None:
            with tenant_context(tenant):
                codigos = list(Certificado.objects.values_list("codigo", flat=True))
            connection.set_schema_to_public()
            RegistroCertificado.objects.filter(codigo__in=codigos).delete()
            tenant_eliminar(schema_name=SCHEMA)

    def _ingresar(self, navegador, usuario: str):
        pagina = navegador.new_context().new_page()
        pagina.goto(f"{self.base}/ingresar/")
        pagina.fill("input[name=username]", usuario)
        pagina.fill("input[name=password]", CLAVE)
        with pagina.expect_navigation():
            pagina.locator("form:has(input[name=password]) [type=submit]").click()
        self.assertNotIn("/ingresar/", pagina.url)
        return pagina

    def test_mis_datos_rectificacion_y_anonimizacion(self):
        with self.navegador() as navegador:
            ana = self._ingresar(navegador, "ana")
            ana.goto(f"{self.base}/perfil/")
            ana.get_by_role("link", name="Mis datos", exact=False).click()
            with ana.expect_download() as descarga:
                ana.get_by_role("link", name="Descargar en JSON").click()
            datos = json.loads(open(descarga.value.path(), encoding="utf-8").read())
            self.assertEqual(datos["perfil"]["apellidos"], "Andrade")
            ana.select_option("select[name=campo]", "last_name")
            ana.fill("input[name=valor]", "Andrade Rojas")
            ana.fill("textarea[name=motivo]", "Falta mi segundo apellido")
            ana.get_by_role("button", name="Enviar solicitud").click()
            self.assertIn("quedó registrada", ana.locator("main").inner_text())

            elena = self._ingresar(navegador, "encargada")
            elena.goto(f"{self.base}/encargado/")
            elena.get_by_role("link", name="Datos personales (Ley 21.719)").click()
            elena.get_by_role("link", name="solicitud de rectificación").click()
            self.assertIn("Andrade Rojas", elena.locator("main").inner_text())
            elena.get_by_role("button", name="Aceptar y corregir").click()
            self.assertIn("quedó aplicada", elena.locator("main").inner_text())
            ana.goto(f"{self.base}/perfil/")
            self.assertEqual(ana.input_value("input[name=last_name]"), "Andrade Rojas")

            elena.goto(f"{self.base}/encargado/privacidad/")
            elena.fill("input[name=texto]", "Bustamante")
            elena.get_by_role("button", name="Buscar").click()
            self.assertNotIn("Bustamante", elena.url)
            elena.get_by_role("link", name="Berta Bustamante").click()
            elena.fill("textarea[name=motivo]", "Supresión pedida por la titular")
            elena.get_by_role("button", name="Anonimizar").click()
            self.assertIn("quedó anonimizada", elena.locator("main").inner_text())

            publico = navegador.new_context().new_page()
            publico.goto(f"http://localhost:{self.puerto}/verificar/{self.codigo}/")
            texto = publico.locator("main").inner_text()
            self.assertIn("Persona anonimizada", texto)
            self.assertNotIn("Bustamante", texto)
