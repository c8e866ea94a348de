"""Bancos de preguntas y evaluaciones de prueba. Todo en el schema activo: self.en_a().

Cada pregunta lleva marcas únicas en su retroalimentación general
(``RETRO-GENERAL-<código>``) y en la de cada opción (``RETRO-OPCION-<código>-<n>``),
para comprobar qué llega al navegador antes y después de calificar.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from evaluaciones.models import (
    Categoria,
    Evaluacion,
    Intento,
    Opcion,
    Pregunta,
    ReglaSorteo,
)

PAREJAS = [("BRITRAP", "PDI"), ("OS9", "Carabineros"), ("URAVIT", "Fiscalía")]


class CategoriaFactory(DjangoModelFactory):
    class Meta:
        model = Categoria
        django_get_or_create = ("nombre",)

    nombre = factory.Sequence(lambda n: f"Categoría {n}")


class PreguntaFactory(DjangoModelFactory):
    class Meta:
        model = Pregunta

    categoria = factory.SubFactory(CategoriaFactory)
    tipo = Pregunta.Tipo.UNICA
    codigo = factory.Sequence(lambda n: f"PQ-{n:05d}")
    enunciado = factory.LazyAttribute(lambda o: f"Enunciado de la pregunta {o.codigo}")
    retroalimentacion = factory.LazyAttribute(lambda o: f"RETRO-GENERAL-{o.codigo}")


class OpcionFactory(DjangoModelFactory):
    class Meta:
        model = Opcion

    pregunta = factory.SubFactory(PreguntaFactory)
    texto = factory.Sequence(lambda n: f"Opción {n}")
    sort_order = factory.Sequence(lambda n: n)


def _opciones(pregunta: Pregunta, textos: list[str], correctas: set[int]) -> Pregunta:
    for n, texto in enumerate(textos):
        OpcionFactory(
            pregunta=pregunta,
            texto=texto,
            sort_order=n,
            es_correcta=n in correctas,
            retroalimentacion=f"RETRO-OPCION-{pregunta.codigo}-{n}",
        )
    return pregunta


def pregunta_unica(categoria, *, correcta: int = 1, n: int = 3, **campos):
    pregunta = PreguntaFactory(categoria=categoria, tipo=Pregunta.Tipo.UNICA, **campos)
    textos = [f"{pregunta.codigo} alternativa {i}" for i in range(n)]
    return _opciones(pregunta, textos, {correcta})


def pregunta_multiple(categoria, *, correctas=(0, 1, 2), n: int = 5, **campos):
    pregunta = PreguntaFactory(
        categoria=categoria, tipo=Pregunta.Tipo.MULTIPLE, **campos
    )
    textos = [f"{pregunta.codigo} alternativa {i}" for i in range(n)]
    return _opciones(pregunta, textos, set(correctas))


def pregunta_vf(categoria, *, verdadera: bool = False, **campos):
    pregunta = PreguntaFactory(
        categoria=categoria, tipo=Pregunta.Tipo.VERDADERO_FALSO, **campos
    )
    return _opciones(pregunta, ["Verdadero", "Falso"], {0 if verdadera else 1})


def pregunta_pareo(categoria, *, pares=PAREJAS, **campos):
    pregunta = PreguntaFactory(categoria=categoria, tipo=Pregunta.Tipo.PAREO, **campos)
    for n, (texto, pareja) in enumerate(pares):
        OpcionFactory(
            pregunta=pregunta,
            texto=f"{texto} ({pregunta.codigo})",
            pareja=pareja,
            es_correcta=True,
            sort_order=n,
            retroalimentacion=f"RETRO-OPCION-{pregunta.codigo}-{n}",
        )
    return pregunta


def banco_crear(categoria=None, *, veces: int = 1) -> list[Pregunta]:
    """Una pregunta de cada tipo (única, múltiple, vf, pareo), ``veces`` veces."""
    categoria = categoria or CategoriaFactory()
    preguntas = []
    for _n in range(veces):
        preguntas += [
            pregunta_unica(categoria),
            pregunta_multiple(categoria),
            pregunta_vf(categoria),
            pregunta_pareo(categoria),
        ]
    return preguntas


def evaluacion_crear(*, reglas, **campos) -> Evaluacion:
    """Evaluación con reglas de sorteo [(categoría, cantidad), ...]."""
    campos.setdefault("titulo", "Evaluación de prueba")
    campos.setdefault("retroalimentacion", Evaluacion.Retroalimentacion.CADA_ENVIO)
    evaluacion = Evaluacion.objects.create(**campos)
    for n, (categoria, cantidad) in enumerate(reglas):
        ReglaSorteo.objects.create(
            evaluacion=evaluacion, categoria=categoria, cantidad=cantidad, sort_order=n
        )
    return evaluacion


# Respuestas construidas a partir de lo sorteado en un intento ------------------------


def _sorteadas(intento: Intento) -> list[tuple[Pregunta, list[Opcion]]]:
    preguntas = Pregunta.objects.in_bulk([p["pregunta"] for p in intento.preguntas])
    opciones = Opcion.objects.in_bulk(
        [o for p in intento.preguntas for o in p["opciones"]]
    )
    return [
        (preguntas[p["pregunta"]], [opciones[o] for o in p["opciones"]])
        for p in intento.preguntas
    ]


def respuestas_correctas(intento: Intento) -> dict:
    """{"<pregunta>": [opciones]} o, en pareo, {"<pregunta>": {"<opción>": pareja}}."""
    respuestas: dict = {}
    for pregunta, opciones in _sorteadas(intento):
        if pregunta.tipo == Pregunta.Tipo.PAREO:
            respuestas[str(pregunta.pk)] = {str(o.pk): o.pareja for o in opciones}
        else:
            respuestas[str(pregunta.pk)] = [o.pk for o in opciones if o.es_correcta]
    return respuestas


def respuestas_incorrectas(intento: Intento) -> dict:
    """Respuestas que valen 0 en cada pregunta."""
    respuestas: dict = {}
    for pregunta, opciones in _sorteadas(intento):
        if pregunta.tipo == Pregunta.Tipo.PAREO:
            parejas = [o.pareja for o in opciones]
            corridas = parejas[1:] + parejas[:1]
            respuestas[str(pregunta.pk)] = {
                str(o.pk): p for o, p in zip(opciones, corridas, strict=True)
            }
        elif pregunta.tipo == Pregunta.Tipo.MULTIPLE:
            respuestas[str(pregunta.pk)] = [o.pk for o in opciones if not o.es_correcta]
        else:
            incorrecta = next(o for o in opciones if not o.es_correcta)
            respuestas[str(pregunta.pk)] = [incorrecta.pk]
    return respuestas


def formulario(respuestas: dict) -> dict:
    """Los campos que envía el formulario del intento (p<id> y p<id>_<opción>)."""
    datos: dict = {}
    for pregunta, valor in respuestas.items():
        if isinstance(valor, dict):
            for opcion, pareja in valor.items():
                datos[f"p{pregunta}_{opcion}"] = pareja
        else:
            datos[f"p{pregunta}"] = [str(x) for x in valor]
    return datos
