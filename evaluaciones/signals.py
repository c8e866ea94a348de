"""Señales de evaluaciones: cursos las escucha (evaluaciones no conoce cursos).

``intento_aprobado`` se envía dentro de la transacción que califica un intento
aprobado. Argumentos: ``intento``.

``acceso_consultar`` pregunta si una persona puede rendir en una lección o en el curso
de una evaluación final; cada receptor responde True o False. Argumentos: ``usuario``,
``curso_id`` o ``leccion_id``. Sin receptores no hay acceso.
"""

from django.dispatch import Signal

intento_aprobado = Signal()
acceso_consultar = Signal()


def acceso_permitido(*, usuario, curso_id=None, leccion_id=None) -> bool:
    respuestas = acceso_consultar.send(
        sender=None, usuario=usuario, curso_id=curso_id, leccion_id=leccion_id
    )
    return bool(respuestas) and all(respuesta for _r, respuesta in respuestas)
