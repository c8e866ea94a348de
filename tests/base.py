"""Clase base de pruebas: dos tenants, usuarios en cada uno y aislamiento verificado.

Al estilo de hc/test.py de healthchecks: alice es funcionaria de alfa, olga es
encargada de capacitación de alfa, edu edita contenidos en alfa y bob es funcionario
de beta.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection
from django.test import Client, TestCase
from django_tenants.utils import tenant_context

from tenants.models import Domain, Tenant
from tenants.roles import Rol
from tenants.services import tenant_crear, usuario_asegurar

CLAVE = "clave-de-prueba-123"
DOMINIO_A = "alfa.localhost"
DOMINIO_B = "beta.localhost"


def tenants_prueba_asegurar() -> None:
    connection.set_schema_to_public()
    publico, _creado = Tenant.objects.get_or_create(
        schema_name="public", defaults={"nombre": "MITP", "grupo": Tenant.Grupo.MITP}
    )
    Domain.objects.get_or_create(domain="localhost", defaults={"tenant": publico})
    for schema_name, dominio, grupo in [
        ("alfa", DOMINIO_A, Tenant.Grupo.POLICIAS),
        ("beta", DOMINIO_B, Tenant.Grupo.FRONTERAS),
    ]:
        if not Tenant.objects.filter(schema_name=schema_name).exists():
            tenant_crear(
                schema_name=schema_name,
                nombre=f"Tenant {schema_name}",
                grupo=grupo,
                dominio=dominio,
            )


class CapacitaTestCase(TestCase):
    tenant_a: Tenant
    tenant_b: Tenant

    @classmethod
    def setUpTestData(cls):
        connection.set_schema_to_public()
        cls.tenant_a = Tenant.objects.get(schema_name="alfa")
        cls.tenant_b = Tenant.objects.get(schema_name="beta")
        with tenant_context(cls.tenant_a):
            cls.alice = usuario_asegurar(
                username="alice",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Alice",
                last_name="Alfa",
            )
            cls.olga = usuario_asegurar(
                username="olga",
                password=CLAVE,
                rol=Rol.ENCARGADO,
                first_name="Olga",
                last_name="Alfa",
            )
            cls.edu = usuario_asegurar(
                username="edu",
                password=CLAVE,
                rol=Rol.EDITOR,
                first_name="Edu",
                last_name="Alfa",
            )
        with tenant_context(cls.tenant_b):
            cls.bob = usuario_asegurar(
                username="bob",
                password=CLAVE,
                rol=Rol.FUNCIONARIO,
                first_name="Bob",
                last_name="Beta",
            )
        connection.set_schema_to_public()

    def setUp(self):
        connection.set_schema_to_public()
        self.client_a = Client(HTTP_HOST=DOMINIO_A)
        self.client_b = Client(HTTP_HOST=DOMINIO_B)
        self.client_publico = Client(HTTP_HOST="localhost")

    @contextmanager
    def en_a(self):
        with tenant_context(self.tenant_a):
            yield

    @contextmanager
    def en_b(self):
        with tenant_context(self.tenant_b):
            yield

    def ingresar(self, client: Client, username: str) -> None:
        """Ingreso real por el formulario, dentro del schema del host del cliente."""
        response = client.post("/ingresar/", {"username": username, "password": CLAVE})
        assert response.status_code == 302, response.content[:500]
