"""Filtro de logging que tacha RUT: defensa en profundidad (DESIGN.md §6).

El código no registra RUT, pero un error de la base (``Key (rut)=(…) already
exists``) o una traza sí podrían traerlo. El filtro va en los manejadores de
config/settings/base.py; la bitácora de pruebas no lo lleva, para que
tests/seguridad/test_bitacora_sin_rut.py vea lo que el código escribió de verdad.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django_tenants.log import TenantContextFilter

PATRON_RUT = re.compile(r"\b\d{1,2}\.?\d{3}\.?\d{3}-[\dkK]\b")
TACHADO = "[RUT]"


def rut_tachar(texto: str) -> str:
    return PATRON_RUT.sub(TACHADO, texto)


class SinRutFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        mensaje = record.getMessage()
        if PATRON_RUT.search(mensaje):
            record.msg, record.args = rut_tachar(mensaje), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = rut_tachar(record.exc_text)
        return True


class ContextoTenantFilter(TenantContextFilter):
    """El de django-tenants (``schema_name`` del tenant activo en cada registro), sin
    romper un registro emitido antes de que Django cargue las apps: ahí la conexión
    todavía no se puede crear, y un filtro que lanza una excepción tumba a quien
    escribió la línea. Esa línea dice ``[-]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            return super().filter(record)
        except (AppRegistryNotReady, ImproperlyConfigured):
            record.schema_name, record.domain_url = "-", None
            return True
