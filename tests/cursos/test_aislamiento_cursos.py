"""Aislamiento de cursos y progreso entre tenants y entre usuarios del mismo tenant."""

from __future__ import annotations

from cursos.models import CursoPage, Inscripcion, LeccionCompletada
from cursos.services import inscripcion_crear, leccion_completar
from tests.base import DOMINIO_A, DOMINIO_B, CapacitaTestCase
from tests.cursos.factories import (
    UsuarioFactory,
    curso_por_clave,
    lecciones_de,
)

# Curso de cursos/curriculo/policias.yaml: alfa (policías) lo tiene; beta, no.
CLAVE_POLICIAS = "investigacion-criminal-trata"
CLAVE_FRONTERAS = "deteccion-control-fronterizo"


class AislamientoEntreTenantsTests(CapacitaTestCase):
    def test_curso_de_alfa_es_404_en_beta(self):
        with self.en_a():
            url = curso_por_clave(CLAVE_POLICIAS).url
        self.assertContains(
            self.client_a.get(url), "Investigación criminal del delito de trata"
        )
        self.assertEqual(self.client_b.get(url).status_code, 404)
        with self.en_b():
            self.assertFalse(
                CursoPage.objects.filter(clave_curriculo=CLAVE_POLICIAS).exists()
            )

    def test_curso_de_beta_es_404_en_alfa(self):
        with self.en_b():
            url = curso_por_clave(CLAVE_FRONTERAS).url
        self.assertEqual(self.client_b.get(url).status_code, 200)
        self.assertEqual(self.client_a.get(url).status_code, 404)

    def test_leccion_de_alfa_es_404_en_beta_aun_con_sesion(self):
        with self.en_a():
            curso = curso_por_clave(CLAVE_POLICIAS)
            url = lecciones_de(curso)[0].url
        self.ingresar(self.client_b, "bob")
        self.assertEqual(self.client_b.get(url).status_code, 404)

    def test_funcionario_de_beta_no_ve_el_progreso_de_alfa(self):
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            inscripcion, _creada = inscripcion_crear(usuario=self.alice, curso=curso)
            leccion_completar(inscripcion=inscripcion, leccion=lecciones_de(curso)[0])
            url_curso = curso.url
        self.ingresar(self.client_b, "bob")

        response = self.client_b.get("/mis-cursos/")
        self.assertContains(
            response, "Aún no está inscrita o inscrito en ningún curso."
        )
        # Beta también tiene el curso común (viene de la plantilla), pero sin avance.
        response = self.client_b.get(url_curso)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Su avance")
        self.assertNotContains(response, "% completado")
        self.assertContains(response, "Inscribirme en este curso")
        with self.en_b():
            self.assertFalse(Inscripcion.objects.exists())
            self.assertFalse(LeccionCompletada.objects.exists())

    def test_cookie_de_sesion_de_beta_no_sirve_en_alfa(self):
        self.ingresar(self.client_b, "bob")
        self.assertEqual(self.client_b.get("/mis-cursos/").status_code, 200)
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            leccion = lecciones_de(curso)[0]

        # El mismo cliente (la misma cookie de sesión) contra el host de alfa.
        response = self.client_b.get("/mis-cursos/", HTTP_HOST=DOMINIO_A)
        self.assertRedirects(
            response, "/ingresar/?next=/mis-cursos/", fetch_redirect_response=False
        )
        response = self.client_b.post(
            f"/cursos/{curso.pk}/inscribir/", HTTP_HOST=DOMINIO_A
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])
        response = self.client_b.post(
            f"/lecciones/{leccion.pk}/completar/", HTTP_HOST=DOMINIO_A
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])
        with self.en_a():
            self.assertFalse(Inscripcion.objects.exists())

    def test_cookie_de_sesion_de_alfa_no_sirve_en_beta(self):
        self.ingresar(self.client_a, "alice")
        response = self.client_a.get("/mis-cursos/", HTTP_HOST=DOMINIO_B)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])


