"""Lecturas y escrituras del registro público de certificados."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .codigos import codigo_normalizar
from .models import RegistroCertificado


def registro_buscar(*, texto: str) -> RegistroCertificado | None:
    """El registro del código, o None si el código es inválido o no existe.

    Un código con el carácter de control errado se descarta sin consultar la base.
    """
    codigo = codigo_normalizar(texto)
    if codigo is None:
        return None
    # Sin el tenant: la institución va copiada en la fila (una consulta, sin JOIN).
    return RegistroCertificado.objects.filter(codigo=codigo).first()


def verificacion_limite_superado(*, ip: str) -> bool:
    """Cuenta una consulta de la IP y dice si pasó el límite de la ventana.

    Ventana fija en la caché compartida (Redis en producción): dos operaciones por
    consulta. La clave no guarda más que la IP y expira con la ventana.
    """
    limite = settings.CERTIFICADOS_VERIFICACION_LIMITE
    ventana = settings.CERTIFICADOS_VERIFICACION_VENTANA
    clave = f"verificar-ip:{ip}"
    if cache.add(clave, 1, timeout=ventana):
        return False
    try:
        return cache.incr(clave) > limite
    except ValueError:
        # La clave expiró entre add e incr: es una ventana nueva.
        cache.add(clave, 1, timeout=ventana)
        return False
