from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection

from indicadores.plan import plan_cargar


class Command(BaseCommand):
    help = (
        "Carga en el schema public el Plan de Acción 2023-2026 (acciones de "
        "capacitación y sus metas anuales). Idempotente."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--actualizar",
            action="store_true",
            help="Vuelve a copiar textos y metas del archivo sobre lo editado.",
        )

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        r = plan_cargar(actualizar=options["actualizar"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Plan cargado: {r.acciones_creadas} acciones nuevas, "
                f"{r.acciones_actualizadas} actualizadas; {r.metas_creadas} metas "
                f"nuevas, {r.metas_actualizadas} actualizadas."
            )
        )
