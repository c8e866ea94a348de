"""Lecturas y escrituras del registro público de certificados."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .codigos import codigo_normalizar
from .models import RegistroCertificado

_SQL_POR_CODIGO = (
    f"SELECT * FROM {RegistroCertificado._meta.db_table} WHERE codigo = %s LIMIT 1"
)


def registro_buscar(*, texto: str) -> RegistroCertificado | None:
    """El registro del código, o None si el código es inválido o no existe.

    Un código con el carácter de control errado se descarta sin consultar la base.
    """
    codigo = codigo_normalizar(texto)
    if codigo is None:
        return None
    # Sin el tenant: la institución va copiada en la fila (una consulta, sin JOIN).
    # SQL fijo en vez del ORM: compilar la consulta costaba ≈ 0,2 ms de CPU por
    # verificación, un décimo de la página (tests/bench/bench_certificados.py).
    filas = RegistroCertificado.objects.raw(_SQL_POR_CODIGO, [codigo])
    return next(iter(filas), None)


def verificacion_limite_superado(*, ip: str) -> bool:
    """Cuenta una consulta de la IP y dice si pasó el límite de la ventana.

    Ventana fija en la caché compartida (Redis en producción): ``add`` y, desde la
    segunda consulta de la ventana, ``incr``. La clave no guarda más que la IP y
    expira con la ventana.
    """
    limite = settings.CERTIFICADOS_VERIFICACION_LIMITE
    ventana = settings.CERTIFICADOS_VERIFICACION_VENTANA
    clave = f"verificar-ip:{ip}"
    if cache.add(clave, 1, timeout=ventana):
        return False
    try:
        cuenta = cache.incr(clave)
    except ValueError:
        # La clave expiró entre add e incr: es una ventana nueva.
        cache.add(clave, 1, timeout=ventana)
        return False
    if cuenta == 1:
        # Tras un add fallido la cuenta es ≥ 2, salvo que la clave expirara justo
        # entre el EXISTS y el INCR de RedisCache.incr: INCR la recreó sin
        # expiración y la IP quedaría contada (y un día bloqueada) para siempre.
        cache.touch(clave, ventana)
    return cuenta > limite
