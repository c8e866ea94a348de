from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import get_public_schema_name, tenant_context

from tenants.demo import CLAVE_DEMO, TENANTS_DEMO, USUARIOS_DEMO
from tenants.models import Domain, Tenant
from tenants.roles import Rol
from tenants.services import plantilla_asegurar, tenant_crear, usuario_asegurar


class Command(BaseCommand):
    help = "Crea (o completa) el sitio MITP, los cinco tenants de demo y sus usuarios."

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        dominio = settings.CAPACITA_DOMINIO
        publico, _creado = Tenant.objects.get_or_create(
            schema_name=get_public_schema_name(),
            defaults={"nombre": "MITP", "grupo": Tenant.Grupo.MITP},
        )
        Domain.objects.get_or_create(
            domain=dominio, defaults={"tenant": publico, "is_primary": True}
        )
        plantilla_asegurar()
        logins = []
        coordinador = usuario_asegurar(
            username="coordinacion",
            password=CLAVE_DEMO,
            rol=Rol.COORDINADOR_MITP,
            first_name="Coordinación",
            last_name="MITP",
        )
        logins.append((publico.url or f"http://{dominio}/", coordinador.username))
        for datos in TENANTS_DEMO:
            tenant = Tenant.objects.filter(schema_name=datos["schema_name"]).first()
            if tenant is None:
                tenant = tenant_crear(
                    dominio=f"{datos['schema_name']}.{dominio}",
                    **{**datos, "nombre": str(datos["nombre"])},
                )
                self.stdout.write(f"Creado el tenant {tenant.schema_name}")
            with tenant_context(tenant):
                for username, rol, nombre, apellido in USUARIOS_DEMO:
                    usuario_asegurar(
                        username=username,
                        password=CLAVE_DEMO,
                        rol=rol,
                        first_name=str(nombre),
                        last_name=str(apellido),
                    )
                    logins.append((tenant.url, username))
        connection.set_schema_to_public()
        self.stdout.write(self.style.SUCCESS("Demo lista. Ingresos:"))
        for url, username in logins:
            self.stdout.write(
                f"  {url}ingresar/  usuario: {username}  clave: {CLAVE_DEMO}"
            )
        self.stdout.write("  (editores: también en /admin/ de su tenant)")
