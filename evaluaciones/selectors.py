from __future__ import annotations

import random
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from .models import Evaluacion, Intento, Opcion, Pregunta


def evaluacion_aprobada(
    *, usuario: User | AnonymousUser, evaluacion: Evaluacion | None
) -> bool:
    # isinstance en vez de is_authenticated: es lo mismo, y mypy lo entiende.
    if evaluacion is None or isinstance(usuario, AnonymousUser):
        return False
    return Intento.objects.filter(
        evaluacion=evaluacion,
        usuario=usuario,
        estado=Intento.Estado.CALIFICADO,
        aprobado=True,
    ).exists()


def intentos_de(*, usuario: User, evaluacion: Evaluacion) -> QuerySet[Intento]:
    return Intento.objects.filter(usuario=usuario, evaluacion=evaluacion).order_by(
        "numero"
    )


def revision_visible(intento: Intento) -> bool:
    """¿Se muestran las respuestas correctas y la retroalimentación?

    Solo después de aprobar o de usar el último intento, nunca antes: mostrarlas tras
    un intento reprobado con intentos por delante permitiría copiarlas en el
    siguiente. «Después de cada envío» y «Después del último intento» se comportan
    igual en eso; «Nunca» no las muestra.
    """
    if intento.evaluacion.retroalimentacion == Evaluacion.Retroalimentacion.NUNCA:
        return False
    if intento.aprobado:
        return True
    # Un intento abierto aún no «usa» la última oportunidad: revelar las respuestas
    # antes de que se califique permitiría copiarlas.
    usados = Intento.objects.filter(
        evaluacion=intento.evaluacion,
        usuario_id=intento.usuario_id,
        estado=Intento.Estado.CALIFICADO,
    ).count()
    return usados >= intento.evaluacion.intentos_max


def intento_presentar(
    intento: Intento, *, con_solucion: bool = False
) -> list[dict[str, Any]]:
    """Preguntas del intento en el orden sorteado, listas para la plantilla.

    Sin ``con_solucion`` no incluye qué opción es correcta ni las parejas correctas:
    eso nunca llega al navegador antes de calificar. Dos consultas en total.
    """
    ids = [p["pregunta"] for p in intento.preguntas]
    preguntas = Pregunta.objects.in_bulk(ids)
    opciones = Opcion.objects.in_bulk(
        [o for p in intento.preguntas for o in p["opciones"]]
    )
    resultado = []
    for numero, item in enumerate(intento.preguntas, start=1):
        pregunta = preguntas.get(item["pregunta"])
        if pregunta is None:
            continue
        respuesta = intento.respuestas.get(str(pregunta.pk))
        lista = [opciones[o] for o in item["opciones"] if o in opciones]
        datos: dict[str, Any] = {
            "numero": numero,
            "id": pregunta.pk,
            "tipo": pregunta.tipo,
            "enunciado": pregunta.enunciado,
            "opciones": [
                {
                    "id": o.pk,
                    "texto": o.texto,
                    "elegida": (
                        o.pk in respuesta if isinstance(respuesta, list) else False
                    ),
                    "pareja_elegida": (
                        respuesta.get(str(o.pk), "")
                        if isinstance(respuesta, dict)
                        else ""
                    ),
                }
                for o in lista
            ],
        }
        if pregunta.tipo == Pregunta.Tipo.PAREO:
            parejas = sorted({o.pareja for o in lista})
            random.Random(intento.semilla + pregunta.pk).shuffle(parejas)
            datos["parejas"] = parejas
        if con_solucion:
            datos["puntaje"] = intento.detalle.get(str(pregunta.pk), 0)
            datos["retroalimentacion"] = pregunta.retroalimentacion
            for visible, o in zip(datos["opciones"], lista, strict=True):
                visible.update(
                    es_correcta=o.es_correcta,
                    pareja=o.pareja,
                    retroalimentacion=o.retroalimentacion,
                )
        resultado.append(datos)
    return resultado
