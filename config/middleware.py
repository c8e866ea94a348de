"""Base de datos caída: una página 503 en español en vez de un 500.

Si PostgreSQL se reinicia, cada petición falla rápido (``connect_timeout`` en
DATABASES) y quien la hizo ve «vuelva a intentar en unos segundos». Al volver la
base, ``CONN_HEALTH_CHECKS`` descarta las conexiones muertas y la app se recupera
sin reiniciar gunicorn ni Celery.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.defaults import server_error

logger = logging.getLogger(__name__)

ERRORES_DE_CONEXION = (OperationalError, InterfaceError)
REINTENTAR_SEGUNDOS = 10


def respuesta_503() -> HttpResponse:
    # Sin request: ningún context processor toca la base (el usuario, el tenant).
    contenido = loader.get_template("503.html").render({})
    respuesta = HttpResponse(contenido, status=503)
    respuesta["Retry-After"] = str(REINTENTAR_SEGUNDOS)
    respuesta["Cache-Control"] = "no-store"
    return respuesta


class BaseDeDatosCaidaMiddleware:
    """Convierte los errores de conexión de una vista en un 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, ERRORES_DE_CONEXION):
            return None
        logger.warning(
            "Base de datos no disponible (%s): 503 para %s",
            type(exception).__name__,
            request.path,
        )
        return respuesta_503()


def error_500(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """``handler500``: el error pudo salir de un middleware (el tenant por host, la
    sesión al guardarse), fuera del alcance de ``process_exception``."""
    if isinstance(sys.exc_info()[1], ERRORES_DE_CONEXION):
        return respuesta_503()
    return server_error(request, *args, **kwargs)


def salud(request: HttpRequest) -> HttpResponse:
    """Chequeo para el balanceador: 200 si la base responde; si no, el 503 de arriba."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    respuesta = HttpResponse("ok", content_type="text/plain")
    respuesta["Cache-Control"] = "no-store"
    return respuesta
