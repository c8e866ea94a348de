"""El tenant de cada host se guarda en caché: una consulta menos por petición.

Vive en Redis (compartido entre nodos) y, además, en la memoria de cada proceso
(``tenants.cache_local``), que se revisa contra Redis con una sola lectura por
petición.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django_tenants.middleware.main import TenantMainMiddleware

from .cache_local import cache_local


def clave_tenant(hostname: str) -> str:
    # make_key antepone el schema activo, que aquí es siempre public.
    return f"tenant-por-host:{hostname}"


class TenantMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        # TenantMainMiddleware deja el schema public antes de llamar aquí.
        cache_local.revisar()
        return cache_local.obtener(
            ("tenant", hostname),
            lambda: self._tenant_compartido(domain_model, hostname),
        )

    def _tenant_compartido(self, domain_model, hostname):
        tenant = cache.get(clave_tenant(hostname))
        if tenant is None:
            tenant = super().get_tenant(domain_model, hostname)
            cache.set(clave_tenant(hostname), tenant, settings.TENANT_CACHE_SEGUNDOS)
        return tenant
