from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.aprovisionamiento import encargado_invitar
from tenants.models import Tenant
from tenants.services import tenant_crear


class Command(BaseCommand):
    help = "Crea un tenant clonando la plantilla (o migrando desde cero con --migrar)."

    def add_arguments(self, parser):
        parser.add_argument("schema_name", help="Nombre del schema, p. ej. policias")
        parser.add_argument("--nombre", required=True)
        parser.add_argument("--dominio", required=True)
        parser.add_argument(
            "--grupo", choices=Tenant.Grupo.values, default=Tenant.Grupo.OTRO
        )
        parser.add_argument("--pais", default="Chile")
        parser.add_argument("--color", default="#1d4e89")
        parser.add_argument(
            "--correo-encargado",
            default="",
            help="Correo de la primera encargada o encargado: recibe la invitación.",
        )
        parser.add_argument(
            "--migrar",
            action="store_true",
            help="Migra un schema vacío en vez de clonar la plantilla (más lento).",
        )

    def handle(self, *args, **options):
        inicio = time.perf_counter()
        try:
            tenant = tenant_crear(
                schema_name=options["schema_name"],
                nombre=options["nombre"],
                grupo=options["grupo"],
                dominio=options["dominio"],
                pais=options["pais"],
                color_primario=options["color"],
                clonar=not options["migrar"],
            )
        except ValidationError as exc:
            mensajes = [m for ms in exc.message_dict.values() for m in ms]
            raise CommandError(" ".join(mensajes)) from exc
        segundos = time.perf_counter() - inicio
        self.stdout.write(
            self.style.SUCCESS(
                f"Tenant «{tenant.nombre}» creado en {segundos:.2f} s: {tenant.url}"
            )
        )
        if options["correo_encargado"]:
            enlace = encargado_invitar(
                tenant=tenant, correo=options["correo_encargado"]
            )
            self.stdout.write(f"Invitación enviada; enlace de activación: {enlace}")
