from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import get_public_schema_name, tenant_context

from certificados.demo import certificados_demo_asegurar
from content.demo import h5p_demo_asegurar
from evaluaciones.demo import evaluacion_demo_asegurar
from tenants.demo import CLAVE_DEMO, TENANTS_DEMO, USUARIOS_DEMO
from tenants.enlaces import url_host, url_tenant
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
        logins.append((publico, coordinador.username))
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
                    logins.append((tenant, username))
                evaluacion_demo_asegurar()
                h5p_demo_asegurar()
                certificado = certificados_demo_asegurar()
                if certificado is not None:
                    self.stdout.write(
                        f"  Certificado de demo en {tenant.schema_name}: "
                        f"{certificado.codigo_formateado}"
                    )
        connection.set_schema_to_public()
        self._indicadores_demo()
        self.ingresos_escribir(logins)

    def ingresos_escribir(self, logins: list[tuple[Tenant, str]]) -> None:
        """El listado final, con el puerto real (`make run PORT=…`)."""
        self.stdout.write(self.style.SUCCESS("Demo lista. Ingresos:"))
        for tenant, username in logins:
            url = url_tenant(tenant, "/ingresar/") or url_host(
                settings.CAPACITA_DOMINIO, "/ingresar/"
            )
            self.stdout.write(f"  {url}  usuario: {username}  clave: {CLAVE_DEMO}")
        self.stdout.write("  (editores: también en /admin/ de su tenant)")

    def _indicadores_demo(self) -> None:
        """Plan, permisos MITP sobre él, dotación y una jornada (idempotente)."""
        from datetime import timedelta

        from django.contrib.auth.models import Group, Permission
        from django.utils import timezone

        from cursos.models import Institucion, Jornada, Unidad
        from cursos.roster import dotacion_guardar
        from indicadores.plan import plan_cargar
        from tenants.models import InstitucionCatalogo

        plan_cargar()
        grupo = Group.objects.get(name=Rol.COORDINADOR_MITP.value)
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="indicadores")
        )
        tenant = Tenant.objects.get(schema_name="policias")
        with tenant_context(tenant):
            inst, _c = Institucion.objects.get_or_create(
                nombre="Carabineros de Chile", defaults={"sigla": "Carabineros"}
            )
            if inst.catalogo_id is None:
                # Su entrada del catálogo nacional: sin ella no cuenta para el plan.
                inst.catalogo = InstitucionCatalogo.objects.get(codigo="carabineros")
                inst.save(update_fields=["catalogo"])
            anio = timezone.localdate().year
            for nombre, region, total in [
                ("Prefectura Arica", "arica", 120),
                ("Prefectura Tarapacá", "tarapaca", 90),
            ]:
                unidad, _c = Unidad.objects.get_or_create(
                    institucion=inst, nombre=nombre, defaults={"region": region}
                )
                dotacion_guardar(unidad=unidad, anio=anio, total=total)
            tema = "Detección de víctimas en frontera"
            if not Jornada.objects.filter(tema=tema).exists():
                inicio = timezone.now().replace(minute=0, second=0, microsecond=0)
                Jornada.objects.create(
                    tema=tema,
                    inicio=inicio,
                    fin=inicio + timedelta(hours=3),
                    lugar="Sala de capacitación, Arica",
                    region="arica",
                    horas=3,
                    relator="Coordinación MITP",
                    acciones_plan=["E3-A1.2", "E1-A2.1"],
                )
        connection.set_schema_to_public()
