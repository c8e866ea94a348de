from __future__ import annotations

from django.core.management.base import BaseCommand

from tenants.services import plantilla_asegurar


class Command(BaseCommand):
    help = "Crea o actualiza el schema plantilla que se clona al crear tenants."

    def handle(self, *args, **options):
        plantilla = plantilla_asegurar()
        self.stdout.write(f"Plantilla lista en el schema «{plantilla.schema_name}».")
