"""Avisos de demostración: la encargada asigna un curso con plazo a «funcionario».

Se crean por los mismos servicios que en producción: la inscripción con ``inscrito_por``
envía ``inscripcion_asignada`` (aviso «Curso asignado») y la revisión diaria agrega el
recordatorio del plazo. No se envía ningún correo: eso lo hace la tarea diaria.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from avisos.models import Aviso
from avisos.services import avisos_plazos_revisar
from cursos.models import CursoPage
from cursos.services import inscripcion_crear

CURSOS_DEMO = ("deteccion-indicadores", "que-es-la-trata")


def avisos_demo_asegurar(
    *, username: str = "funcionario", encargado: str = "encargado"
) -> int:
    """Deja avisos en la lista de «funcionario». Idempotente; devuelve cuántos tiene."""
    User = get_user_model()
    usuario = User.objects.filter(username=username).first()
    asigna = User.objects.filter(username=encargado).first()
    if usuario is None or asigna is None:
        return 0
    hoy = timezone.localdate()
    for clave in CURSOS_DEMO:
        curso = CursoPage.objects.live().filter(clave_curriculo=clave).first()
        if curso is None:
            continue
        try:
            with transaction.atomic():
                inscripcion_crear(
                    usuario=usuario,
                    curso=curso,
                    inscrito_por=asigna,
                    plazo=hoy + dt.timedelta(days=5),
                )
        except ValidationError:
            continue
        break
    avisos_plazos_revisar(hoy=hoy)
    return Aviso.objects.filter(usuario=usuario).count()
