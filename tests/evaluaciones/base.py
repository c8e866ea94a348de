"""Base de las pruebas de evaluaciones: un banco con un tipo de pregunta de cada clase.

alice rinde en alfa una evaluación de 4 preguntas (única, múltiple, vf y pareo) sin
curso asociado, así que no necesita inscripción.
"""

from __future__ import annotations

import json

from django.contrib.messages import get_messages

from evaluaciones.models import Evaluacion, Intento
from tests.base import CapacitaTestCase
from tests.evaluaciones.factories import (
    CategoriaFactory,
    banco_crear,
    evaluacion_crear,
    formulario,
)


def url_intento(intento, accion: str = "") -> str:
    base = f"/evaluaciones/intentos/{intento.pk}/"
    return f"{base}{accion}/" if accion else base


def mensajes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class EvaluacionesTestCase(CapacitaTestCase):
    campos_evaluacion: dict = {}

    def setUp(self):
        super().setUp()
        with self.en_a():
            self.categoria = CategoriaFactory()
            self.preguntas = banco_crear(self.categoria)
            self.evaluacion = evaluacion_crear(
                reglas=[(self.categoria, len(self.preguntas))],
                **self.campos_evaluacion,
            )

    def evaluacion_cambiar(self, **campos) -> Evaluacion:
        with self.en_a():
            if campos.get("curso") is not None:
                # Esta pasa a ser la única final del curso: la del currículo se suelta.
                Evaluacion.objects.filter(curso=campos["curso"]).exclude(
                    pk=self.evaluacion.pk
                ).update(curso=None)
            Evaluacion.objects.filter(pk=self.evaluacion.pk).update(**campos)
            self.evaluacion.refresh_from_db()
        return self.evaluacion

    def iniciar(self, client=None, evaluacion=None, **datos):
        client = client or self.client_a
        evaluacion = evaluacion or self.evaluacion
        return client.post(f"/evaluaciones/{evaluacion.pk}/iniciar/", datos)

    def intento_nuevo(self, client=None, evaluacion=None, **datos) -> Intento:
        """Comienza por la vista y devuelve el intento abierto al que redirige."""
        response = self.iniciar(client, evaluacion, **datos)
        self.assertEqual(response.status_code, 302, mensajes(response))
        pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
        return self.intento(pk)

    def intento(self, pk: int) -> Intento:
        with self.en_a():
            return Intento.objects.select_related("evaluacion").get(pk=pk)

    def guardar(self, intento, respuestas, client=None):
        client = client or self.client_a
        return client.post(
            url_intento(intento, "guardar"),
            data=json.dumps(respuestas),
            content_type="application/json",
        )

    def enviar(self, intento, respuestas, client=None):
        client = client or self.client_a
        return client.post(url_intento(intento, "enviar"), formulario(respuestas))
