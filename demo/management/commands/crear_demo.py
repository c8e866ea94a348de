from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django_tenants.utils import get_public_schema_name, tenant_context

from demo.avisos import avisos_demo_asegurar
from demo.certificados import certificados_demo_asegurar
from demo.content import h5p_demo_asegurar
from demo.datos import POBLACIONES
from demo.evaluaciones import evaluacion_demo_asegurar
from demo.guardia import base_de_desarrollo_exigir
from demo.metas import metas_manuales_demo_asegurar
from demo.poblacion import poblacion_demo_asegurar
from demo.privacidad import rectificacion_demo_asegurar
from demo.tenants import CLAVE_DEMO, TENANTS_DEMO, USUARIOS_DEMO
from demo.versiones import versiones_demo_asegurar
from indicadores.resumen import resumen_recalcular
from tenants.aprovisionamiento import grupos_aprovisionar
from tenants.enlaces import url_host, url_tenant
from tenants.models import Domain, Tenant
from tenants.roles import Rol
from tenants.services import plantilla_asegurar, tenant_crear, usuario_asegurar


class Command(BaseCommand):
    help = (
        "Crea (o completa) el sitio MITP, los cinco tenants de demo, sus usuarios y "
        "una población ficticia capacitada entre 2024 y 2026."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--escala",
            type=float,
            default=1.0,
            help="Achica la población de demo (nómina, dotación y jornadas); 1 = toda.",
        )

    def handle(self, *args, **options):
        base_de_desarrollo_exigir(comando="crear_demo")
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
        # El plan y el catálogo nacional van antes que los tenants: sus instituciones
        # se vinculan al catálogo antes de escribir el primer hecho.
        self._plan_asegurar()
        registradas = metas_manuales_demo_asegurar(usuario=coordinador)
        if registradas:
            self.stdout.write(f"  Metas sí/no e informes registrados: {registradas}")
        for datos in TENANTS_DEMO:
            tenant = Tenant.objects.filter(schema_name=datos["schema_name"]).first()
            if tenant is None:
                tenant = tenant_crear(
                    dominio=f"{datos['schema_name']}.{dominio}",
                    **{**datos, "nombre": str(datos["nombre"])},
                )
                self.stdout.write(f"Creado el tenant {tenant.schema_name}")
            with tenant_context(tenant):
                # Los mismos grupos y permisos que el alta (también en un tenant de
                # demo creado antes de que el alta los aprovisionara).
                grupos_aprovisionar()
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
                # La población antes del certificado de «funcionario»: así su curso
                # cuenta en su unidad.
                self._poblacion(tenant, options["escala"])
                certificado = certificados_demo_asegurar()
                if certificado is not None:
                    self.stdout.write(
                        f"  Certificado de demo en {tenant.schema_name}: "
                        f"{certificado.codigo_formateado}"
                    )
                # Un curso con dos versiones y personas en la anterior (issue 16).
                if datos is TENANTS_DEMO[0]:
                    version = versiones_demo_asegurar()
                    if version is not None:
                        self.stdout.write(
                            f"  Versión {version.etiqueta} de «{version.curso.title}» "
                            f"en {tenant.schema_name}"
                        )
                avisos = avisos_demo_asegurar()
                self.stdout.write(f"  Avisos de «funcionario»: {avisos}")
                rectificacion_demo_asegurar()
        connection.set_schema_to_public()
        inicio = time.perf_counter()
        resumen_recalcular()
        self.stdout.write(
            f"  Resumen nacional del tablero MITP: {time.perf_counter() - inicio:.1f} s"
        )
        self.ingresos_escribir(logins)

    def _poblacion(self, tenant: Tenant, escala: float) -> None:
        if tenant.schema_name not in POBLACIONES:
            return
        inicio = time.perf_counter()
        r = poblacion_demo_asegurar(poblacion=tenant.schema_name, escala=escala)
        self.stdout.write(
            f"  Población de {tenant.schema_name}: {r.personas_nuevas} personas, "
            f"{r.completados} cursos completados, {r.jornadas} jornadas y "
            f"{r.asistencias} asistencias nuevas "
            f"({time.perf_counter() - inicio:.1f} s)"
        )

    def ingresos_escribir(self, logins: list[tuple[Tenant, str]]) -> None:
        """El listado final, con el puerto real (`make run PORT=…`)."""
        self.stdout.write(self.style.SUCCESS("Demo lista. Ingresos:"))
        for tenant, username in logins:
            url = url_tenant(tenant, "/ingresar/") or url_host(
                settings.CAPACITA_DOMINIO, "/ingresar/"
            )
            self.stdout.write(f"  {url}  usuario: {username}  clave: {CLAVE_DEMO}")
        self.stdout.write("  (editores: también en /admin/ de su tenant)")

    def _plan_asegurar(self) -> None:
        """Plan, catálogo nacional y permisos MITP sobre él (idempotente)."""
        from django.contrib.auth.models import Group, Permission

        from indicadores.plan import plan_cargar

        plan_cargar()
        grupo = Group.objects.get(name=Rol.COORDINADOR_MITP.value)
        grupo.permissions.add(
            *Permission.objects.filter(content_type__app_label="indicadores")
        )
