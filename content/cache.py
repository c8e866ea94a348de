"""Cachés por schema de lo que Wagtail relee en cada petición.

- El ``Site`` que atiende un host: Wagtail lo busca en cada petición.
- Si el schema tiene alguna restricción de vista: sin ninguna (lo habitual en un
  tenant de Capacita), se omiten las dos consultas de ``get_view_restrictions``.

Las claves pasan por ``make_key`` de django-tenants, que antepone el schema; las
señales de ``content.apps`` las invalidan al cambiar un Site o una restricción.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import get_public_schema_name
from wagtail.models import PageViewRestriction, Site

CLAVE_SITIOS = "wagtail-sitios-generacion"
CLAVE_RESTRICCIONES = "wagtail-hay-restricciones"


def hay_restricciones() -> bool:
    return cache.get_or_set(
        CLAVE_RESTRICCIONES,
        PageViewRestriction.objects.exists,
        settings.TENANT_CACHE_SEGUNDOS,
    )


def restricciones_olvidar(**kwargs) -> None:
    cache.delete(CLAVE_RESTRICCIONES)


def sitios_olvidar(**kwargs) -> None:
    cache.delete(CLAVE_SITIOS)


class SitioWagtailMiddleware:
    """Deja en ``request._wagtail_site`` el Site en caché (Wagtail lo respeta)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if connection.schema_name != get_public_schema_name():
            self._sitio_asignar(request)
        return self.get_response(request)

    @staticmethod
    def _sitio_asignar(request) -> None:
        generacion = cache.get_or_set(CLAVE_SITIOS, lambda: uuid4().hex, None)
        clave = f"wagtail-sitio:{generacion}:{request.get_host()}"
        sitio = cache.get(clave)
        if sitio is None:
            sitio = Site.find_for_request(request)
            if sitio is not None:
                cache.set(clave, sitio, settings.TENANT_CACHE_SEGUNDOS)
        else:
            request._wagtail_site = sitio


class RestriccionesEnCacheMixin:
    """Páginas que omiten la búsqueda de restricciones si el schema no tiene ninguna."""

    def get_view_restrictions(self):
        if not hay_restricciones():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
