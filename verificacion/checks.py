"""Revisiones de despliegue (``manage.py check --deploy``) de la verificación."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from .claves import semilla_decodificar

AYUDA = (
    "Defina la variable de entorno CERTIFICADOS_CLAVE_ED25519 con una semilla "
    "Ed25519 de 32 bytes en base64url (`python -c 'from verificacion.claves import "
    "semilla_nueva; print(semilla_nueva())'`), guárdela como secreto y no la cambie "
    "sin publicar antes la clave nueva: cambiarla invalida la firma de los Open "
    "Badges ya descargados."
)


def clave_openbadges_revisar(app_configs=None, **kwargs) -> list[Error]:
    """Sin DEBUG, la clave que firma los Open Badges debe estar configurada.

    Sin ella se deriva de SECRET_KEY (verificacion/claves.py): sirve en desarrollo,
    pero en producción ata la firma de las credenciales a otro secreto que se rota
    por otras razones.
    """
    if settings.DEBUG:
        return []
    clave = getattr(settings, "CERTIFICADOS_CLAVE_ED25519", "") or ""
    if not clave.strip():
        mensaje = (
            "CERTIFICADOS_CLAVE_ED25519 no está definida: la firma de los Open "
            "Badges se derivaría de SECRET_KEY."
        )
    else:
        try:
            semilla_decodificar(clave)
        except ValueError as exc:
            mensaje = f"{exc}."
        else:
            return []
    return [
        Error(
            mensaje,
            hint=AYUDA,
            id="verificacion.E001",
        )
    ]
