"""Cachés por schema de lo que Wagtail relee en cada petición.

- El ``Site`` que atiende un host: Wagtail lo busca en cada petición.
- Si el schema tiene alguna restricción de vista: sin ninguna (lo habitual en un
  tenant de Capacita), se omiten las dos consultas de ``get_view_restrictions``.

Las claves pasan por ``make_key`` de django-tenants, que antepone el schema; las
señales de ``content.apps`` las invalidan al cambiar un Site o una restricción.
Cada proceso guarda además su copia (``tenants.cache_local``, por schema), que las
mismas señales invalidan en todos los nodos a través de Redis.
"""

from __future__ import annotations

import copy
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django_tenants.utils import get_public_schema_name
from wagtail.models import PageViewRestriction, Site

from tenants.cache_local import cache_local

CLAVE_SITIOS = "wagtail-sitios-generacion"
CLAVE_RESTRICCIONES = "wagtail-hay-restricciones"


def hay_restricciones() -> bool:
    return cache_local.obtener(
        ("restricciones", connection.schema_name),
        lambda: cache.get_or_set(
            CLAVE_RESTRICCIONES,
            PageViewRestriction.objects.exists,
            settings.TENANT_CACHE_SEGUNDOS,
        ),
    )


def restricciones_olvidar(**kwargs) -> None:
    cache.delete(CLAVE_RESTRICCIONES)
    cache_local.invalidar()


def sitios_olvidar(**kwargs) -> None:
    cache.delete(CLAVE_SITIOS)
    cache_local.invalidar()


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
        sitio = cache_local.obtener(
            ("sitio", connection.schema_name, request.get_host()),
            lambda: SitioWagtailMiddleware._sitio_compartido(request),
        )
        if sitio is not None:
            # El Site trae su raíz (select_related de Wagtail); la copia del Site
            # comparte esa Page, y Wagtail le cuelga ``.specific`` al enrutar: la
            # portada de una petición no debe servirse en la siguiente.
            raiz = sitio._state.fields_cache.get("root_page")
            if raiz is not None:
                raiz = copy.copy(raiz)
                raiz.__dict__.pop("specific", None)
                if request.path_info != "/":
                    # Para una página interior Wagtail pide la raíz específica (una
                    # consulta) solo para llamar a ``HomePage.route``, que usa su
                    # url_path; la versión diferida no consulta (un campo propio de la
                    # portada se leería al usarlo). Guardar la portada invalida el
                    # Site (``content.apps``), así que la url_path no queda vieja.
                    raiz.__dict__["specific"] = raiz.specific_deferred
                sitio.root_page = raiz
            request._wagtail_site = sitio

    @staticmethod
    def _sitio_compartido(request) -> Site | None:
        generacion = cache.get_or_set(CLAVE_SITIOS, lambda: uuid4().hex, None)
        clave = f"wagtail-sitio:{generacion}:{request.get_host()}"
        sitio = cache.get(clave)
        if sitio is None:
            sitio = Site.find_for_request(request)
            if sitio is not None:
                cache.set(clave, sitio, settings.TENANT_CACHE_SEGUNDOS)
        return sitio


class RestriccionesEnCacheMixin:
    """Páginas que omiten la búsqueda de restricciones si el schema no tiene ninguna."""

    def get_view_restrictions(self):
        if not hay_restricciones():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
