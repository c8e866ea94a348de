"""Sorteo y calificación de preguntas: funciones puras, sin base de datos."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal


def sortear(
    *,
    semilla: int,
    pool: dict[int, list[int]],
    reglas: list[tuple[int, int]],
    opciones: dict[int, list[int]],
    barajar_preguntas: bool,
    barajar_opciones: bool,
) -> list[dict]:
    """Sorteo reproducible: la misma semilla da las mismas preguntas en el mismo orden.

    ``pool`` va de categoría a ids de preguntas (orden estable), ``reglas`` son pares
    (categoría, cantidad) y ``opciones`` va de pregunta a sus ids de opción.
    """
    azar = random.Random(semilla)
    elegidas: list[int] = []
    for categoria, cantidad in reglas:
        candidatas = [p for p in sorted(pool.get(categoria, [])) if p not in elegidas]
        elegidas.extend(azar.sample(candidatas, min(cantidad, len(candidatas))))
    if barajar_preguntas:
        azar.shuffle(elegidas)
    resultado = []
    for pregunta in elegidas:
        orden = list(opciones.get(pregunta, []))
        if barajar_opciones:
            azar.shuffle(orden)
        resultado.append({"pregunta": pregunta, "opciones": orden})
    return resultado


def puntaje_pregunta(*, tipo: str, opciones: list[dict], respuesta) -> float:
    """Puntaje de 0 a 1 de una respuesta.

    ``opciones`` son dicts con id, es_correcta y pareja. Selección única y verdadero o
    falso valen 1 o 0. Respuesta múltiple da crédito parcial: (aciertos − errores) /
    correctas, nunca bajo 0. Pareo da la fracción de pares bien unidos.
    """
    if respuesta in (None, "", [], {}):
        return 0.0
    if tipo == "pareo":
        if not isinstance(respuesta, dict) or not opciones:
            return 0.0
        bien = sum(
            1 for o in opciones if str(respuesta.get(str(o["id"]), "")) == o["pareja"]
        )
        return bien / len(opciones)
    elegidas = {int(x) for x in respuesta} if isinstance(respuesta, list) else set()
    correctas = {o["id"] for o in opciones if o["es_correcta"]}
    if tipo == "multiple":
        if not correctas:
            return 0.0
        aciertos = len(elegidas & correctas)
        errores = len(elegidas - correctas)
        return max(0.0, (aciertos - errores) / len(correctas))
    return 1.0 if len(elegidas) == 1 and elegidas <= correctas else 0.0


def porcentaje(puntajes: list[float]) -> Decimal:
    if not puntajes:
        return Decimal("0.00")
    valor = Decimal(str(100 * sum(puntajes) / len(puntajes)))
    return valor.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
