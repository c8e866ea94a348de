"""Privacidad en la demo: «funcionario» pidió corregir su cargo (Ley 21.719)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from privacidad.models import Campo, SolicitudRectificacion
from privacidad.services import rectificacion_solicitar


def rectificacion_demo_asegurar(
    *, username: str = "funcionario"
) -> SolicitudRectificacion | None:
    """Una solicitud pendiente que la encargada ve en Datos personales. Idempotente."""
    usuario = get_user_model().objects.filter(username=username).first()
    if usuario is None:
        return None
    pendiente = SolicitudRectificacion.objects.filter(
        usuario=usuario, estado=SolicitudRectificacion.Estado.PENDIENTE
    ).first()
    if pendiente is not None:
        return pendiente
    return rectificacion_solicitar(
        usuario=usuario,
        campo=Campo.CARGO,
        valor="Inspectora de la Unidad de Trata",
        motivo="Cambié de cargo en marzo y mi perfil todavía dice el anterior.",
    )
