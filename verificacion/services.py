"""Lecturas y escrituras del registro público de certificados."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from lib.limites import ventana_contar

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
    """Cuenta una consulta de la IP y dice si pasó el límite de la ventana (caché
    compartida, Redis en producción). La clave no guarda más que la IP."""
    cuenta = ventana_contar(
        f"verificar-ip:{ip}", settings.CERTIFICADOS_VERIFICACION_VENTANA
    )
    return cuenta > settings.CERTIFICADOS_VERIFICACION_LIMITE


def registros_anonimizar(
    *, tenant_id: int, certificado_ids: list[int], nombre: str
) -> int:
    """Deja los certificados de una persona anonimizada sin su nombre (Ley 21.719).

    El código, el curso, las fechas y el estado siguen verificándose; el titular pasa a
    ``nombre`` («Persona anonimizada»). Devuelve cuántas filas cambiaron.
    """
    return RegistroCertificado.objects.filter(
        tenant_id=tenant_id, certificado_id__in=certificado_ids
    ).update(titular_nombre=nombre, updated_at=timezone.now())
