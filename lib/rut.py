"""RUT chileno: normalización y dígito verificador (módulo 11).

Se guarda normalizado como «12345678-5» (sin puntos, DV en mayúscula). Nunca debe ir a
una URL ni a un log: quien lo necesite mostrar usa ``rut_enmascarar``.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_RUT_RE = re.compile(r"^(\d{1,8})-?([\dK])$")


def dv_calcular(cuerpo: str) -> str:
    suma = 0
    factor = 2
    for digito in reversed(cuerpo):
        suma += int(digito) * factor
        factor = 2 if factor == 7 else factor + 1
    resto = 11 - suma % 11
    return {11: "0", 10: "K"}.get(resto, str(resto))


def rut_normalizar(valor: str) -> str:
    """Devuelve el RUT como «12345678-5» o lanza ValidationError en español."""
    limpio = re.sub(r"[.\s]", "", str(valor or "")).upper()
    coincidencia = _RUT_RE.match(limpio)
    if not coincidencia:
        raise ValidationError(
            _("El RUT debe tener el formato 12.345.678-5."), code="rut_formato"
        )
    cuerpo, dv = coincidencia.groups()
    cuerpo = cuerpo.lstrip("0") or "0"
    if int(cuerpo) < 1_000_000 or dv_calcular(cuerpo) != dv:
        raise ValidationError(
            _("El RUT no es válido: revise el dígito verificador."), code="rut_dv"
        )
    return f"{cuerpo}-{dv}"


def rut_validator(valor: str) -> None:
    rut_normalizar(valor)


def rut_enmascarar(rut: str) -> str:
    """«12345678-5» → «**.***.678-5», para mostrar a su titular sin exponerlo."""
    if not rut:
        return ""
    cuerpo, _guion, dv = rut.partition("-")
    return f"**.***.{cuerpo[-3:]}-{dv}"
