"""Las páginas del aprendiz hacen un número fijo de consultas: ≤ 12 (meta del issue).

Se cuenta como tests/bench/bench_paginas_curso.py: todo lo que captura
CaptureQueriesContext, incluidos los «SET search_path» de django-tenants. Se mide en
régimen: una petición previa llena las cachés (raíces de sitios de Wagtail, etc.), como
ocurre en producción después de la primera visita.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cursos.models import Inscripcion, LeccionCompletada
from cursos.services import inscripcion_crear, leccion_completar
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    InscripcionFactory,
    UsuarioFactory,
    curso_por_clave,
    leccion_agregar,
    lecciones_de,
)

MAXIMO = 12
CURSOS_ALFA = [
    "que-es-la-trata",
    "deteccion-indicadores",
    "protocolo-intersectorial",
    "enfoques-transversales",
    "investigacion-criminal-trata",
]


def _sql(contexto: CaptureQueriesContext) -> str:
    """Las consultas numeradas, sin los SET search_path, para el mensaje de falla."""
    datos = [
        q["sql"]
        for q in contexto.captured_queries
        if not q["sql"].startswith("SET search_path")
    ]
    return "\n".join(f"{i}. {sql[:300]}" for i, sql in enumerate(datos, 1))


class ConsultasTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.inscripcion, _creada = inscripcion_crear(
                usuario=self.alice, curso=self.curso
            )
            leccion_completar(
                inscripcion=self.inscripcion, leccion=lecciones_de(self.curso)[0]
            )
        self.ingresar(self.client_a, "alice")

    def _contar(self, url: str, *, previa: str | None = None) -> CaptureQueriesContext:
        self.assertEqual(self.client_a.get(previa or url).status_code, 200)
        with CaptureQueriesContext(connection) as contexto:
            self.respuesta = self.client_a.get(url)
        self.assertEqual(self.respuesta.status_code, 200, url)
        return contexto

    def _urls(self) -> tuple[str, str, str]:
        with self.en_a():
            lecciones = lecciones_de(self.curso)
            return self.curso.url, lecciones[0].url, lecciones[1].url

    def _crecer(self, *, lecciones: int, inscritos: int) -> None:
        """Más lecciones en el curso y más personas inscritas con avance."""
        with self.en_a():
            for _i in range(lecciones):
                leccion_agregar(curso_por_clave("que-es-la-trata"))
            self.curso = curso_por_clave("que-es-la-trata")
            todas = lecciones_de(self.curso)
            for usuario in UsuarioFactory.create_batch(inscritos):
                inscripcion = InscripcionFactory(usuario=usuario, curso=self.curso)
                LeccionCompletada.objects.bulk_create(
                    LeccionCompletada(inscripcion=inscripcion, leccion=x)
                    for x in todas[:3]
                )
            # Alice también avanza: más filas de progreso propias.
            for leccion in todas[2:4]:
                leccion_completar(inscripcion=self.inscripcion, leccion=leccion)

    def _medir_curso(self, lecciones: int) -> CaptureQueriesContext:
        url_curso, _primera, _segunda = self._urls()
        contexto = self._contar(url_curso)
        self.assertContains(self.respuesta, f"{lecciones} lecciones")
        return contexto

    def _medir_leccion(self) -> CaptureQueriesContext:
        _curso, url_primera, url_segunda = self._urls()
        # Visitar una lección distinta de la última vista escribe el punto de retorno.
        contexto = self._contar(url_segunda, previa=url_primera)
        self.assertContains(self.respuesta, "Lección 2 de")
        return contexto

    def test_pagina_del_curso_no_crece_con_lecciones_ni_inscritos(self):
        antes = self._medir_curso(4)
        self._crecer(lecciones=6, inscritos=8)
        despues = self._medir_curso(10)
        self.assertEqual(
            len(antes),
            len(despues),
            f"Antes:\n{_sql(antes)}\n\ndespués:\n{_sql(despues)}",
        )
        self.assertLessEqual(len(despues), MAXIMO, _sql(despues))

    def test_pagina_de_leccion_no_crece_con_lecciones_ni_inscritos(self):
        antes = self._medir_leccion()
        self._crecer(lecciones=6, inscritos=8)
        despues = self._medir_leccion()
        self.assertEqual(
            len(antes),
            len(despues),
            f"Antes:\n{_sql(antes)}\n\ndespués:\n{_sql(despues)}",
        )
        self.assertLessEqual(len(despues), MAXIMO, _sql(despues))

    def test_mis_cursos_con_una_o_cinco_inscripciones_hace_las_mismas_consultas(self):
        una = self._contar("/mis-cursos/")
        with self.en_a():
            for slug in CURSOS_ALFA[1:]:
                curso = curso_por_clave(slug)
                # ORM a propósito: cursos con prerrequisito; lo que se mide son las
                # consultas de «Mis cursos», no la inscripción.
                inscripcion = Inscripcion.objects.create(
                    usuario=self.alice, curso=curso
                )
                leccion_completar(
                    inscripcion=inscripcion, leccion=lecciones_de(curso)[0]
                )
            self.assertEqual(Inscripcion.objects.filter(usuario=self.alice).count(), 5)
            # Una completada, para que «Mis cursos» calcule el vencimiento.
            deteccion = Inscripcion.objects.get(
                usuario=self.alice, curso__slug="deteccion-indicadores"
            )
            for leccion in lecciones_de(deteccion.curso):
                leccion_completar(inscripcion=deteccion, leccion=leccion)
        cinco = self._contar("/mis-cursos/")
        self.assertContains(self.respuesta, 'class="tarjeta"', count=5)
        self.assertEqual(
            len(una), len(cinco), f"Con una:\n{_sql(una)}\n\ncon cinco:\n{_sql(cinco)}"
        )
        self.assertLessEqual(len(cinco), MAXIMO, _sql(cinco))
