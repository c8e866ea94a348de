"""Un quiz obligatorio en una lección (EvaluacionBlock) condiciona completarla."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from cursos.models import LeccionCompletada
from cursos.services import inscripcion_crear, leccion_completar
from evaluaciones.models import Intento
from tests.cursos.factories import curso_por_clave, leccion_agregar
from tests.evaluaciones.base import EvaluacionesTestCase, mensajes, url_intento
from tests.evaluaciones.factories import (
    evaluacion_crear,
    respuestas_correctas,
    respuestas_incorrectas,
)

PENDIENTE = "Para completar esta lección debe aprobar: Control de conocimientos (quiz)."


def _bloque(evaluacion, *, obligatoria: bool = True):
    return ("evaluacion", {"evaluacion": evaluacion, "obligatoria": obligatoria})


class LeccionConQuizTests(EvaluacionesTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.leccion = leccion_agregar(
                self.curso,
                title="Lección con control",
                slug="leccion-con-control",
                cuerpo=[_bloque(self.evaluacion)],
            )
            self.inscripcion, _creada = inscripcion_crear(
                usuario=self.alice, curso=self.curso
            )
            self.url_leccion = self.leccion.url
        self.ingresar(self.client_a, "alice")

    def _completada(self) -> bool:
        with self.en_a():
            return LeccionCompletada.objects.filter(
                inscripcion=self.inscripcion, leccion=self.leccion
            ).exists()

    def _rendir_desde_la_leccion(self, evaluacion=None, *, aprobar=True) -> Intento:
        intento = self.intento_nuevo(evaluacion=evaluacion, leccion=self.leccion.pk)
        self.assertEqual(intento.leccion_id, self.leccion.pk)
        with self.en_a():
            respuestas = (
                respuestas_correctas(intento)
                if aprobar
                else respuestas_incorrectas(intento)
            )
        self.enviar(intento, respuestas)
        return self.intento(intento.pk)

    def test_la_leccion_muestra_el_control_que_se_rinde_desde_ella(self):
        response = self.client_a.get(self.url_leccion)
        self.assertContains(response, "Control de conocimientos")
        self.assertContains(
            response, "Aprobarlo es necesario para completar esta lección."
        )
        self.assertContains(
            response, f'action="/evaluaciones/{self.evaluacion.pk}/iniciar/"'
        )
        self.assertContains(
            response, f'<input type="hidden" name="leccion" value="{self.leccion.pk}">'
        )

    def test_sin_aprobar_el_quiz_la_leccion_no_se_completa(self):
        with self.en_a(), self.assertRaises(ValidationError) as error:
            leccion_completar(inscripcion=self.inscripcion, leccion=self.leccion)
        self.assertEqual(error.exception.messages, [PENDIENTE])
        self.assertEqual(error.exception.code, "actividad_pendiente")
        self.assertFalse(self._completada())

        # Reprobar tampoco alcanza.
        self._rendir_desde_la_leccion(aprobar=False)
        self.assertFalse(self._completada())
        with self.en_a(), self.assertRaises(ValidationError):
            leccion_completar(inscripcion=self.inscripcion, leccion=self.leccion)

    def test_el_boton_completar_sin_aprobar_vuelve_a_la_leccion_con_el_mensaje(self):
        self.client_a.raise_request_exception = False
        response = self.client_a.post(f"/lecciones/{self.leccion.pk}/completar/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], self.url_leccion)
        self.assertIn(PENDIENTE, mensajes(response))
        self.assertFalse(self._completada())

    def test_aprobar_el_quiz_desde_la_leccion_la_completa_sola(self):
        intento = self._rendir_desde_la_leccion()
        self.assertTrue(intento.aprobado)
        self.assertTrue(self._completada())
        # El resultado vuelve a la lección.
        response = self.client_a.get(url_intento(intento, "resultado"))
        self.assertContains(response, f'href="{self.url_leccion}"')
        # Completarla a mano después no falla ni duplica.
        with self.en_a():
            leccion_completar(inscripcion=self.inscripcion, leccion=self.leccion)
            self.assertEqual(
                LeccionCompletada.objects.filter(leccion=self.leccion).count(), 1
            )

    def test_aprobar_el_quiz_fuera_de_la_leccion_permite_completarla_despues(self):
        intento = self.intento_nuevo()
        self.assertIsNone(intento.leccion_id)
        with self.en_a():
            respuestas = respuestas_correctas(intento)
        self.enviar(intento, respuestas)
        self.assertFalse(self._completada())
        with self.en_a():
            leccion_completar(inscripcion=self.inscripcion, leccion=self.leccion)
        self.assertTrue(self._completada())

    def test_un_quiz_no_obligatorio_no_bloquea_la_leccion(self):
        with self.en_a():
            libre = leccion_agregar(
                self.curso,
                title="Lección con control libre",
                slug="leccion-control-libre",
                cuerpo=[_bloque(self.evaluacion, obligatoria=False)],
            )
            leccion_completar(inscripcion=self.inscripcion, leccion=libre)
            self.assertTrue(LeccionCompletada.objects.filter(leccion=libre).exists())

    def test_con_dos_quizzes_obligatorios_aprobar_el_primero_queda_registrado(self):
        """Aprobar uno de dos quizzes obligatorios no puede perder su nota."""
        with self.en_a():
            segunda = evaluacion_crear(
                reglas=[(self.categoria, 2)], titulo="Segundo control"
            )
            self.leccion.cuerpo = [_bloque(self.evaluacion), _bloque(segunda)]
            self.leccion.save_revision().publish()
        primero = self._rendir_desde_la_leccion()
        self.assertEqual(primero.estado, Intento.Estado.CALIFICADO)
        self.assertTrue(primero.aprobado)
        self.assertFalse(self._completada())

        segundo = self._rendir_desde_la_leccion(segunda)
        self.assertTrue(segundo.aprobado)
        self.assertTrue(self._completada())

    def test_sin_inscripcion_no_se_rinde_desde_la_leccion(self):
        with self.en_a():
            self.inscripcion.delete()
        response = self.iniciar(leccion=self.leccion.pk)
        self.assertEqual(response.status_code, 404)
        with self.en_a():
            self.assertFalse(Intento.objects.exists())
