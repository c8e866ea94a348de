from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from cursos.services.curriculo import curriculo_cargar


class Command(BaseCommand):
    help = (
        "Carga o actualiza el currículo versionado en el schema activo. Úselo con "
        "tenant_command --schema=<x>, o all_tenants_command para todos."
    )

    def handle(self, *args, **options):
        tenant = connection.tenant
        grupo = None if tenant.es_plantilla else tenant.grupo
        claves = curriculo_cargar(grupo=grupo)
        if claves:
            self.stdout.write(
                f"{tenant.schema_name}: rutas cargadas {', '.join(claves)}"
            )
        else:
            self.stdout.write(f"{tenant.schema_name}: el currículo ya estaba al día")
