"""Aprovisionamiento de tenants: clonar la plantilla, o migrar desde cero."""

from __future__ import annotations

import logging
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import (
    get_public_schema_name,
    get_tenant_base_schema,
    schema_exists,
    tenant_context,
)

from .aprovisionamiento import grupos_aprovisionar, rol_asignar
from .models import Domain, Tenant
from .roles import Rol
from .signals import tenant_preparado

logger = logging.getLogger(__name__)

SCHEMA_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
DOMINIO_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
SCHEMAS_RESERVADOS = {"public", "information_schema", "plantilla"}


def _validar(*, schema_name: str, dominio: str) -> None:
    errores: dict[str, str] = {}
    reservado = schema_name in SCHEMAS_RESERVADOS or schema_name.startswith("pg_")
    if not SCHEMA_RE.match(schema_name) or reservado:
        errores["schema_name"] = _(
            "El nombre «%(nombre)s» no es válido: use de 2 a 40 letras minúsculas, "
            "números o guiones bajos, comenzando con una letra, y no use nombres "
            "reservados."
        ) % {"nombre": schema_name}
    elif Tenant.objects.filter(schema_name__iexact=schema_name).exists():
        errores["schema_name"] = _("Ya existe un tenant llamado «%(nombre)s».") % {
            "nombre": schema_name
        }
    if not DOMINIO_RE.match(dominio):
        errores["dominio"] = _("El dominio «%(dominio)s» no es válido.") % {
            "dominio": dominio
        }
    elif Domain.objects.filter(domain__iexact=dominio).exists():
        errores["dominio"] = _("El dominio «%(dominio)s» ya está en uso.") % {
            "dominio": dominio
        }
    if errores:
        raise ValidationError(errores)


def tenant_validar(*, schema_name: str, dominio: str) -> None:
    """Las reglas de nombre y dominio de ``tenant_crear``, sin crear nada (para
    formularios que quieren mostrarlas junto a sus otros errores)."""
    _validar(schema_name=schema_name.strip().lower(), dominio=dominio.strip().lower())


def plantilla_asegurar() -> Tenant:
    """Crea, si falta, el schema plantilla con el árbol de Wagtail listo para clonar."""
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants
    nombre = get_tenant_base_schema()
    plantilla: Tenant | None = Tenant.objects.filter(schema_name=nombre).first()
    if plantilla is None:
        plantilla = Tenant(
            schema_name=nombre,
            nombre="Plantilla",
            grupo=Tenant.Grupo.OTRO,
            es_plantilla=True,
        )
        # Sin schema base todavía: Tenant.save() migra desde cero (unos 14 s).
        plantilla.save(verbosity=0)
    with tenant_context(plantilla):
        tenant_preparado.send(
            sender=Tenant, titulo=plantilla.nombre, hostname="plantilla", grupo=None
        )
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants
    return plantilla


def _schema_migrar(tenant: Tenant) -> None:
    tenant.auto_create_schema = False
    tenant.save()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{tenant.schema_name}"')
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=tenant.schema_name,
        interactive=False,
        verbosity=0,
    )


def tenant_crear(
    *,
    schema_name: str,
    nombre: str,
    grupo: str,
    dominio: str,
    pais: str = "Chile",
    color_primario: str = "#1d4e89",
    clonar: bool = True,
) -> Tenant:
    """Crea un tenant listo para usar, con su sitio Wagtail y su portada.

    Con ``clonar`` copia el schema plantilla (segundos); sin él migra desde cero.
    El schema se crea con DDL fuera de una transacción única, así que ante cualquier
    error se deshace a mano: no quedan ni schema, ni fila Tenant, ni fila Domain.
    """
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants
    schema_name = schema_name.strip().lower()
    dominio = dominio.strip().lower()
    _validar(schema_name=schema_name, dominio=dominio)
    tenant = Tenant(
        schema_name=schema_name,
        nombre=nombre,
        grupo=grupo,
        pais=pais,
        color_primario=color_primario,
    )
    tenant.full_clean(exclude=["schema_name"])
    _check_schema_name(schema_name)
    if clonar:
        plantilla_asegurar()
    try:
        if clonar:
            tenant.save(verbosity=0)
        else:
            _schema_migrar(tenant)
        Domain.objects.create(domain=dominio, tenant=tenant, is_primary=True)
        with tenant_context(tenant):
            grupos_aprovisionar()
            tenant_preparado.send(
                sender=Tenant, titulo=nombre, hostname=dominio, grupo=grupo
            )
    except BaseException:
        logger.exception("Falló la creación del tenant %s; se deshace", schema_name)
        tenant_eliminar(schema_name=schema_name)
        raise
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants
    logger.info("Tenant %s creado", schema_name)
    return tenant


def tenant_eliminar(*, schema_name: str) -> None:
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants
    Domain.objects.filter(tenant__schema_name=schema_name).delete()
    with transaction.atomic():
        Tenant.objects.filter(schema_name=schema_name).delete()
    if schema_exists(schema_name) and schema_name != get_public_schema_name():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema_name}" CASCADE')


def usuario_asegurar(
    *,
    username: str,
    password: str,
    rol: Rol,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> AbstractUser:
    """Crea o actualiza un usuario del schema activo con el rol dado (idempotente)."""
    User = get_user_model()
    user, _creado = User.objects.get_or_create(username=username)
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.is_staff = rol == Rol.COORDINADOR_MITP
    user.set_password(password)
    user.save()
    rol_asignar(user, rol)
    return user


def tenants_listar() -> QuerySet[Tenant]:
    # TenantMixin (django-tenants) no trae tipos: su manager es Any.
    listado: QuerySet[Tenant] = (
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .filter(es_plantilla=False)
        .prefetch_related("domains")
    )
    return listado
