from __future__ import annotations

import datetime as dt
import html
import re

import time_machine
from dateutil.relativedelta import relativedelta
from django.contrib.messages import get_messages
from django.utils import timezone

from cursos.models import Inscripcion, LeccionCompletada
from cursos.selectors import avances
from cursos.services import inscripcion_crear, leccion_completar
from cursos.signals import curso_completado
from tests.base import CapacitaTestCase
from tests.cursos.factories import (
    curso_completar,
    curso_por_clave,
    leccion_agregar,
    lecciones_de,
)

_TARJETA_RE = re.compile(
    r'<li class="tarjeta">.*?<a href="[^"]*">(?P<titulo>[^<]+)</a>'
    r".*?etiqueta--(?P<estado>\w+)",
    re.S,
)


def _estados(response) -> dict[str, str]:
    """{título del curso: estado} de cada tarjeta de «Mis cursos»."""
    contenido = response.content.decode()
    return {
        html.unescape(m["titulo"]): m["estado"] for m in _TARJETA_RE.finditer(contenido)
    }


class ProgresoTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.curso = curso_por_clave("que-es-la-trata")
            self.lecciones = lecciones_de(self.curso)
            self.inscripcion, _creada = inscripcion_crear(
                usuario=self.alice, curso=self.curso
            )
            self.url_curso = self.curso.url
            self.urls = [leccion.url for leccion in self.lecciones]
        self.ingresar(self.client_a, "alice")

    def _completar(self, leccion, **kwargs):
        return self.client_a.post(f"/lecciones/{leccion.pk}/completar/", **kwargs)

    def _avance(self):
        with self.en_a():
            inscripcion = Inscripcion.objects.select_related("curso").get(
                pk=self.inscripcion.pk
            )
            return avances([inscripcion])[0]

    def _aprobar_final(self):
        """Aprueba la evaluación final del curso con un intento calificado."""
        with self.en_a():
            curso_completar(self.alice, self.curso)

    def test_el_curso_de_prueba_tiene_cuatro_lecciones_obligatorias(self):
        self.assertEqual(len(self.lecciones), 4)
        self.assertTrue(all(x.obligatoria for x in self.lecciones))

    def test_completar_lecciones_avanza_porcentaje_y_punto_de_retorno(self):
        avance = self._avance()
        self.assertEqual(avance.porcentaje, 0)
        self.assertEqual(avance.estado, "no_iniciado")
        self.assertEqual(avance.leccion_siguiente.pk, self.lecciones[0].pk)

        response = self._completar(self.lecciones[0])
        self.assertRedirects(response, self.urls[1], fetch_redirect_response=False)
        avance = self._avance()
        self.assertEqual(avance.porcentaje, 25)
        self.assertEqual(avance.estado, "en_curso")
        self.assertEqual(avance.completadas, {self.lecciones[0].pk})
        self.assertEqual(avance.leccion_siguiente.pk, self.lecciones[1].pk)

        # Visitar la tercera lección la deja como punto de retorno.
        self.assertEqual(self.client_a.get(self.urls[2]).status_code, 200)
        with self.en_a():
            self.inscripcion.refresh_from_db()
        self.assertEqual(self.inscripcion.ultima_leccion_id, self.lecciones[2].pk)
        self.assertEqual(self._avance().leccion_siguiente.pk, self.lecciones[2].pk)

        self._completar(self.lecciones[1])
        avance = self._avance()
        self.assertEqual(avance.porcentaje, 50)
        self.assertEqual(avance.leccion_siguiente.pk, self.lecciones[2].pk)

        response = self.client_a.get(self.url_curso)
        self.assertContains(response, "50 % completado")
        self.assertContains(response, "Continuar donde quedó")
        self.assertContains(response, f'href="{self.urls[2]}"')

        # Completada la lección donde quedó, vuelve a la primera pendiente.
        self._completar(self.lecciones[2])
        avance = self._avance()
        self.assertEqual(avance.porcentaje, 75)
        self.assertEqual(avance.leccion_siguiente.pk, self.lecciones[3].pk)
        with self.en_a():
            self.inscripcion.refresh_from_db()
        self.assertIsNone(self.inscripcion.completado_at)

    def test_pagina_del_curso_enlaza_cada_leccion_a_su_pagina(self):
        response = self.client_a.get(self.url_curso)
        for leccion, url in zip(self.lecciones, self.urls, strict=True):
            self.assertContains(response, f'<a href="{url}">{leccion.title}</a>')
            self.assertContains(self.client_a.get(url), leccion.title)

    def test_pagina_de_leccion_muestra_posicion_y_navegacion(self):
        response = self.client_a.get(self.urls[1])
        self.assertContains(response, "Lección 2 de 4")
        self.assertContains(response, f'href="{self.urls[0]}" rel="prev"')
        self.assertContains(response, f'href="{self.urls[2]}" rel="next"')
        self.assertContains(response, f'action="/lecciones/{self.lecciones[1].pk}/')

    def test_completar_el_curso_una_sola_vez_aunque_se_repita_el_envio(self):
        recibidas = []

        def receptor(sender, inscripcion, **kwargs):
            recibidas.append(inscripcion.pk)

        curso_completado.connect(receptor)
        self.addCleanup(curso_completado.disconnect, receptor)

        for leccion in self.lecciones[:-1]:
            self._completar(leccion)
        self.assertEqual(recibidas, [])

        ultima = self.lecciones[-1]
        response = self._completar(ultima)
        self.assertRedirects(response, self.url_curso, fetch_redirect_response=False)
        # Las lecciones no bastan: falta aprobar la evaluación final.
        self.assertEqual(recibidas, [])
        self._aprobar_final()
        with self.en_a():
            self.inscripcion.refresh_from_db()
        completado_at = self.inscripcion.completado_at
        self.assertIsNotNone(completado_at)

        for _intento in range(3):
            response = self._completar(ultima)
            self.assertRedirects(
                response, self.url_curso, fetch_redirect_response=False
            )
        self.assertEqual(recibidas, [self.inscripcion.pk])
        with self.en_a():
            self.inscripcion.refresh_from_db()
            self.assertEqual(
                LeccionCompletada.objects.filter(inscripcion=self.inscripcion).count(),
                4,
            )
        self.assertEqual(self.inscripcion.completado_at, completado_at)
        self.assertEqual(self._avance().porcentaje, 100)

    def test_lecciones_opcionales_no_son_necesarias_para_completar(self):
        with self.en_a():
            opcional = leccion_agregar(
                self.curso, obligatoria=False, title="Lectura complementaria"
            )
        for leccion in self.lecciones[:3]:
            self._completar(leccion)
        avance = self._avance()
        self.assertEqual(avance.total_obligatorias, 4)
        self.assertEqual(avance.porcentaje, 75)

        self._completar(self.lecciones[3])
        self._aprobar_final()
        with self.en_a():
            self.inscripcion.refresh_from_db()
            self.assertFalse(
                LeccionCompletada.objects.filter(leccion=opcional).exists()
            )
        self.assertIsNotNone(self.inscripcion.completado_at)
        self.assertEqual(self._avance().porcentaje, 100)
        response = self.client_a.get(self.url_curso)
        self.assertContains(response, "Opcional")

    def test_leccion_sin_inscripcion_redirige_al_curso(self):
        with self.en_a():
            otro = curso_por_clave("protocolo-intersectorial")
            url_otro = otro.url
            url_leccion = lecciones_de(otro)[0].url
        response = self.client_a.get(url_leccion)
        self.assertRedirects(response, url_otro, fetch_redirect_response=False)
        self.assertEqual(
            [str(m) for m in get_messages(response.wsgi_request)],
            ["Inscríbase en el curso para ver sus lecciones."],
        )

    def test_leccion_anonima_redirige_a_ingresar(self):
        anonimo = self.client_class(HTTP_HOST="alfa.localhost")
        response = anonimo.get(self.urls[0])
        self.assertRedirects(
            response,
            f"/ingresar/?next={self.urls[0]}",
            fetch_redirect_response=False,
        )

    def test_completar_anonimo_redirige_a_ingresar(self):
        anonimo = self.client_class(HTTP_HOST="alfa.localhost")
        response = anonimo.post(f"/lecciones/{self.lecciones[0].pk}/completar/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/ingresar/", response["Location"])
        with self.en_a():
            self.assertFalse(LeccionCompletada.objects.exists())

    def test_leccion_de_curso_despublicado_responde_404(self):
        # Despublicar un curso en Wagtail no despublica sus lecciones.
        with self.en_a():
            self.curso.unpublish()
        response = self.client_a.get(self.urls[0])
        self.assertEqual(response.status_code, 404)

    def test_no_completa_lecciones_de_un_curso_despublicado(self):
        with self.en_a():
            self.curso.unpublish()
        response = self._completar(self.lecciones[0])
        self.assertEqual(response.status_code, 404)
        with self.en_a():
            self.assertFalse(LeccionCompletada.objects.exists())


