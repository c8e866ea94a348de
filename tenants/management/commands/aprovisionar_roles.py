from __future__ import annotations

from django.core.management.base import BaseCommand
from django_tenants.utils import tenant_context

from tenants.aprovisionamiento import grupos_aprovisionar
from tenants.services import tenants_listar


class Command(BaseCommand):
    help = (
        "Crea o completa los grupos de roles y sus permisos en los tenants que ya "
        "existían antes de que el alta los aprovisionara (idempotente)."
    )

    def handle(self, *args, **options):
        for tenant in tenants_listar():
            with tenant_context(tenant):
                grupos_aprovisionar()
            self.stdout.write(f"Roles aprovisionados en {tenant.schema_name}")
