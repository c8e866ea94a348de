"""Límites por ventana fija en la caché: ingreso, pedidos de contraseña y verificación.

Una sola cuenta para los tres, así todos comparten la IP real detrás de un proxy y el
arreglo de la carrera de ``RedisCache.incr`` (ver ``ventana_contar``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def ip_cliente(request: HttpRequest) -> str:
    """IP del cliente; detrás de un proxy, la de la cabecera que ese proxy fija
    (``INGRESO_CABECERA_IP``): sin ella, todos compartirían la IP del proxy."""
    cabecera: str = settings.INGRESO_CABECERA_IP
    if cabecera and request.META.get(cabecera):
        return str(request.META[cabecera]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def ventana_contar(clave: str, ventana: int) -> int:
    """Suma uno a la cuenta de ``clave`` y la devuelve; la ventana corre desde la
    primera vez y la clave expira con ella."""
    if cache.add(clave, 1, timeout=ventana):
        return 1
    try:
        cuenta = cache.incr(clave)
    except ValueError:
        # La clave expiró entre add e incr: es una ventana nueva.
        cache.add(clave, 1, timeout=ventana)
        return 1
    if cuenta == 1:
        # Tras un add fallido la cuenta es ≥ 2, salvo que la clave expirara justo
        # entre el EXISTS y el INCR de RedisCache.incr: INCR la recreó sin
        # expiración y quedaría contada (y un día bloqueada) para siempre.
        cache.touch(clave, ventana)
    return cuenta
