"""Límites de un zip antes de descomprimirlo: una sola regla para xlsx y paquetes H5P.

Un xlsx y un .h5p son zip. Antes de leer su contenido se revisa, con lo que declara el
directorio central y sin descomprimir nada: cuántas entradas trae, cuánto pesa
descomprimido en total y cuánto se comprime cada entrada grande (una bomba zip declara
una razón enorme). Cada formato fija sus números en un ``LimitesZip``.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MB = 1024 * 1024

# Lo que lanza zipfile (y zlib debajo) ante un archivo dañado o que no es zip.
ERRORES_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    OSError,
    EOFError,
    ValueError,
)


@dataclass(frozen=True)
class LimitesZip:
    max_entradas: int
    max_descomprimido: int
    max_razon: int
    # Bajo este tamaño una razón de compresión alta no es peligrosa.
    razon_minimo_bytes: int = MB


class ZipExcedido(ValidationError):
    """El zip supera un límite; ``code`` dice cuál (demasiadas_entradas o bomba)."""


def zip_limites_revisar(
    entradas: Iterable[zipfile.ZipInfo], limites: LimitesZip
) -> None:
    """Lanza ``ZipExcedido`` (mensaje en español) si el zip supera ``limites``."""
    entradas = list(entradas)
    if len(entradas) > limites.max_entradas:
        raise ZipExcedido(
            _("El paquete tiene %(n)s archivos; el máximo es %(max)s.")
            % {"n": len(entradas), "max": limites.max_entradas},
            code="demasiadas_entradas",
        )
    total = 0
    for info in entradas:
        total += info.file_size
        if total > limites.max_descomprimido:
            raise ZipExcedido(
                _(
                    "El paquete descomprimido supera %(max)s MB; podría ser una "
                    "bomba de compresión."
                )
                % {"max": limites.max_descomprimido // MB},
                code="bomba",
            )
        razon = info.file_size / max(info.compress_size, 1)
        if info.file_size > limites.razon_minimo_bytes and razon > limites.max_razon:
            raise ZipExcedido(
                _(
                    "La entrada «%(n)s» se comprime %(r)d veces (máximo %(max)s); "
                    "podría ser una bomba de compresión."
                )
                % {"n": info.filename, "r": razon, "max": limites.max_razon},
                code="bomba",
            )
