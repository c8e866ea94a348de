from __future__ import annotations

from .models import Evaluacion, Intento


def evaluacion_aprobada(*, usuario, evaluacion: Evaluacion | None) -> bool:
    if evaluacion is None or not usuario.is_authenticated:
        return False
    return Intento.objects.filter(
        evaluacion=evaluacion,
        usuario=usuario,
        estado=Intento.Estado.CALIFICADO,
        aprobado=True,
    ).exists()


def intentos_de(*, usuario, evaluacion: Evaluacion):
    return Intento.objects.filter(usuario=usuario, evaluacion=evaluacion).order_by(
        "numero"
    )
