"""Las pruebas encuentran el currículo por su clave estable, no por la URL.

La clave es el ``slug`` del YAML (cursos/curriculo/*.yaml), que el cargador guarda en
``clave_curriculo`` (no editable en el admin); el slug de la página sí lo puede cambiar
un editor.
"""

from __future__ import annotations

from tests.base import CapacitaTestCase
from tests.cursos.factories import curso_por_clave, ruta_por_clave


class ClavesCurriculoTests(CapacitaTestCase):
    def test_el_curso_se_encuentra_aunque_un_editor_cambie_su_slug(self):
        with self.en_a():
            curso = curso_por_clave("que-es-la-trata")
            curso.slug = "conceptos-de-trata"
            curso.save_revision().publish()
            encontrado = curso_por_clave("que-es-la-trata")
            self.assertEqual(encontrado.pk, curso.pk)
            self.assertTrue(encontrado.url.endswith("/conceptos-de-trata/"))
            self.assertEqual(encontrado.get_parent().pk, ruta_por_clave("nucleo").pk)
