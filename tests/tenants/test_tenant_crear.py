from __future__ import annotations

from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_exists, tenant_context
from wagtail.models import Site

from content.models import HomePage
from tenants.models import Domain, Tenant
from tenants.services import tenant_crear
from tests.base import CapacitaTestCase


class TenantCrearTests(CapacitaTestCase):
    def test_crea_tenant_clonado_con_portada_que_responde(self):
        tenant = tenant_crear(
            schema_name="gamma",
            nombre="Consulado de prueba",
            grupo=Tenant.Grupo.CONSULADOS,
            dominio="gamma.localhost",
            color_primario="#123456",
        )
        self.assertTrue(schema_exists("gamma"))
        with tenant_context(tenant):
            self.assertEqual(HomePage.objects.get().title, "Consulado de prueba")
            site = Site.objects.get()
            self.assertEqual(site.hostname, "gamma.localhost")
            self.assertTrue(site.is_default_site)
        connection.set_schema_to_public()
        response = Client(HTTP_HOST="gamma.localhost").get("/")
        self.assertContains(response, "Consulado de prueba")
        self.assertContains(response, "#123456")

    def test_creacion_fallida_no_deja_nada(self):
        with (
            mock.patch(
                "content.services.portada_preparar",
                side_effect=RuntimeError("falla simulada"),
            ),
            self.assertRaises(RuntimeError),
        ):
            tenant_crear(
                schema_name="delta",
                nombre="Delta",
                grupo=Tenant.Grupo.OTRO,
                dominio="delta.localhost",
            )
        connection.set_schema_to_public()
        self.assertFalse(schema_exists("delta"))
        self.assertFalse(Tenant.objects.filter(schema_name="delta").exists())
        self.assertFalse(Domain.objects.filter(domain="delta.localhost").exists())

    def test_rechaza_nombre_invalido(self):
        for nombre in ["Con Espacios", "1numero", "public", "plantilla", "pg_x", "a"]:
            with self.subTest(nombre=nombre), self.assertRaises(ValidationError) as ctx:
                tenant_crear(
                    schema_name=nombre,
                    nombre="X",
                    grupo=Tenant.Grupo.OTRO,
                    dominio="x.localhost",
                )
            self.assertIn("schema_name", ctx.exception.message_dict)

    def test_rechaza_nombre_o_dominio_duplicado(self):
        with self.assertRaises(ValidationError) as ctx:
            tenant_crear(
                schema_name="alfa",
                nombre="Otro",
                grupo=Tenant.Grupo.OTRO,
                dominio="beta.localhost",
            )
        self.assertIn(
            "Ya existe un tenant", ctx.exception.message_dict["schema_name"][0]
        )
        self.assertIn("ya está en uso", ctx.exception.message_dict["dominio"][0])


class CrearTenantCommandTests(CapacitaTestCase):
    def test_nombre_malo_imprime_error_claro(self):
        with self.assertRaisesMessage(CommandError, "no es válido"):
            call_command(
                "crear_tenant", "Mal Nombre!", nombre="X", dominio="x.localhost"
            )

    def test_nombre_duplicado_imprime_error_claro(self):
        with self.assertRaisesMessage(
            CommandError, "Ya existe un tenant llamado «alfa»"
        ):
            call_command("crear_tenant", "alfa", nombre="X", dominio="x.localhost")

    def test_dominio_duplicado_imprime_error_claro(self):
        with self.assertRaisesMessage(
            CommandError, "El dominio «alfa.localhost» ya está en uso"
        ):
            call_command(
                "crear_tenant", "epsilon", nombre="X", dominio="alfa.localhost"
            )

    def test_dominio_invalido_imprime_error_claro(self):
        with self.assertRaisesMessage(CommandError, "El dominio «no válido» no es"):
            call_command("crear_tenant", "epsilon", nombre="X", dominio="no válido")