class AislamientoEntreUsuariosTests(CapacitaTestCase):
    """IDOR: los ids de curso y lección están en las URLs; el usuario no."""

    def setUp(self):
        super().setUp()
        with self.en_a():
            self.carla = UsuarioFactory(first_name="Carla", last_name="Colega")
            self.curso = curso_por_clave("que-es-la-trata")
            self.lecciones = lecciones_de(self.curso)
            self.de_carla, _creada = inscripcion_crear(
                usuario=self.carla, curso=self.curso
            )
            for leccion in self.lecciones[:2]:
                leccion_completar(inscripcion=self.de_carla, leccion=leccion)
            self.url_curso = self.curso.url
        self.ingresar(self.client_a, "alice")

    def test_no_completa_lecciones_de_un_curso_sin_inscripcion(self):
        response = self.client_a.post(f"/lecciones/{self.lecciones[2].pk}/completar/")
        self.assertEqual(response.status_code, 404)
        with self.en_a():
            self.assertFalse(Inscripcion.objects.filter(usuario=self.alice).exists())
            self.assertEqual(
                LeccionCompletada.objects.filter(leccion=self.lecciones[2]).count(), 0
            )
            # El avance de Carla sigue intacto.
            self.assertEqual(
                LeccionCompletada.objects.filter(inscripcion=self.de_carla).count(), 2
            )

    def test_inscripcion_en_otro_curso_no_habilita_completar_este(self):
        with self.en_a():
            otro = curso_por_clave("protocolo-intersectorial")
            # ORM a propósito: aprobar el prerrequisito inscribiría a Alice en
            # este curso, que es justo lo que la prueba no quiere.
            Inscripcion.objects.create(usuario=self.alice, curso=otro)
        response = self.client_a.post(f"/lecciones/{self.lecciones[0].pk}/completar/")
        self.assertEqual(response.status_code, 404)
        with self.en_a():
            self.assertFalse(
                LeccionCompletada.objects.filter(
                    inscripcion__usuario=self.alice
                ).exists()
            )

    def test_leccion_inexistente_es_404(self):
        response = self.client_a.post("/lecciones/999999/completar/")
        self.assertEqual(response.status_code, 404)

    def test_mis_cursos_solo_muestra_lo_propio(self):
        response = self.client_a.get("/mis-cursos/")
        self.assertContains(
            response, "Aún no está inscrita o inscrito en ningún curso."
        )
        self.assertNotContains(response, self.curso.title)
        # Ningún parámetro cambia de quién es el listado.
        for params in [
            {"usuario": self.carla.pk},
            {"usuario_id": self.carla.pk},
            {"user": self.carla.pk},
        ]:
            with self.subTest(params=params):
                response = self.client_a.get("/mis-cursos/", params)
                self.assertNotContains(response, self.curso.title)

    def test_mis_cursos_no_mezcla_el_avance_de_otros(self):
        with self.en_a():
            inscripcion_crear(usuario=self.alice, curso=self.curso)
        response = self.client_a.get("/mis-cursos/")
        self.assertContains(response, self.curso.title, count=1)
        self.assertContains(response, "0 % completado")
        self.assertContains(response, "No iniciado")
        self.assertNotContains(response, "50 % completado")

    def test_pagina_del_curso_no_muestra_el_avance_de_otros(self):
        response = self.client_a.get(self.url_curso)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Su avance")
        self.assertNotContains(response, "50 % completado")
        self.assertNotContains(response, "Completada")

    def test_leccion_de_curso_ajeno_redirige_sin_mostrar_contenido(self):
        with self.en_a():
            url = self.lecciones[0].url
        response = self.client_a.get(url)
        self.assertRedirects(response, self.url_curso, fetch_redirect_response=False)
        with self.en_a():
            self.assertFalse(
                Inscripcion.objects.filter(
                    usuario=self.alice, ultima_leccion__isnull=False
                ).exists()
            )
