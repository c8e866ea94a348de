"""Lecturas de tenants."""

from __future__ import annotations

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from .models import Tenant


def tenant_actual() -> Tenant:
    """El tenant del schema activo (el de la petición, la tarea o schema_context)."""
    tenant = getattr(connection, "tenant", None)
    if (
        isinstance(tenant, Tenant)
        and tenant.pk
        and (tenant.schema_name == connection.schema_name)  # type: ignore[attr-defined]  # django-tenants
    ):
        return tenant
    # El schema se lee antes de pasar a public: dentro de schema_context(public),
    # connection.schema_name ya es «public» y el tenant quedaba mal leído (pasaba
    # con schema_context, p. ej. en tareas de Celery).
    schema: str = connection.schema_name  # type: ignore[attr-defined]  # django-tenants
    with schema_context(get_public_schema_name()):
        encontrado: Tenant = Tenant.objects.get(schema_name=schema)
    return encontrado
