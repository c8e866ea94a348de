from __future__ import annotations

from unittest import mock

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context
from wagtail.models import Site

from content.models import HomePage
from cursos.models import RutaPage
from tenants.models import Domain, Tenant
from tenants.roles import Rol
from tenants.services import usuario_asegurar
from tests.base import CLAVE, CapacitaTestCase

URL = "/django-admin/tenants/tenant/add/"


def _datos(**cambios) -> dict[str, str]:
    datos = {
        "nombre": "Consulado de Mendoza",
        "grupo": Tenant.Grupo.CONSULADOS,
        "pais": "Argentina",
        "color_primario": "#0a7f5a",
        "schema_name": "mendoza",
        "dominio": "mendoza.localhost",
    }
    return {**datos, **cambios}


class TenantAdminCrearTests(CapacitaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Cuentas del schema public, donde está el admin de Django de la MITP.
        cls.coordinacion = usuario_asegurar(
            username="coordinacion", password=CLAVE, rol=Rol.COORDINADOR_MITP
        )
        cls.funcionaria = usuario_asegurar(
            username="funcionaria-publica", password=CLAVE, rol=Rol.FUNCIONARIO
        )

    def setUp(self):
        super().setUp()
        self.client_publico.force_login(self.coordinacion)

    def _sin_tenant_nuevo(self, schema_name: str, dominio: str) -> None:
        connection.set_schema_to_public()
        self.assertFalse(schema_exists(schema_name))
        self.assertFalse(Tenant.objects.filter(schema_name=schema_name).exists())
        self.assertFalse(Domain.objects.filter(domain=dominio).exists())

    def test_formulario_de_alta_en_espanol_sin_dominios_en_linea(self):
        response = self.client_publico.get(URL)
        self.assertContains(response, "<h1>Añadir tenant</h1>", html=False)
        self.assertContains(response, "Nombre del schema")
        self.assertContains(response, 'name="dominio"')
        self.assertNotContains(response, "domains-TOTAL_FORMS")
        # El grupo del sitio público no se ofrece para un sitio institucional.
        self.assertNotContains(response, f'value="{Tenant.Grupo.MITP}"')

    def test_coordinacion_crea_tenant_que_responde_en_su_dominio(self):
        response = self.client_publico.post(URL, _datos())
        self.assertRedirects(
            response, "/django-admin/tenants/tenant/", fetch_redirect_response=False
        )
        self.assertTrue(schema_exists("mendoza"))
        tenant = Tenant.objects.get(schema_name="mendoza")
        self.assertEqual(tenant.pais, "Argentina")
        self.assertEqual(tenant.get_primary_domain().domain, "mendoza.localhost")
        with tenant_context(tenant):
            self.assertEqual(HomePage.objects.get().title, "Consulado de Mendoza")
            self.assertEqual(Site.objects.get().hostname, "mendoza.localhost")
            self.assertTrue(RutaPage.objects.exists())
        connection.set_schema_to_public()
        portada = Client(HTTP_HOST="mendoza.localhost").get("/")
        self.assertContains(portada, "Consulado de Mendoza")
        self.assertContains(portada, "#0a7f5a")

    def test_nombre_de_schema_invalido_muestra_error_y_no_crea_nada(self):
        response = self.client_publico.post(URL, _datos(schema_name="Mal Nombre!"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "El nombre «mal nombre!» no es válido")
        self._sin_tenant_nuevo("mal nombre!", "mendoza.localhost")

    def test_dominio_duplicado_muestra_error_y_no_crea_nada(self):
        response = self.client_publico.post(URL, _datos(dominio="Alfa.localhost"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "El dominio «alfa.localhost» ya está en uso")
        self._sin_tenant_nuevo("mendoza", "mendoza.localhost")

    def test_errores_del_servicio_vuelven_al_formulario(self):
        # Como si otro tenant tomara el dominio entre la validación del formulario
        # y la creación: el rechazo de tenant_crear queda en el formulario.
        with mock.patch("tenants.forms.tenant_validar"):
            response = self.client_publico.post(URL, _datos(dominio="beta.localhost"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "El dominio «beta.localhost» ya está en uso")
        self._sin_tenant_nuevo("mendoza", "mendoza.localhost")

    def test_edicion_mantiene_schema_de_solo_lectura_y_dominios_en_linea(self):
        response = self.client_publico.get(
            f"/django-admin/tenants/tenant/{self.tenant_a.pk}/change/"
        )
        self.assertContains(response, "domains-TOTAL_FORMS")
        self.assertContains(response, "alfa.localhost")
        self.assertNotContains(response, 'name="schema_name"')

    def test_funcionaria_no_llega_al_alta(self):
        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(self.funcionaria)
        response = cliente.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/django-admin/login/", response["Location"])
        self.assertEqual(cliente.post(URL, _datos()).status_code, 302)
        self._sin_tenant_nuevo("mendoza", "mendoza.localhost")

    def test_staff_sin_permisos_de_tenants_recibe_403(self):
        staff = get_user_model().objects.create_user(
            username="staff-sin-permisos", password=CLAVE, is_staff=True
        )
        cliente = Client(HTTP_HOST="localhost")
        cliente.force_login(staff)
        self.assertEqual(cliente.get(URL).status_code, 403)
        self.assertEqual(cliente.post(URL, _datos()).status_code, 403)
        self._sin_tenant_nuevo("mendoza", "mendoza.localhost")

    def test_usuario_de_un_tenant_no_tiene_admin_de_django(self):
        self.ingresar(self.client_a, "edu")
        self.assertEqual(self.client_a.get(URL).status_code, 404)
