"""Señales de evaluaciones: cursos las escucha (evaluaciones no conoce cursos).

``intento_aprobado`` se envía dentro de la transacción que califica un intento
aprobado. Argumentos: ``intento``.

``acceso_consultar`` pregunta si una persona puede rendir en una lección o en el curso
de una evaluación final; cada receptor responde True o False. Argumentos: ``usuario``,
``curso_id`` o ``leccion_id``. Sin receptores no hay acceso.

``intentos_desde_consultar`` pregunta desde cuándo cuentan los intentos de una persona
en la evaluación final de un curso: en un ciclo nuevo (recertificación, actualización
de versión) los del ciclo anterior ya no cuentan, ni como aprobación ni como intentos
usados. Cada receptor responde un instante o None. Argumentos: ``usuario``,
``curso_id``.
"""

import datetime as dt
from typing import Any

from django.dispatch import Signal

intento_aprobado = Signal()
acceso_consultar = Signal()
intentos_desde_consultar = Signal()


def acceso_permitido(*, usuario, curso_id=None, leccion_id=None) -> bool:
    respuestas = acceso_consultar.send(
        sender=None, usuario=usuario, curso_id=curso_id, leccion_id=leccion_id
    )
    return bool(respuestas) and all(respuesta for _r, respuesta in respuestas)


def intentos_desde(*, usuario: Any, curso_id: int | None) -> dt.datetime | None:
    """El instante más reciente que respondan los receptores, o None (cuentan todos)."""
    if curso_id is None:
        return None
    respuestas = intentos_desde_consultar.send(
        sender=None, usuario=usuario, curso_id=curso_id
    )
    instantes = [r for _r, r in respuestas if r is not None]
    return max(instantes) if instantes else None
