from __future__ import annotations

from django.contrib.messages import get_messages

from cursos.models import Inscripcion
from cursos.services import inscripciones_crear_por_unidad
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    PerfilFactory,
    UnidadFactory,
    UsuarioFactory,
    curso_completar,
    curso_por_clave,
)


def _mensajes(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


class InscripcionVistaTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.avanzado = curso_por_clave("deteccion-indicadores")
            self.url_curso = self.curso.url
            self.url_avanzado = self.avanzado.url
        self.ingresar(self.client_a, "alice")

    def _inscribir(self, curso, **kwargs):
        return self.client_a.post(f"/cursos/{curso.pk}/inscribir/", **kwargs)

    def test_inscribe_a_la_funcionaria_en_el_curso(self):
        response = self._inscribir(self.curso, follow=True)
        self.assertRedirects(response, self.url_curso)
        self.assertContains(
            response, f"Quedó inscrita o inscrito en «{self.curso.title}»"
        )
        self.assertContains(response, "Comenzar el curso")
        with self.en_a():
            inscripcion = Inscripcion.objects.get(usuario=self.alice)
            self.assertEqual(inscripcion.curso_id, self.curso.pk)
            self.assertEqual(inscripcion.ciclo, 1)
            self.assertIsNone(inscripcion.completado_at)

    def test_repetir_la_inscripcion_no_duplica(self):
        self._inscribir(self.curso, follow=True)  # consume el mensaje de éxito
        response = self._inscribir(self.curso)
        self.assertRedirects(response, self.url_curso, fetch_redirect_response=False)
        self.assertEqual(_mensajes(response), [])  # la segunda vez no anuncia nada
        with self.en_a():
            self.assertEqual(
                Inscripcion.objects.filter(
                    usuario=self.alice, curso=self.curso
                ).count(),
                1,
            )

    def test_rechaza_inscripcion_en_curso_no_publicado(self):
        with self.en_a():
            self.curso.unpublish()
        response = self._inscribir(self.curso)
        self.assertRedirects(response, self.url_curso, fetch_redirect_response=False)
        self.assertEqual(
            _mensajes(response),
            [
                f"El curso «{self.curso.title}» no está publicado; "
                "no admite inscripciones."
            ],
        )
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(usuario=self.alice).exists())

    def test_rechaza_inscripcion_sin_prerrequisitos_y_nombra_el_curso_faltante(self):
        response = self._inscribir(self.avanzado, follow=True)
        self.assertRedirects(response, self.url_avanzado)
        mensaje = (
            f"Antes de inscribirse en «{self.avanzado.title}» debe completar: "
            f"{self.curso.title}."
        )
        self.assertContains(response, mensaje)
        # La página del curso también lista lo que falta, en vez del botón.
        self.assertContains(response, "Para inscribirse debe completar antes:")
        self.assertNotContains(response, "Inscribirme en este curso")
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(usuario=self.alice).exists())

    def test_inscribe_tras_completar_el_prerrequisito(self):
        with self.en_a():
            curso_completar(self.alice, self.curso)
        response = self._inscribir(self.avanzado, follow=True)
        self.assertContains(
            response, f"Quedó inscrita o inscrito en «{self.avanzado.title}»"
        )
        with self.en_a():
            self.assertTrue(
                Inscripcion.objects.filter(
                    usuario=self.alice, curso=self.avanzado
                ).exists()
            )

    def test_prerrequisito_solo_inscrito_no_basta(self):
        self._inscribir(self.curso)
        response = self._inscribir(self.avanzado)
        self.assertIn(self.curso.title, " ".join(_mensajes(response)))
        with self.en_a():
            self.assertFalse(
                Inscripcion.objects.filter(
                    usuario=self.alice, curso=self.avanzado
                ).exists()
            )

    def test_inscripcion_exige_post(self):
        response = self.client_a.get(f"/cursos/{self.curso.pk}/inscribir/")
        self.assertEqual(response.status_code, 405)

    def test_curso_inexistente_es_404(self):
        response = self.client_a.post("/cursos/999999/inscribir/")
        self.assertEqual(response.status_code, 404)

    def test_anonimo_es_enviado_a_ingresar(self):
        anonimo = self.client_class(HTTP_HOST="alfa.localhost")
        response = anonimo.post(f"/cursos/{self.curso.pk}/inscribir/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])
        with self.en_a():
            self.assertFalse(Inscripcion.objects.exists())


class InscripcionesPorUnidadTests(CapacitaTestCase):
    def test_cuenta_creadas_existentes_y_rechazadas(self):
        with self.en_a():
            basico = curso_por_clave("que-es-la-trata")
            avanzado = curso_por_clave("deteccion-indicadores")
            unidad = UnidadFactory(nombre="Tenencia Centro")
            otra_unidad = UnidadFactory(
                institucion=unidad.institucion, nombre="Tenencia Norte"
            )
            nueva = PerfilFactory(unidad=unidad).usuario
            nuevo = PerfilFactory(unidad=unidad).usuario
            ya_inscrita = PerfilFactory(unidad=unidad).usuario
            PerfilFactory(  # sin el curso básico completado
                unidad=unidad,
                usuario=UsuarioFactory(first_name="Sara", last_name="Sinbase"),
            )
            inactivo = PerfilFactory(
                unidad=unidad, usuario=UsuarioFactory(is_active=False)
            ).usuario
            de_otra_unidad = PerfilFactory(unidad=otra_unidad).usuario
            for usuario in [nueva, nuevo, ya_inscrita, inactivo, de_otra_unidad]:
                curso_completar(usuario, basico)
            Inscripcion.objects.create(usuario=ya_inscrita, curso=avanzado)

            resultado = inscripciones_crear_por_unidad(
                unidad=unidad, curso=avanzado, inscrito_por=self.olga
            )

            self.assertEqual(resultado.creadas, 2)
            self.assertEqual(resultado.existentes, 1)
            self.assertEqual(
                resultado.rechazadas,
                [
                    (
                        "Sara Sinbase",
                        f"Antes de inscribirse en «{avanzado.title}» debe "
                        f"completar: {basico.title}.",
                    )
                ],
            )
            inscritos = set(
                Inscripcion.objects.filter(curso=avanzado).values_list(
                    "usuario_id", flat=True
                )
            )
            self.assertEqual(inscritos, {nueva.pk, nuevo.pk, ya_inscrita.pk})
            self.assertEqual(
                set(
                    Inscripcion.objects.filter(
                        curso=avanzado, inscrito_por=self.olga
                    ).values_list("usuario_id", flat=True)
                ),
                {nueva.pk, nuevo.pk},
            )

    def test_repetir_por_unidad_no_duplica(self):
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            unidad = UnidadFactory()
            PerfilFactory.create_batch(3, unidad=unidad)
            primero = inscripciones_crear_por_unidad(
                unidad=unidad, curso=curso, inscrito_por=self.olga
            )
            segundo = inscripciones_crear_por_unidad(
                unidad=unidad, curso=curso, inscrito_por=self.olga
            )
            self.assertEqual((primero.creadas, primero.existentes), (3, 0))
            self.assertEqual((segundo.creadas, segundo.existentes), (0, 3))
            self.assertEqual(segundo.rechazadas, [])
            self.assertEqual(Inscripcion.objects.filter(curso=curso).count(), 3)

    def test_curso_no_publicado_rechaza_a_toda_la_unidad(self):
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            curso.unpublish()
            unidad = UnidadFactory()
            PerfilFactory.create_batch(2, unidad=unidad)
            resultado = inscripciones_crear_por_unidad(
                unidad=unidad, curso=curso, inscrito_por=self.olga
            )
            self.assertEqual((resultado.creadas, resultado.existentes), (0, 0))
            self.assertEqual(len(resultado.rechazadas), 2)
            for _nombre, mensaje in resultado.rechazadas:
                self.assertIn("no está publicado", mensaje)
            self.assertFalse(Inscripcion.objects.exists())