class MisCursosTests(CapacitaTestCase):
    def setUp(self):
        super().setUp()
        with self.en_a():
            self.cursos = {
                slug: curso_por_clave(slug)
                for slug in [
                    "que-es-la-trata",
                    "deteccion-indicadores",
                    "protocolo-intersectorial",
                    "enfoques-transversales",
                ]
            }

    def _titulo(self, slug):
        return self.cursos[slug].title

    def test_muestra_no_iniciado_en_curso_completado_y_vencido(self):
        hace_dos_anios_y_medio = timezone.now() - relativedelta(months=30)
        with self.en_a():
            with time_machine.travel(hace_dos_anios_y_medio, tick=False):
                vencido = curso_completar(self.alice, self.cursos["que-es-la-trata"])
            curso_completar(self.alice, self.cursos["deteccion-indicadores"])
            en_curso, _creada = inscripcion_crear(
                usuario=self.alice, curso=self.cursos["protocolo-intersectorial"]
            )
            leccion_completar(
                inscripcion=en_curso,
                leccion=lecciones_de(self.cursos["protocolo-intersectorial"])[0],
            )
            inscripcion_crear(
                usuario=self.alice, curso=self.cursos["enfoques-transversales"]
            )
        self.assertLess(vencido.completado_at, timezone.now() - relativedelta(years=2))

        self.ingresar(self.client_a, "alice")
        response = self.client_a.get("/mis-cursos/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            _estados(response),
            {
                self._titulo("que-es-la-trata"): "vencido",
                self._titulo("deteccion-indicadores"): "completado",
                self._titulo("protocolo-intersectorial"): "en_curso",
                self._titulo("enfoques-transversales"): "no_iniciado",
            },
        )
        for texto in ["Vencido", "Completado", "En curso", "No iniciado"]:
            self.assertContains(response, texto)

    def test_completado_vence_al_cumplirse_la_vigencia(self):
        curso = self.cursos["que-es-la-trata"]
        self.assertEqual(curso.vigencia_meses, 24)
        completado = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
        with time_machine.travel(completado, tick=False), self.en_a():
            curso_completar(self.alice, curso)
        titulo = self._titulo("que-es-la-trata")
        for momento, esperado in [
            (completado + relativedelta(months=24, days=-1), "completado"),
            (completado + relativedelta(months=24, days=1), "vencido"),
        ]:
            with self.subTest(momento=momento), time_machine.travel(momento):
                cliente = self.client_class(HTTP_HOST="alfa.localhost")
                self.ingresar(cliente, "alice")
                response = cliente.get("/mis-cursos/")
                self.assertEqual(_estados(response), {titulo: esperado})

    def test_sin_inscripciones_invita_a_ver_las_rutas(self):
        self.ingresar(self.client_a, "alice")
        response = self.client_a.get("/mis-cursos/")
        self.assertContains(
            response, "Aún no está inscrita o inscrito en ningún curso."
        )

    def test_anonimo_es_enviado_a_ingresar(self):
        response = self.client_a.get("/mis-cursos/")
        self.assertRedirects(
            response, "/ingresar/?next=/mis-cursos/", fetch_redirect_response=False
        )
