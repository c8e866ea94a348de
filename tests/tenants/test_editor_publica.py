from __future__ import annotations

from django.test import Client
from wagtail.test.utils.form_data import rich_text

from cursos.choices import Modalidad
from cursos.models import CursoPage, RutaPage
from tests.base import DOMINIO_A, CapacitaTestCase


class EditorPublicaTests(CapacitaTestCase):
    def test_editor_publica_un_curso_desde_el_admin_de_wagtail(self):
        with self.en_a():
            curso = RutaPage.objects.first().add_child(
                instance=CursoPage(
                    title="Curso en borrador", slug="curso-borrador", live=False
                )
            )
            curso.save_revision()
            self.assertTrue(curso.permissions_for_user(self.edu).can_publish())
        self.ingresar(self.client_a, "edu")
        response = self.client_a.post(
            f"/admin/pages/{curso.pk}/edit/",
            {
                "title": "Curso publicado por la editora",
                "slug": "curso-borrador",
                "resumen": "Un curso de prueba.",
                "objetivos": rich_text(""),
                "horas": "2",
                "modalidad": Modalidad.ONLINE,
                "acciones_plan": "E1-A3.1",
                "version": "1.0",
                "vigencia_meses": "24",
                "action-publish": "action-publish",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        with self.en_a():
            curso.refresh_from_db()
            self.assertTrue(curso.live)
            self.assertFalse(curso.has_unpublished_changes)
            self.assertEqual(curso.title, "Curso publicado por la editora")
            url = curso.get_url()
        # Publicado de verdad: lo ve quien no ingresó.
        self.assertContains(Client(HTTP_HOST=DOMINIO_A).get(url), "Curso publicado")
