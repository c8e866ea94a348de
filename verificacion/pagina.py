"""HTML del resultado de una verificación para visitantes sin sesión, con partes en
caché.

La fila del registro se lee siempre de la base (verificacion.services), así que una
revocación se ve en la petición siguiente en todos los procesos. Lo que se guarda es
HTML ya renderizado, en dos partes:

- El **marco** (cabecera, pie y estilos del sitio público), igual para todo visitante
  sin sesión; depende solo del idioma y del tenant público. Es la mitad del costo de
  renderizar la página.
- El **cuerpo** de cada certificado, con una clave que resume la fila entera y el
  estado del día: cualquier cambio de la fila (revocación, vencimiento, reemplazo,
  incluso un ``update()`` masivo o una edición a mano) cambia la clave, así que no
  hay nada que invalidar. Solo sirve a un código que se consulta varias veces
  seguidas (un QR muy compartido).

Ninguna de las dos lleva token CSRF, mensajes ni datos de un usuario: con una cookie
de sesión la vista renderiza la página completa como siempre.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation

from .models import RegistroCertificado

MARCA = "<!--verificacion-cuerpo-->"
# Vida de las partes en caché: acota lo que tarda en verse un cambio del diseño del
# sitio público (nombre, logo, color), no el de la fila.
SEGUNDOS = 60


def sin_sesion(request) -> bool:
    """Sin cookie de sesión ni de mensajes: visitante anónimo, página igual para
    todos."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def resultado_html(request, *, registro: RegistroCertificado, contexto: dict) -> str:
    marco = _marco(request)
    if marco is None:
        return render_to_string("verificacion/resultado.html", contexto, request)
    antes, despues = marco
    return antes + _cuerpo(registro, contexto) + despues


def _marco(request) -> tuple[str, str] | None:
    tenant = getattr(request, "tenant", None)
    clave = f"verificar-marco:{translation.get_language()}:{getattr(tenant, 'pk', '')}"
    partes = cache.get(clave)
    if partes is None:
        html = render_to_string("verificacion/resultado_marco.html", {}, request)
        partes = tuple(html.split(MARCA))
        if len(partes) != 2:
            return None
        cache.set(clave, partes, SEGUNDOS)
    return partes


def _cuerpo(registro: RegistroCertificado, contexto: dict) -> str:
    valores = [getattr(registro, campo.attname) for campo in registro._meta.fields]
    huella = hashlib.blake2b(
        repr((valores, contexto["estado"], translation.get_language())).encode(),
        digest_size=16,
    ).hexdigest()
    clave = f"verificar-cuerpo:{huella}"
    cuerpo = cache.get(clave)
    if cuerpo is None:
        # Sin request: ningún context processor, y nada del visitante en el HTML.
        cuerpo = render_to_string(
            "verificacion/includes/resultado_cuerpo.html", contexto
        )
        cache.set(clave, cuerpo, SEGUNDOS)
    return cuerpo
