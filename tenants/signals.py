"""Señales de tenants e invalidación del tenant en caché por host.

``tenant_preparado`` se envía dentro del schema de un tenant (o de la plantilla) recién
creado; las apps de arriba lo escuchan para llenar su parte (content la portada,
cursos el currículo), en el orden de INSTALLED_APPS. Argumentos: ``titulo``,
``hostname`` y ``grupo`` (None en la plantilla).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal, receiver
from django_tenants.utils import schema_context

from .cache_local import cache_local
from .middleware import clave_tenant
from .models import Domain, Tenant

tenant_preparado = Signal()


def _olvidar(*hostnames: str) -> None:
    with schema_context("public"):
        cache.delete_many([clave_tenant(h) for h in hostnames if h])
    cache_local.invalidar()


@receiver(pre_save, sender=Domain)
def _dominio_renombrado(sender, instance: Domain, **kwargs) -> None:
    if instance.pk:
        anterior = Domain.objects.filter(pk=instance.pk).values_list(
            "domain", flat=True
        )
        _olvidar(*anterior)


@receiver(post_save, sender=Domain)
@receiver(post_delete, sender=Domain)
def _dominio_cambiado(sender, instance: Domain, **kwargs) -> None:
    _olvidar(instance.domain)


@receiver(post_save, sender=Tenant)
@receiver(post_delete, sender=Tenant)
def _tenant_cambiado(sender, instance: Tenant, **kwargs) -> None:
    with schema_context("public"):
        dominios = list(
            Domain.objects.filter(tenant_id=instance.pk).values_list(
                "domain", flat=True
            )
        )
    _olvidar(*dominios)
