"""Enlaces absolutos: una sola forma de armarlos, con el puerto y el host reales.

Los correos, el QR y el Open Badge de un certificado, los avisos del admin de Wagtail
y el listado de `crear_demo` no tienen una petición de la que sacar el host: sus
enlaces salen de aquí. El puerto se lee de ``CAPACITA_PUERTO`` al armar cada enlace
(no al cargar los settings), y el Makefile lo exporta igual al ``PORT`` de
``make run``; así ``PORT=8123`` llega a todos los enlaces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def url_host(dominio: str, ruta: str = "/") -> str:
    """``<esquema>://<dominio>[:<puerto>]<ruta>``; sin puerto si es el del esquema."""
    esquema = settings.CAPACITA_ESQUEMA
    puerto = str(settings.CAPACITA_PUERTO or "")
    if puerto in ("", {"http": "80", "https": "443"}.get(esquema)):
        sufijo = ""
    else:
        sufijo = f":{puerto}"
    return f"{esquema}://{dominio}{sufijo}{ruta}"


def url_publica(ruta: str = "/") -> str:
    """En el sitio público de la MITP (verificación, emisor de los Open Badges).

    ``CERTIFICADOS_URL_PUBLICA`` la fija en producción; vacía, se arma con el dominio
    y el puerto actuales.
    """
    fija = settings.CERTIFICADOS_URL_PUBLICA
    if fija:
        return fija.rstrip("/") + ruta
    return url_host(settings.CAPACITA_DOMINIO, ruta)


def url_tenant(tenant, ruta: str = "/") -> str:
    """En el host principal de ``tenant`` ("" si no tiene dominio).

    Nota: lee el dominio principal del tenant (una consulta).
    """
    dominio = tenant.get_primary_domain()
    if dominio is None:
        return ""
    return url_host(dominio.domain, ruta)


def url_admin_base() -> str:
    """Base de los enlaces del admin de Wagtail sin petición (avisos de moderación):
    el host del tenant activo, porque cada tenant tiene su propio admin; en el
    schema public, ``WAGTAILADMIN_BASE_URL`` o el sitio público."""
    tenant = getattr(connection, "tenant", None)
    if tenant is not None and connection.schema_name != "public":
        base = url_tenant(tenant, "")
        if base:
            return base
    return settings.WAGTAILADMIN_BASE_URL or url_publica("")


def wagtail_base_url_instalar() -> None:
    """Wagtail lee ``WAGTAILADMIN_BASE_URL``, uno solo para todo el proceso, y no
    ofrece un gancho por sitio: se reemplaza su función en los tres módulos que la
    importan, para que los avisos de un tenant lleven al host de ese tenant y no al
    sitio público (donde el enlace es un 404)."""
    from wagtail.admin import userbar, utils
    from wagtail.admin.templatetags import wagtailadmin_tags

    for modulo in (utils, userbar, wagtailadmin_tags):
        modulo.get_admin_base_url = url_admin_base
