"""La demo trae una evaluación final y una actividad H5P reales, sin duplicarlas."""

from __future__ import annotations

import shutil
import tempfile

from django.test import override_settings

from content.models import PaqueteH5P
from cursos.models import Inscripcion, LeccionPage
from demo.content import LECCION, h5p_demo_asegurar
from demo.evaluaciones import CURSO_DEMO, evaluacion_demo_asegurar
from evaluaciones.models import Evaluacion, Pregunta
from tests.base import CapacitaTestCase


class DemoTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        media = tempfile.mkdtemp(prefix="capacita-demo-")
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        ajuste = override_settings(MEDIA_ROOT=media)
        ajuste.enable()
        self.addCleanup(ajuste.disable)

    def test_dos_cargas_dejan_un_banco_una_final_y_un_paquete(self):
        with self.en_a():
            for _vez in range(2):
                evaluacion = evaluacion_demo_asegurar()
                h5p_demo_asegurar()
            self.assertEqual(evaluacion.curso.slug, CURSO_DEMO)
            self.assertEqual(
                Evaluacion.objects.filter(curso=evaluacion.curso).count(), 1
            )
            self.assertEqual(
                Pregunta.objects.filter(codigo__startswith="DEMO-").count(), 6
            )
            self.assertEqual(PaqueteH5P.objects.count(), 1)
            leccion = LeccionPage.objects.get(slug=LECCION)
            tipos = [b.block_type for b in leccion.cuerpo]
            self.assertEqual(tipos.count("h5p"), 1)
            url = leccion.url
            # ORM a propósito: el curso de la demo tiene prerrequisito y esta
            # prueba mira solo cómo se dibuja la actividad.
            Inscripcion.objects.create(usuario=self.alice, curso=evaluacion.curso)
        self.ingresar(self.client_a, "alice")
        respuesta = self.client_a.get(url)
        self.assertContains(respuesta, "data-h5p-capacita")
