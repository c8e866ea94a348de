"""La demo solo se escribe en una base de desarrollo.

``crear_demo`` llena una base de usuarios con clave conocida y personas ficticias, y
``generar_datos_indicadores`` agrega tenants sintéticos sin schema: en una base de
producción serían un agujero y datos falsos en los indicadores nacionales. La regla:

- se permite si ``CAPACITA_PERMITIR_DEMO=1`` (decisión explícita de quien lo corre);
- si no, los ajustes tienen que ser de desarrollo (``DEBUG`` encendido, o el módulo
  de ajustes ``config.settings.dev`` o ``config.settings.test``) **y** el nombre de la
  base no puede llevar una marca de producción (``prod``, ``produccion``).
"""

from __future__ import annotations

import os
import re

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

AJUSTES_DE_DESARROLLO = ("config.settings.dev", "config.settings.test")
MARCA_PRODUCCION = re.compile(r"prod", re.IGNORECASE)
VARIABLE_PERMISO = "CAPACITA_PERMITIR_DEMO"


def base_de_desarrollo_exigir(*, comando: str) -> None:
    """Lanza CommandError (en español) si la base no es de desarrollo."""
    if os.environ.get(VARIABLE_PERMISO) == "1":
        return
    modulo = os.environ.get("DJANGO_SETTINGS_MODULE", "") or "?"
    nombre = str(connection.settings_dict.get("NAME") or "")
    if not (settings.DEBUG or modulo in AJUSTES_DE_DESARROLLO):
        raise CommandError(
            _(
                "%(comando)s solo corre en una base de desarrollo: estos ajustes "
                "(%(modulo)s) no son de desarrollo ni tienen DEBUG encendido. Si de "
                "verdad es una base de pruebas, defina %(variable)s=1."
            )
            % {
                "comando": comando,
                "modulo": modulo or "?",
                "variable": VARIABLE_PERMISO,
            }
        )
    if MARCA_PRODUCCION.search(nombre):
        raise CommandError(
            _(
                "%(comando)s solo corre en una base de desarrollo: el nombre de la "
                "base («%(nombre)s») parece de producción. Si de verdad es una base de "
                "pruebas, defina %(variable)s=1."
            )
            % {"comando": comando, "nombre": nombre, "variable": VARIABLE_PERMISO}
        )
