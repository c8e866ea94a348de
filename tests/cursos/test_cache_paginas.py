"""Lo que acelera las páginas del aprendiz no cambia lo que la persona ve.

- La pista de tipo por URL (content/models.py) solo elige la tabla de la consulta:
  una pista vieja, una edición publicada o la misma URL en otro tenant muestran
  siempre la página vigente de ese tenant.
- El progreso que trae la inscripción en su misma consulta (cursos/selectors.py) es
  el de la base en cada petición: completar una lección se ve en la siguiente.
"""

from __future__ import annotations

from django.db import connection

from content import models as content_models
from cursos.models import RutaPage
from cursos.services import inscripcion_crear
from tests.base import CapacitaTestCase
from tests.cursos.factories import curso_por_clave, lecciones_de


class PaginasAprendizTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            inscripcion_crear(usuario=self.alice, curso=self.curso)
            self.lecciones = lecciones_de(self.curso)
            self.url = self.lecciones[0].url
        self.ingresar(self.client_a, "alice")

    def _publicar_titulo(self, leccion, titulo: str) -> None:
        leccion.title = titulo
        leccion.save_revision().publish()

    def test_pista_vieja_no_cambia_la_pagina(self):
        self.assertEqual(self.client_a.get(self.url).status_code, 200)
        url_path = self.lecciones[0].url_path
        with self.en_a():
            clave = (connection.schema_name, url_path)
        self.assertIn(clave, content_models._TIPO_POR_URL)
        # Una pista que apunta a otro tipo (página borrada y reemplazada, p. ej.).
        content_models._TIPO_POR_URL[clave] = RutaPage
        respuesta = self.client_a.get(self.url)
        self.assertContains(respuesta, self.lecciones[0].title)

    def test_edicion_publicada_se_ve_al_instante(self):
        self.assertEqual(self.client_a.get(self.url).status_code, 200)
        with self.en_a():
            self._publicar_titulo(self.lecciones[0].specific, "Título recién publicado")
        self.assertContains(self.client_a.get(self.url), "Título recién publicado")

    def test_otro_tenant_ve_su_propia_pagina(self):
        with self.en_b():
            curso_b = curso_por_clave("que-es-la-trata")
            inscripcion_crear(usuario=self.bob, curso=curso_b)
            leccion_b = lecciones_de(curso_b)[0]
            self._publicar_titulo(leccion_b.specific, "Solo en beta")
            url_b = leccion_b.url
        self.assertEqual(url_b, self.url)
        self.ingresar(self.client_b, "bob")
        self.assertContains(self.client_b.get(url_b), "Solo en beta")
        respuesta_a = self.client_a.get(self.url)
        self.assertEqual(respuesta_a.status_code, 200)
        self.assertNotContains(respuesta_a, "Solo en beta")

    def test_completar_leccion_se_ve_en_la_siguiente_peticion(self):
        self.assertNotContains(self.client_a.get(self.curso.url), "✓ Completada")
        respuesta = self.client_a.post(f"/lecciones/{self.lecciones[0].pk}/completar/")
        self.assertEqual(respuesta.status_code, 302)
        self.assertContains(self.client_a.get(self.curso.url), "✓ Completada")
        self.assertContains(self.client_a.get(self.url), "✓ Completada")
