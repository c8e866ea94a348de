"""Retención de datos del tenant: simula (por defecto) o anonimiza las cuentas
inactivas. Correr por tenant: ``manage.py tenant_command aplicar_retencion
--schema=<schema> [--aplicar]`` o en todos con ``all_tenants_command``."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils.translation import override

from privacidad.selectors import personas_inactivas, retencion_anios
from privacidad.services import retencion_aplicar


class Command(BaseCommand):
    help = (
        "Lista las cuentas que la política de retención anonimizaría; con --aplicar, "
        "las anonimiza."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--aplicar",
            action="store_true",
            help="Anonimiza de verdad (sin esta opción solo simula).",
        )

    def handle(self, *args, aplicar: bool = False, **options):
        with override("es-cl"):
            anios = retencion_anios()
            schema = connection.schema_name
            if not anios:
                self.stdout.write(f"{schema}: sin política de retención.")
                return
            ids = list(personas_inactivas(anios=anios).values_list("pk", flat=True))
            if not aplicar:
                self.stdout.write(
                    f"{schema}: {len(ids)} cuentas inactivas hace {anios} años o más "
                    f"(simulación; ids {ids[:50]})."
                )
                return
            n = retencion_aplicar(por="aplicar_retencion")
            self.stdout.write(f"{schema}: {n} cuentas anonimizadas.")
