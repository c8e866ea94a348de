"""Errores de la API como documentos «problem+json» (RFC 9457), en español.

Cada error lleva ``type``, ``title``, ``status``, ``detail`` e ``instance``; los de
validación agregan ``errores``: una lista de ``{campo, mensaje}`` con la ruta del
campo (``personas[3].rut``). Ningún mensaje repite el valor recibido: así un RUT mal
escrito no vuelve en la respuesta ni llega a un log.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

TIPO_BASE = "https://capacita.gob.cl/problemas/"
CONTENT_TYPE = "application/problem+json"


class Conflicto(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflicto"


class ReglaIncumplida(exceptions.APIException):
    """Un servicio rechazó la operación (ValidationError de Django)."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "regla"


def _titulos() -> dict[int, tuple[str, str]]:
    return {
        400: ("solicitud-invalida", _("La solicitud no es válida")),
        401: ("no-autenticado", _("Falta un token válido")),
        403: ("sin-permiso", _("Sin permiso")),
        404: ("no-encontrado", _("No encontrado")),
        405: ("metodo-no-permitido", _("Método no permitido")),
        406: ("formato-no-aceptable", _("Formato no aceptable")),
        409: ("conflicto", _("Conflicto")),
        413: ("demasiado-grande", _("Solicitud demasiado grande")),
        415: ("tipo-no-soportado", _("Tipo de contenido no soportado")),
        422: ("regla-incumplida", _("La operación no cumple las reglas")),
        429: ("demasiadas-solicitudes", _("Demasiadas solicitudes")),
    }


def _detalle(exc: exceptions.APIException) -> str:
    if isinstance(exc, exceptions.ParseError):
        return _("El cuerpo no es JSON válido.")
    if isinstance(exc, exceptions.ValidationError):
        return _("Revise los campos indicados en «errores».")
    if isinstance(exc, exceptions.NotAuthenticated):
        return _(
            "Envíe la cabecera «Authorization: Bearer <token>» con un token creado "
            "por la encargada o el encargado de capacitación."
        )
    if isinstance(exc, exceptions.Throttled):
        espera = exc.wait or 1
        return _("Superó el límite de solicitudes. Reintente en %(s)d segundos.") % {
            "s": max(1, round(espera))
        }
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("Envíe el cuerpo como application/json.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("Este recurso no admite ese método.")
    if isinstance(exc, exceptions.NotFound):
        return _("El recurso no existe o no pertenece a la institución del token.")
    detail = exc.detail
    if isinstance(detail, list | dict):
        return _("La solicitud no es válida.")
    return str(detail)


def errores_aplanar(detail, prefijo: str = "") -> list[dict[str, str]]:
    """{"personas": [{}, {"rut": ["…"]}]} → [{"campo": "personas[1].rut", …}]."""
    salida: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for clave, valor in detail.items():
            campo = prefijo
            if isinstance(clave, int) or str(clave).isdigit():
                # Las listas de DRF (many=True) llegan como {índice: errores}.
                campo = f"{prefijo}[{clave}]"
            elif clave != "non_field_errors":
                campo = f"{prefijo}.{clave}" if prefijo else str(clave)
            salida += errores_aplanar(valor, campo)
    elif isinstance(detail, list):
        if all(not isinstance(x, dict | list) for x in detail):
            salida += [{"campo": prefijo, "mensaje": str(x)} for x in detail]
        else:
            for i, valor in enumerate(detail):
                salida += errores_aplanar(valor, f"{prefijo}[{i}]")
    elif detail:
        salida.append({"campo": prefijo, "mensaje": str(detail)})
    return salida


def problema_respuesta(
    *, status_code: int, detail: str, instance: str, errores=None, headers=None
) -> Response:
    slug, titulo = _titulos().get(
        status_code, ("error", _("Error al atender la solicitud"))
    )
    datos = {
        "type": TIPO_BASE + slug,
        "title": titulo,
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    if errores:
        datos["errores"] = errores
    response = Response(
        datos, status=status_code, content_type=CONTENT_TYPE, headers=headers
    )
    return response


def manejar_excepcion(exc, context):
    """EXCEPTION_HANDLER de DRF: todo error sale como problem+json."""
    if isinstance(exc, DjangoValidationError):
        mensajes = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        exc = ReglaIncumplida(detail=mensajes)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # error inesperado: 500 de Django, sin detalles
    request = context.get("request")
    errores = None
    if isinstance(exc, exceptions.ValidationError | ReglaIncumplida):
        errores = errores_aplanar(exc.detail)
    detalle = _detalle(exc)
    if isinstance(exc, ReglaIncumplida):
        detalle = " ".join(e["mensaje"] for e in errores or []) or detalle
    headers = {
        k: v
        for k, v in response.items()
        if k in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return problema_respuesta(
        status_code=response.status_code,
        detail=detalle,
        instance=request.path if request is not None else "",
        errores=errores,
        headers=headers,
    )
