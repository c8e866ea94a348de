"""Cabeceras de seguridad (CSP, Permissions-Policy) y tope de tamaño de las subidas.

Django 5.2 no trae CSP; este middleware pequeño la arma desde ``CSP_POLITICA`` y, en
el admin de Wagtail y el de Django, desde ``CSP_POLITICA_ADMIN``: sus plantillas aún
traen scripts en línea y su verificador de accesibilidad (axe) usa ``new Function``.
Cada respuesta lleva un nonce (``request.csp_nonce``) para los pocos scripts propios
en línea. docs/security.md resume las amenazas y las pruebas que las cubren.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MB = 1024 * 1024


def _es_admin(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_PREFIJOS_ADMIN))


def politica_csp(request: HttpRequest, response: HttpResponse) -> str:
    politica = dict(
        settings.CSP_POLITICA_ADMIN
        if _es_admin(request.path)
        else settings.CSP_POLITICA
    )
    nonce = getattr(request, "_csp_nonce", None)
    if nonce and "'unsafe-inline'" not in politica.get("script-src", ()):
        politica["script-src"] = [*politica.get("script-src", ()), f"'nonce-{nonce}'"]
    # El previsualizador de Wagtail se enmarca a sí mismo (X-Frame-Options SAMEORIGIN
    # en esa vista); el resto no se deja enmarcar, como pide X_FRAME_OPTIONS = DENY.
    if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
        politica["frame-ancestors"] = ["'self'"]
    return "; ".join(
        f"{directiva} {' '.join(fuentes)}".strip()
        for directiva, fuentes in politica.items()
    )


class _Nonce:
    """Se genera solo si una plantilla lo pide: así el caché de páginas no cambia."""

    def __init__(self, request: HttpRequest):
        self.request = request

    def __str__(self) -> str:
        if getattr(self.request, "_csp_nonce", None) is None:
            self.request._csp_nonce = secrets.token_urlsafe(16)
        return self.request._csp_nonce


class CabecerasSeguridadMiddleware:
    """Content-Security-Policy y Permissions-Policy en todas las respuestas.

    Va antes de XFrameOptionsMiddleware en MIDDLEWARE para ver su cabecera al volver.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = _Nonce(request)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = politica_csp(request, response)
        if settings.PERMISSIONS_POLICY:
            response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


def limite_subida(path: str) -> int:
    """Bytes máximos del cuerpo de una petición a ``path`` (el prefijo más largo)."""
    limite = settings.SUBIDA_MAX_BYTES
    largo = -1
    for prefijo, bytes_max in settings.SUBIDA_LIMITES_POR_RUTA.items():
        if path.startswith(prefijo) and len(prefijo) > largo:
            limite, largo = bytes_max, len(prefijo)
    return limite


class LimiteSubidaMiddleware:
    """Rechaza con 413 un cuerpo más grande que el tope de su ruta, sin leerlo.

    DATA_UPLOAD_MAX_MEMORY_SIZE no cuenta los archivos; sin este tope, una subida de
    cualquier tamaño llegaría a disco antes de que un formulario la revise. Los topes
    por ruta dejan un margen sobre el límite de cada campo (WAGTAILIMAGES_…, H5P_…),
    para que un archivo apenas mayor vea el error del formulario junto al campo.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            largo = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            largo = 0
        maximo = limite_subida(request.path)
        if largo > maximo:
            return self.rechazar(request, maximo)
        return self.get_response(request)

    def rechazar(self, request: HttpRequest, maximo: int) -> HttpResponse:
        mensaje = _(
            "El archivo es demasiado grande: el máximo es %(max)s MB. No se guardó "
            "nada; reduzca el archivo e inténtelo de nuevo."
        ) % {"max": round(maximo / MB)}
        contenido = render_to_string("413.html", {"mensaje": mensaje})
        # Sin «Connection: close»: es una cabecera de salto (hop-by-hop) que la
        # aplicación WSGI no puede fijar (PEP 3333). wsgiref, el servidor de
        # `make run`, la rechaza con un 500 pelado, y gunicorn la ignora. Cerrar la
        # conexión es cosa del servidor: runserver descarta el cuerpo sin leerlo a
        # memoria y nginx corta antes con client_max_body_size. Con Content-Length
        # el navegador muestra la página sin esperar a que se cierre la conexión.
        response = HttpResponse(contenido, status=413)
        response["Content-Length"] = str(len(response.content))
        return response
