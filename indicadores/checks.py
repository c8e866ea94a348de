"""Revisiones de despliegue (``manage.py check --deploy``) de indicadores."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

# El valor de config/settings/base.py para desarrollo: en producción no sirve, porque
# cualquiera que lo lea en el repositorio podría recalcular la clave de un RUT.
CLAVE_DESARROLLO = "capacita-desarrollo-clave-persona-no-usar-en-prod"
LARGO_MINIMO = 32


def clave_persona_revisar(app_configs=None, **kwargs) -> list[Error]:
    """Sin DEBUG, la clave de persona debe ser un secreto propio de al menos 32
    caracteres: con ella se seudonimiza el RUT de cada hecho nacional."""
    if settings.DEBUG:
        return []
    clave = getattr(settings, "INDICADORES_CLAVE_PERSONA", "") or ""
    if clave == CLAVE_DESARROLLO:
        problema = "tiene el valor de desarrollo"
    elif len(clave) < LARGO_MINIMO:
        problema = f"tiene menos de {LARGO_MINIMO} caracteres"
    else:
        return []
    return [
        Error(
            f"INDICADORES_CLAVE_PERSONA {problema}.",
            hint=(
                "Defina la variable de entorno INDICADORES_CLAVE_PERSONA con un "
                "secreto aleatorio de al menos 32 caracteres (p. ej. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`) y "
                "no lo cambie después: cambiarlo separa a cada persona de sus hechos "
                "anteriores."
            ),
            id="indicadores.E001",
        )
    ]
